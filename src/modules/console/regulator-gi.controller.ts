import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { DomainError } from '../../../libs/errors';
import { Public, regulatorPrefix } from '../auth';
import type { Actor } from '../auth';
import { CreateAuthorisationDto, CreateGiDto, GiService, mayAuthorise, mayWriteArea, RevokeDto } from '../gi';
import type { GiView } from '../gi';
import { regionPrefix } from '../regions/domain';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, fields, formBody, html, redirect } from './console-http';
import { regionCodeFromText, regionText, SICHUAN_REGIONS } from './console-regions';
import { ConsoleSubmissionsService, submitOnce } from './console-submissions.service';
import { EMPTY_FORM, formState, FormState } from './views/layout';
import { GI_PAGE_ROWS, giListPage, GiRecordForms, giRecordPage, GiRow, GiUser } from './views/gi-pages';

const GI_FIELDS = ['regime', 'registrationNumber', 'productName', 'holderUscc', 'holderName', 'areaCodes', 'areaText', 'specReference', 'announcementNumber', 'announcedOn'];
const AUTH_FIELDS = ['uscc', 'validFrom', 'validTo', 'yearlyQuota.value', 'yearlyQuota.unit'];
const thisYear = () => Number(chinaDate().slice(0, 4));

/** A regulator sees the GI records whose protected area covers or lies in its region (like GET /api/v1/gi?regionCode=). */
function visible(actor: Actor, gi: GiView): boolean {
  const prefix = regulatorPrefix(actor);
  if (prefix === null) return true;
  return gi.protectedArea.codes.some(({ code }) => code.startsWith(prefix) || actor.regionCode!.startsWith(regionPrefix(code)));
}

/** The regions a regulator may name as a protected area: its region and what lies in it. */
function writableRegions(actor: Actor): [string, string][] {
  if (!actor.regionCode || actor.role !== 'regulator') return [];
  const prefix = regionPrefix(actor.regionCode);
  const inside = SICHUAN_REGIONS.filter(([code]) => code.startsWith(prefix));
  return inside.length ? inside : [[actor.regionCode, regionText(actor.regionCode)]];
}

/**
 * Regulator workspace 地理标志: the GI records of the region, recording a new one, adding and
 * removing authorised users, revoking a record. The work is GiService's (the same rules as
 * /api/v1/gi: a regulator writes records whose protected area lies inside its region); the pages
 * show a form only where those rules let the person submit it.
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/gi')
export class RegulatorGiController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly submissions: ConsoleSubmissionsService,
    private readonly gi: GiService,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const cursor = typeof query.cursor === 'string' && query.cursor ? query.cursor : undefined;
    return html(reply, await this.listView(ctx, formState({ regime: 'agi' }), newKey(), cursor));
  }

  @Post()
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values: Record<string, string | string[]> = Object.fromEntries(GI_FIELDS.map((n) => [n, field(body, n)]));
    values.chinaEu = fields(body, 'chinaEu');
    const text = (n: string) => values[n] as string;
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const areaCodes = text('areaCodes').split(/[、,，;；\s]+/).filter(Boolean).map(regionCodeFromText);
      const aliases: Record<string, string> = {};
      for (let i = 0; i < 500; i++) aliases[`areaCodes[${i}]`] = 'areaCodes';
      const outcome = await attempt(CreateGiDto, {
        // An empty required field is "not given": the DTO names all of them at once.
        regime: text('regime'), registrationNumber: optional(text('registrationNumber').trim()), productName: optional(text('productName').trim()),
        holderUscc: optional(text('holderUscc').trim()), holderName: optional(text('holderName')), areaCodes,
        areaText: optional(text('areaText')), specReference: optional(text('specReference')),
        announcementNumber: optional(text('announcementNumber')), announcedOn: optional(text('announcedOn')),
        chinaEu: values.chinaEu.includes('true'),
      }, GI_FIELDS, (dto) => {
        // Outside the region the service refuses the person (403); the form names the field instead.
        if (dto.areaCodes.every((c) => /^\d{6}$/.test(String(c))) && !mayWriteArea(ctx.actor, dto.areaCodes)) {
          throw new DomainError('VALIDATION_FAILED', 'The protected area must lie inside the region', { field: 'areaCodes', rule: 'jurisdiction' });
        }
        return this.gi.create(ctx.actor, dto);
      }, aliases);
      if (outcome.ok) return { path: `/app/gi/${outcome.result.id}?created=1` };
      return { page: await this.listView(ctx, formState(values, outcome.problems), field(body, '_key')), code: outcome.code };
    });
  }

  @Get(':id')
  async record(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const notice = query.created ? '地理标志已登记' : query.authorised ? '已添加授权使用人' : query.removed ? '已取消授权' : query.revoked ? '地理标志已撤销' : undefined;
    return html(reply, await this.recordView(ctx, id, {}, notice));
  }

  @Post(':id/authorisations')
  async authorise(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values: Record<string, string> = Object.fromEntries(AUTH_FIELDS.map((n) => [n, field(body, n)]));
    const gi = await this.visibleRecord(ctx, id);
    return submitOnce(this.submissions, ctx.user.id, body, reply, async () => {
      const quota = values['yearlyQuota.value'];
      const outcome = await attempt(CreateAuthorisationDto, {
        uscc: optional(values.uscc.trim()), validFrom: values.validFrom, validTo: optional(values.validTo),
        yearlyQuota: quota ? { value: quota, unit: values['yearlyQuota.unit'] } : undefined,
      }, AUTH_FIELDS, (dto) => this.gi.authorise(ctx.actor, gi.id, dto), { organizationId: 'uscc', yearlyQuota: 'yearlyQuota.value' });
      if (outcome.ok) return { path: `/app/gi/${gi.id}?authorised=1` };
      return { page: await this.recordView(ctx, gi.id, { authorise: formState(values, outcome.problems), key: field(body, '_key') }), code: outcome.code };
    });
  }

  @Post(':id/authorisations/:authId/revoke')
  async removeUser(@Req() request: FastifyRequest, @Param('id') id: string, @Param('authId') authId: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const reason = field(formBody(request), 'reason');
    const gi = await this.visibleRecord(ctx, id);
    // A blank reason reaches the service, which names it (a removal always says why).
    const outcome = await attempt(RevokeDto, { reason }, ['reason'], (dto) => this.gi.revokeAuthorisation(ctx.actor, gi.id, authId, dto));
    // A second submit of the same removal lands where the first did.
    if (outcome.ok || outcome.code === 'GI_AUTHORISATION_REVOKED') return redirect(reply, `/app/gi/${gi.id}?removed=1`);
    return html(reply, await this.recordView(ctx, gi.id, { removals: { [authId]: formState({ reason }, outcome.problems) } }), 422);
  }

  @Post(':id/revoke')
  async revoke(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const reason = field(formBody(request), 'reason');
    const gi = await this.visibleRecord(ctx, id);
    const outcome = await attempt(RevokeDto, { reason }, ['reason'], (dto) => this.gi.revoke(ctx.actor, gi.id, dto));
    if (outcome.ok || outcome.code === 'GI_ALREADY_REVOKED') return redirect(reply, `/app/gi/${gi.id}?revoked=1`);
    return html(reply, await this.recordView(ctx, gi.id, { revoke: formState({ reason }, outcome.problems) }), 422);
  }

  /** The record, or "not found" when it lies outside the person's region (as another organisation's data). */
  private async visibleRecord(ctx: ConsoleContext, id: string): Promise<GiView> {
    const gi = await this.gi.get(id);
    if (!visible(ctx.actor, gi)) throw new DomainError('NOT_FOUND', 'Geographical indication not found');
    return gi;
  }

  private async rows(ctx: ConsoleContext, records: GiView[], year: number): Promise<GiRow[]> {
    const [lists, usage] = await Promise.all([
      Promise.all(records.map((gi) => this.gi.listAuthorisations(gi.id, 100))),
      this.gi.yearUsage(records.map((gi) => gi.id), year),
    ]);
    const used = new Map(usage.map((u) => [u.authorisationId, u.used]));
    // An authorised user outside the region (an admin's doing) is not the regulator's to remove: no form.
    const orgs = await this.gi.organizationsById(lists.flatMap((l) => l.items.map((a) => a.organization.id)));
    const mayRemove = (orgId: string) => { const org = orgs.get(orgId); return !!org && mayAuthorise(ctx.actor, org); };
    return records.map((gi, i) => ({
      gi,
      users: lists[i].items.map((a): GiUser => ({ ...a, used: used.get(a.id) ?? null, mayRemove: mayRemove(a.organization.id) })),
      mayWrite: mayWriteArea(ctx.actor, gi.protectedArea.codes.map((c) => c.code)),
    }));
  }

  private async listView(ctx: ConsoleContext, state: FormState, key: string, cursor?: string): Promise<string> {
    const page = await this.gi.list({ regionCode: ctx.actor.regionCode ?? undefined, limit: GI_PAGE_ROWS, cursor });
    const year = thisYear();
    return giListPage(ctx, { rows: await this.rows(ctx, page.items, year), next: page.nextCursor, year, regions: writableRegions(ctx.actor) }, state, key);
  }

  private async recordView(ctx: ConsoleContext, id: string, forms: Partial<GiRecordForms>, notice?: string): Promise<string> {
    const gi = await this.visibleRecord(ctx, id);
    const year = thisYear();
    const [row] = await this.rows(ctx, [gi], year);
    return giRecordPage(ctx, row, year, {
      authorise: formState({ validFrom: chinaDate(), 'yearlyQuota.unit': 't' }), revoke: EMPTY_FORM, removals: {}, key: newKey(), ...forms,
    }, notice);
  }
}
