import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate, chinaLocalInput } from '../../../libs/codes/calendar-date';
import { DomainError, isDomainError } from '../../../libs/errors';
import { Public } from '../auth';
import {
  AREA_UNIT_NAMES, CreateInputApplicationDto, DOSE_UNITS, FarmInputsService, FarmInputView, InputApplicationsService, InputApplicationView,
  PhiGateService, ScanResolution, VoidApplicationDto,
} from '../farm-inputs';
import { ProductsService } from '../products';
import { SitesService, SiteView } from '../sites';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, chinaInstant, newKey } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, formBody, html, redirect } from './console-http';
import { ConsoleSubmissionsService, submitOnce } from './console-submissions.service';
import { messageForCode } from './domain/error-messages';
import { farmSitePage, farmSitesPage, FarmSiteData, InputPicker } from './views/farm-pages';
import { FormState, formState, type Options } from './views/layout';

const RECORD_FIELDS = ['inputId', 'labelCode', 'seedUnitCode', 'crop', 'appliedAt', 'dose.value', 'dose.unit', 'area.value', 'area.unit', 'target', 'operator'];
const RECENT_RECORDS = 30;


/** What a scan that could not be read tells the person. */
function scanProblem(error: DomainError): string {
  if (error.code === 'NOT_FOUND') return '投入品目录中没有与该标签码对应的农药（登记证号后六位），请搜索选择。';
  const rule = (error.details as { rule?: string } | undefined)?.rule;
  const byRule: Record<string, string> = {
    length: '没有找到 32 位农药标签码，也不是 4 行的种子标签二维码。',
    production_type: '农药标签码第 8 位（生产类型）应为 1、2 或 3。',
    lines: '种子标签二维码应有 4 行：品种名称、生产经营者、单元识别代码、追溯网址。',
    unit_code: '种子标签二维码第 3 行（单元识别代码）应为最多 20 位字母或数字。',
    trace_url: '种子标签二维码第 4 行（追溯网址）无效。',
  };
  return (rule && byRule[rule]) || messageForCode(error.code);
}

/**
 * Cooperative workspace: 农事 — per site, log an input application (scan the pesticide bottle's
 * label code or the seed bag's QR with the phone camera, or tap a recent input, or search; the form
 * comes filled from the last use), void one with a reason, and see per crop from when harvest is
 * allowed (the safe-interval gate judged as for a batch harvested today).
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class CooperativeFarmController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly submissions: ConsoleSubmissionsService,
    private readonly sites: SitesService,
    private readonly products: ProductsService,
    private readonly inputs: FarmInputsService,
    private readonly applications: InputApplicationsService,
    private readonly phiGate: PhiGateService,
  ) {}

  @Get('farm')
  async farm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, farmSitesPage(ctx, (await this.sites.list(ctx.actor, 100)).items));
  }

  @Get('farm/sites/:id')
  async site(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string).trim() : '');
    const notice = text('created') ? '已记录' : text('voided') ? '已作废' : undefined;
    return html(reply, await this.siteView(ctx, id, { code: text('code'), q: text('q'), inputId: text('inputId') }, notice));
  }

  @Post('farm/sites/:id/applications')
  async record(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = Object.fromEntries(RECORD_FIELDS.map((n) => [n, field(body, n)]));
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const outcome = await attempt(CreateInputApplicationDto, {
        siteId: id, inputId: values.inputId || undefined, labelCode: values.labelCode || undefined, seedUnitCode: values.seedUnitCode || undefined, crop: values.crop,
        appliedAt: chinaInstant(values.appliedAt), dose: { value: values['dose.value'] || undefined, unit: values['dose.unit'] },
        area: { value: values['area.value'] || undefined, unit: values['area.unit'] }, target: values.target, operator: values.operator,
      // The input and scanned codes are hidden fields: their problems are shown above the form.
      }, RECORD_FIELDS.filter((f) => f !== 'inputId' && f !== 'labelCode' && f !== 'seedUnitCode'), (dto) => this.applications.create(ctx.actor, dto), { dose: 'dose.value', area: 'area.value', siteId: 'crop' });
      if (outcome.ok) return { path: `/app/farm/sites/${encodeURIComponent(id)}?created=${outcome.result.id}` };
      return {
        page: await this.siteView(ctx, id, { code: '', q: '', inputId: values.inputId }, undefined, {
          form: formState(values, outcome.problems), formKey: field(body, '_key') || newKey(),
        }),
        code: outcome.code,
      };
    });
  }

  @Post('farm/applications/:id/void')
  async void(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const reason = field(body, 'reason');
    const outcome = await attempt(VoidApplicationDto, { reason }, ['reason'], (dto) => this.applications.void(ctx.actor, id, dto.reason));
    if (outcome.ok) return redirect(reply, `/app/farm/sites/${outcome.result.siteId}?voided=${outcome.result.id}`);
    // Shown again on the record's site page (the record is read as the person may read it: another organisation's is 404).
    const record = await this.applications.get(ctx.actor, id);
    return html(reply, await this.siteView(ctx, record.siteId, { code: '', q: '', inputId: '' }, undefined, {
      voidForm: { id, state: formState({ reason }, outcome.problems) },
    }), 422);
  }

  private async siteView(
    ctx: ConsoleContext, siteId: string, pick: { code: string; q: string; inputId: string }, notice?: string,
    shown: { form?: FormState; formKey?: string; voidForm?: FarmSiteData['voidForm'] } = {},
  ): Promise<string> {
    const site = await this.ownSite(ctx, siteId);
    const today = chinaDate();
    const [records, products] = await Promise.all([
      this.applications.list(ctx.actor, { siteId: site.id, limit: RECENT_RECORDS }),
      this.products.list(ctx.actor, 100),
    ]);
    const recorded = records.items.filter((r) => r.status === 'recorded');
    const crops = [...new Set([...products.items.map((p) => p.category), ...recorded.map((r) => r.crop)])];
    const [outlook, picker] = await Promise.all([
      this.phiGate.harvestOutlook(site.id, crops, today),
      this.picker(pick, recorded),
    ]);
    const chosen = picker.chosen;
    const form = shown.form ?? (chosen ? this.prefill(ctx, chosen, { labelCode: picker.labelCode, seedUnitCode: picker.seedUnitCode }, records.items, crops) : formState({}));
    return farmSitePage(ctx, {
      site, outlook, picker: picker.view, chosen, crops: crops.map((c): [string, string] => [c, c.split('>').pop() ?? c]) as Options,
      records: records.items, form, voidForm: shown.voidForm ?? null, formKey: shown.formKey ?? newKey(), today,
    }, { dose: DOSE_UNITS, area: AREA_UNIT_NAMES }, notice);
  }

  /** The site if it is one of the person's organisation (any other answers 404, as the API does). */
  private async ownSite(ctx: ConsoleContext, id: string): Promise<SiteView> {
    const site = await this.sites.get(ctx.actor, id);
    if (site.organizationId !== ctx.organization.id) throw new DomainError('NOT_FOUND', 'Site not found', { field: 'siteId' });
    return site;
  }

  /** The input picked by scan, tap or search; what the picker shows otherwise. */
  private async picker(pick: { code: string; q: string; inputId: string }, recorded: InputApplicationView[]):
    Promise<{ chosen: FarmInputView | null; labelCode: string | null; seedUnitCode: string | null; view: InputPicker }> {
    let scan: ScanResolution | null = null;
    let problem: string | null = null;
    if (pick.code) {
      try {
        scan = await this.inputs.resolveScan(pick.code, 'code');
      } catch (error) {
        if (!isDomainError(error)) throw error;
        problem = scanProblem(error);
      }
    }
    let chosen: FarmInputView | null = null;
    const seen = new Set<string>();
    const recent = recorded.filter((r) => !seen.has(r.input.id) && seen.add(r.input.id)).slice(0, 8).map((r) => r.input.id);
    const known = await this.inputs.viewsByIds(pick.inputId ? [...recent, pick.inputId] : recent);
    if (pick.inputId) {
      chosen = known.get(pick.inputId) ?? null;
    } else if (scan?.source === 'pesticide_label') {
      chosen = scan.input;
    } else if (scan?.source === 'seed_label' && scan.inputs.length === 1) {
      chosen = scan.inputs[0];
    }
    const results = pick.q ? (await this.inputs.list({ q: pick.q, limit: 20 })).items : null;
    return {
      chosen,
      labelCode: scan?.source === 'pesticide_label' && chosen?.id === scan.input.id ? scan.labelCode : null,
      // The bag's unit code goes onto the record of the seed it names.
      seedUnitCode: scan?.source === 'seed_label' && scan.inputs.some((i) => i.id === chosen?.id) ? scan.seed.unitCode : null,
      view: {
        code: pick.code, q: pick.q, scan, scanProblem: problem, results,
        recentInputs: recent.map((id) => known.get(id)).filter((i): i is FarmInputView => !!i),
      },
    };
  }

  /** The form as the last use of this input on the site filled it (else the site's last record): one tap to confirm. */
  private prefill(ctx: ConsoleContext, input: FarmInputView, scanned: { labelCode: string | null; seedUnitCode: string | null }, records: InputApplicationView[], crops: string[]): FormState {
    const recorded = records.filter((r) => r.status === 'recorded');
    const same = recorded.find((r) => r.input.id === input.id);
    const last = recorded[0];
    const rule = input.cropRules.find((r) => r.maxDose);
    const doseUnit = same?.dose.unit ?? rule?.maxDose?.unit.split('/')[0] ?? (input.kind === 'pesticide' || input.kind === 'veterinary_drug' ? 'mL' : 'kg');
    return formState({
      inputId: input.id, labelCode: scanned.labelCode ?? '', seedUnitCode: scanned.seedUnitCode ?? '', crop: same?.crop ?? last?.crop ?? crops[0] ?? '', appliedAt: chinaLocalInput(),
      'dose.value': same?.dose.value ?? '', 'dose.unit': doseUnit,
      'area.value': same?.area.value ?? last?.area.value ?? '', 'area.unit': same?.area.unit ?? last?.area.unit ?? '亩',
      target: same?.target ?? (input.kind === 'seed' ? '播种' : ''), operator: ctx.user.displayName,
    });
  }
}
