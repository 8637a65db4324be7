import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { isDomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { Public, regulatorPrefix } from '../auth';
import type { ConsoleContext, FormState } from '../console';
import { ConsoleExceptionFilter, ConsoleGate, formState, html, redirect } from '../console';
import { OrganizationsService } from '../organizations';
import { CreateInspectionDto } from './dto/inspection.dto';
import { InspectionTemplatesService, TemplateView } from './inspection-templates.service';
import { INSPECTED_KINDS, InspectionsService } from './inspections.service';
import { INSPECTION_FORM_CSS, INSPECTION_FORM_JS } from './views/form-script';
import { findingsPage, inspectionFormPage, inspectionPage, inspectionsPage } from './views/inspection-pages';

type FormBody = Record<string, string | string[]>;

const one = (body: FormBody, name: string) => {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const many = (body: FormBody, name: string) => {
  const v = body[name];
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
};

/** The first message of class-validator's errors, with the field path. */
function firstError(errors: ValidationError[], path = ''): { field: string; message: string } | null {
  for (const e of errors) {
    const field = path ? `${path}.${e.property}` : e.property;
    if (e.constraints) return { field, message: Object.values(e.constraints)[0] };
    const nested = firstError(e.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/** Form field of an API field path (`findings[0].deadline` → the item the finding came from). */
function formField(apiField: string, findingItems: string[], photoItems: string[] = []): string {
  const finding = /^findings\[(\d+)\]/.exec(apiField);
  if (finding) return `item.${findingItems[Number(finding[1])]}`;
  const photo = /^photos(\[(\d+)\])?/.exec(apiField);
  if (photo) return photo[2] !== undefined && photoItems[Number(photo[2])] ? `item.${photoItems[Number(photo[2])]}` : 'results';
  const result = /^results\[(\d+)\]/.exec(apiField);
  if (result || apiField === 'results' || apiField === 'findings') return 'results';
  if (apiField === 'inspectors') return 'inspector1';
  return apiField;
}

/**
 * The console's 巡查 workspace (regulators: inspections and the phone/tablet form) and 整改
 * (inspected organisations: their findings). Pages only; the work is InspectionsService's.
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class InspectionsConsoleController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly inspections: InspectionsService,
    private readonly templates: InspectionTemplatesService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Get('inspections/form.js')
  script(@Res() reply: FastifyReply) {
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(INSPECTION_FORM_JS);
  }

  @Get('inspections/form.css')
  stylesheet(@Res() reply: FastifyReply) {
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(INSPECTION_FORM_CSS);
  }

  @Get('inspections')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const [recent, overdue, due] = await Promise.all([
      this.inspections.list(ctx.actor, 30),
      this.inspections.findings(ctx.actor, { status: 'overdue', limit: 50 }),
      regulatorPrefix(ctx.actor) ? this.inspections.due(ctx.actor, { limit: 100 }) : null,
    ]);
    const names = await this.organizations.summaries([...new Set(overdue.items.map((f) => f.organizationId))]);
    return html(reply, inspectionsPage(ctx, recent.items, overdue.items, new Map([...names].map(([id, s]) => [id, s.name])), due));
  }

  @Get('inspections/new')
  async form(@Req() request: FastifyRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const organizationId = typeof query.organizationId === 'string' && isUuid(query.organizationId) ? query.organizationId : '';
    const templateId = typeof query.templateId === 'string' ? query.templateId : '';
    const state = formState({ organizationId, inspectedOn: chinaDate(), ...Object.fromEntries((await this.templateFor(templateId)).items.map((i) => [`severity.${i.key}`, 'minor'])) });
    return html(reply, await this.formView(ctx, state, randomUUID(), templateId, organizationId));
  }

  @Post('inspections')
  async submit(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as FormBody;
    const template = await this.templateFor(one(body, 'templateId'));
    const values: Record<string, string | string[]> = {};
    for (const name of ['organizationId', 'inspectedOn', 'inspector1', 'inspector2', 'note']) values[name] = one(body, name);
    values.closeFindingIds = many(body, 'closeFindingIds');
    // Photos the form's script shrank on the phone, as `itemKey|contentType|base64` (kept on a failed submit).
    values.photo = many(body, 'photo').slice(0, 50);
    const photos = (values.photo as string[]).map((v) => {
      const [itemKey = '', contentType = '', data = ''] = v.split('|');
      return { itemKey: itemKey || undefined, contentType, data };
    });
    const results: { itemKey: string; result: string }[] = [];
    const findings: { itemKey: string; description: string; severity: string }[] = [];
    for (const item of template.items) {
      const result = one(body, `result.${item.key}`);
      const finding = one(body, `finding.${item.key}`);
      const severity = one(body, `severity.${item.key}`) || 'minor';
      Object.assign(values, { [`result.${item.key}`]: result, [`finding.${item.key}`]: finding, [`severity.${item.key}`]: severity });
      if (result) results.push({ itemKey: item.key, result });
      if (result === 'fail') findings.push({ itemKey: item.key, description: finding, severity });
    }
    const key = one(body, '_key');
    const fail = async (field: string, message: string, status = 422) => {
      const state = formState(values, { fields: { [field]: message }, general: `未能提交：${message}` });
      return html(reply, await this.formView(ctx, state, key, template.id, String(values.organizationId)), status);
    };
    const closeFindingIds = values.closeFindingIds as string[];
    const raw = {
      organizationId: values.organizationId, templateId: template.id, inspectedOn: values.inspectedOn,
      inspectors: [values.inspector1, values.inspector2].filter(Boolean), results, findings, note: values.note || undefined,
      closeFindingIds: closeFindingIds.length ? closeFindingIds : undefined,
      photos: photos.length ? photos : undefined,
    };
    const dto = plainToInstance(CreateInspectionDto, raw);
    const invalid = firstError(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
    if (invalid) return fail(formField(invalid.field, findings.map((f) => f.itemKey), photos.map((p) => p.itemKey ?? '')), `${invalid.field}: ${invalid.message}`);
    if (closeFindingIds.length) {
      // The re-inspected inspection: the one that raised the first finding found corrected.
      const open = await this.inspections.findings(ctx.actor, { status: 'open', organizationId: String(values.organizationId), limit: 200 });
      dto.reinspectionOf = open.items.find((f) => f.id === closeFindingIds[0])?.inspectionId;
    }
    try {
      const { view } = await this.inspections.create(ctx.actor, dto, key || undefined);
      return redirect(reply, `/app/inspections/${view.id}${key ? `?draft=${encodeURIComponent(key)}` : ''}`);
    } catch (error) {
      if (!isDomainError(error) || error.code === 'INTERNAL_ERROR') throw error;
      const field = typeof error.details?.field === 'string' ? formField(error.details.field, findings.map((f) => f.itemKey), photos.map((p) => p.itemKey ?? '')) : 'results';
      return fail(field, error.message, error.code === 'FORBIDDEN' ? 403 : error.code === 'NOT_FOUND' ? 404 : 422);
    }
  }

  /** A photo of an inspection the person may read (a download, like the API's). */
  @Get('inspections/:id/photos/:n')
  async photo(@Req() request: FastifyRequest, @Param('id') id: string, @Param('n') n: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const file = await this.inspections.photo(ctx.actor, id, n);
    return reply.type(file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'private, max-age=3600').send(file.body);
  }

  @Get('inspections/:id')
  async one(@Req() request: FastifyRequest, @Param('id') id: string, @Query('draft') draft: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const view = await this.inspections.get(ctx.actor, id);
    const done = typeof draft === 'string' && /^[\x21-\x7e]{1,200}$/.test(draft) ? draft : undefined;
    return html(reply, inspectionPage(ctx, view, done));
  }

  @Get('findings')
  async findings(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const [open, closed] = await Promise.all([
      this.inspections.findings(ctx.actor, { status: 'open', limit: 100 }),
      this.inspections.findings(ctx.actor, { status: 'closed', limit: 30 }),
    ]);
    return html(reply, findingsPage(ctx, open.items, closed.items));
  }

  private async templateFor(id: string): Promise<TemplateView> {
    const published = await this.templates.published();
    return published.find((t) => t.id === id) ?? published.find((t) => t.code === 'planting') ?? published[0];
  }

  private async formView(ctx: ConsoleContext, state: FormState, key: string, templateId: string, organizationId: string): Promise<string> {
    const [templates, organizations, template] = await Promise.all([this.templates.published(), this.organizations.list(ctx.actor, 200), this.templateFor(templateId)]);
    const options = organizations.items.filter((o) => (INSPECTED_KINDS as readonly string[]).includes(o.kind))
      .map((o): [string, string] => [o.id, `${o.name}（${o.regionName}）`]);
    const openFindings = organizationId && isUuid(organizationId)
      ? (await this.inspections.findings(ctx.actor, { status: 'open', organizationId, limit: 100 })).items : [];
    return inspectionFormPage(ctx, { organizations: options, templates, template, openFindings, today: chinaDate() }, state, key);
  }
}
