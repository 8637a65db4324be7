import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { Public } from '../auth';
import { OrganizationsService } from '../organizations';
import { CreatePlanDto, GenerateRoundDto, RefuseRecheckDto, SampleDetail, SamplesService, SamplingPlansService } from '../sampling';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, fields, FormBody, formBody, html, redirect } from './console-http';
import { formProblems } from './domain/error-messages';
import { DomainError, isDomainError } from '../../../libs/errors';
import { regionCodeFromText, regionText } from './console-regions';
import { sampleLabelsPdf } from './sample-labels';
import { EMPTY_FORM, formState, FormState } from './views/layout';
import { newPlanPage, planPage, QUOTA_ROWS, regulatorSamplePage, samplingPage } from './views/sampling-pages';

/** A list typed into a text box: commas (either width), 、, semicolons or new lines between items. */
export function typedList(text: string): string[] {
  return text.split(/[,，、;；\n\r]+/).map((s) => s.trim()).filter(Boolean);
}

/** Regulator workspace: sampling plans (create), drawing a period's samples, following custody, accepting rechecks. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/sampling')
export class RegulatorSamplingController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly plans: SamplingPlansService,
    private readonly samples: SamplesService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Get()
  async overview(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const [plans, rechecks, recent] = await Promise.all([
      this.plans.list(ctx.actor, 100),
      this.samples.list(ctx.actor, { recheck: 'open', limit: 100 }),
      this.samples.list(ctx.actor, { limit: 30 }),
    ]);
    return html(reply, samplingPage(ctx, plans.items, rechecks.items, recent.items));
  }

  @Get('plans/new')
  async newPlan(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const year = chinaDate(new Date()).slice(0, 4);
    const defaults = formState({
      stream: 'routine_monitoring', cadence: 'monthly', regionCode: ctx.actor.regionCode ? regionText(ctx.actor.regionCode) : '', periodFrom: `${year}-01-01`, periodTo: `${year}-12-31`,
    });
    return html(reply, newPlanPage(ctx, await this.organizations.labs(), defaults, newKey()));
  }

  @Post('plans')
  async createPlan(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const { values, plain, names, rows } = planFromForm(body);
    const outcome = await attempt(CreatePlanDto, plain, names, (dto) => this.plans.create(ctx.actor, dto), planAliases(values, rows));
    if (outcome.ok) return redirect(reply, `/app/sampling/plans/${outcome.result.id}?created=1`);
    return html(reply, newPlanPage(ctx, await this.organizations.labs(), formState(values, outcome.problems), field(body, '_key') || newKey()), 422);
  }

  @Get('plans/:id/edit')
  async editPlan(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const plan = await this.plans.get(ctx.actor, id);
    if (plan.issuerOrganizationId !== ctx.organization.id) return redirect(reply, `/app/sampling/plans/${plan.id}`);
    const values: Record<string, string | string[]> = {
      name: plan.name, stream: plan.stream, regionCode: regionText(plan.regionCode), cadence: plan.cadence, periodFrom: plan.periodFrom, periodTo: plan.periodTo,
      categories: plan.categories.join('\n'), analytes: plan.analytes.join('、'), labOrganizationIds: plan.labOrganizationIds,
    };
    plan.quotas.forEach((q, i) => Object.assign(values, { [`quotas[${i}].county`]: regionText(q.county), [`quotas[${i}].category`]: q.category, [`quotas[${i}].count`]: String(q.count) }));
    return html(reply, newPlanPage(ctx, await this.organizations.labs(), formState(values), '', { plan, quotaRows: quotaRowsFor(plan.quotas.length) }));
  }

  @Post('plans/:id')
  async updatePlan(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const plan = await this.plans.get(ctx.actor, id);
    const { values, plain, names, rows } = planFromForm(formBody(request));
    const outcome = await attempt(CreatePlanDto, plain, names, (dto) => this.plans.update(ctx.actor, plan.id, dto), planAliases(values, rows));
    if (outcome.ok) return redirect(reply, `/app/sampling/plans/${plan.id}?updated=1`);
    return html(reply, newPlanPage(ctx, await this.organizations.labs(), formState(values, outcome.problems), '', { plan, quotaRows: rows }), 422);
  }

  @Get('plans/:id')
  async plan(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const notice = query.created ? '计划已创建' : query.updated ? '计划已修改，从下一次抽取起生效' : query.drawn ? `已抽取 ${query.drawn.slice(0, 10)} 期的样品` : undefined;
    return html(reply, await this.planView(ctx, id, formState({ on: chinaDate(new Date()) }), notice));
  }

  private async planView(ctx: ConsoleContext, id: string, draw: FormState, notice?: string): Promise<string> {
    const plan = await this.plans.get(ctx.actor, id);
    const [rounds, samples, labs] = await Promise.all([
      this.plans.listRounds(ctx.actor, plan.id),
      this.samples.list(ctx.actor, { planId: plan.id, limit: 200 }),
      this.organizations.summaries(plan.labOrganizationIds),
    ]);
    return planPage(ctx, { plan, rounds: rounds.items, samples: samples.items, labs: new Map([...labs].map(([k, o]) => [k, o.name])) }, draw, notice);
  }

  @Post('plans/:id/rounds')
  async draw(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const on = field(formBody(request), 'on');
    const outcome = await attempt(GenerateRoundDto, { on: on || undefined }, ['on'], (dto) => this.plans.generateFor(ctx.actor, id, dto.on), { on: 'on' });
    if (outcome.ok) return redirect(reply, `/app/sampling/plans/${encodeURIComponent(id)}?drawn=${encodeURIComponent(outcome.result.round.periodKey)}`);
    // A date outside the plan names no field of its own: it is the date's.
    if (outcome.code === 'PERIOD_OUTSIDE_PLAN' && outcome.problems.general) outcome.problems = { fields: { on: outcome.problems.general }, general: null };
    return html(reply, await this.planView(ctx, id, formState({ on }, outcome.problems)), 422);
  }

  @Get('plans/:id/labels.pdf')
  async labels(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const plan = await this.plans.get(ctx.actor, id);
    const samples = (await this.samples.list(ctx.actor, { planId: plan.id, limit: 200 })).items.filter((s) => s.status === 'planned' || s.status === 'collected');
    if (!samples.length) return redirect(reply, `/app/sampling/plans/${plan.id}`);
    return reply.type('application/pdf').header('content-disposition', 'inline; filename="sample-labels.pdf"').header('cache-control', 'private, no-store')
      .send(await sampleLabelsPdf(samples));
  }

  @Get('samples/:id')
  async sample(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const sample = await this.samples.get(ctx.actor, id);
    const notice = query.accepted ? '已采纳复检结论' : query.refused ? '已不予采纳该复检，原结论继续有效' : undefined;
    return html(reply, regulatorSamplePage(ctx, sample, await this.names(sample), EMPTY_FORM, notice));
  }

  @Post('samples/:id/refuse')
  async refuse(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const reason = field(formBody(request), 'reason');
    const outcome = await attempt(RefuseRecheckDto, { reason }, ['reason'], (dto) => this.samples.refuseRecheck(ctx.actor, id, dto));
    if (outcome.ok) return redirect(reply, `/app/sampling/samples/${outcome.result.id}?refused=1`);
    if (outcome.code === 'NOT_FOUND') throw new DomainError('NOT_FOUND', 'Sample not found');
    const sample = await this.samples.get(ctx.actor, id);
    return html(reply, regulatorSamplePage(ctx, sample, await this.names(sample), EMPTY_FORM, undefined, formState({ reason }, outcome.problems)), 422);
  }

  @Post('samples/:id/accept')
  async accept(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    try {
      const sample = await this.samples.acceptRecheck(ctx.actor, id);
      return redirect(reply, `/app/sampling/samples/${sample.id}?accepted=1`);
    } catch (error) {
      if (!isDomainError(error) || error.code === 'NOT_FOUND') throw error;
      const sample = await this.samples.get(ctx.actor, id);
      return html(reply, regulatorSamplePage(ctx, sample, await this.names(sample), formState({}, formProblems(error, []))), 422);
    }
  }

  private async names(s: SampleDetail): Promise<Map<string, string>> {
    const orgs = await this.organizations.summaries([s.labOrganizationId, s.organizationId, s.issuerOrganizationId, ...s.custody.map((c) => c.by)]);
    return new Map([...orgs].map(([id, o]) => [id, o.name]));
  }
}

/** The plan form as the API's body: lists typed one per line or comma-separated, quota rows that were filled in. */
/** Quota rows a plan form shows: every quota of the plan and one empty row, at least QUOTA_ROWS. */
function quotaRowsFor(quotas: number): number {
  return Math.min(500, Math.max(QUOTA_ROWS, quotas + 1));
}

function planFromForm(body: FormBody): { values: Record<string, string | string[]>; plain: Record<string, unknown>; names: string[]; rows: number } {
  const single = ['name', 'stream', 'regionCode', 'cadence', 'periodFrom', 'periodTo', 'categories', 'analytes'];
  const values: Record<string, string | string[]> = Object.fromEntries(single.map((n) => [n, field(body, n)]));
  values.labOrganizationIds = fields(body, 'labOrganizationIds');
  const names = [...single, 'labOrganizationIds', 'quotas'];
  const quotas: { county: string; category: string; count: unknown }[] = [];
  // The rows the form showed: QUOTA_ROWS, or more when it was a plan with many quotas.
  let rows = QUOTA_ROWS;
  while (rows < 500 && `quotas[${rows}].county` in body) rows++;
  for (let i = 0; i < rows; i++) {
    const row = ['county', 'category', 'count'].map((k) => {
      const name = `quotas[${i}].${k}`;
      names.push(name);
      values[name] = field(body, name);
      return values[name] as string;
    });
    if (row.some(Boolean)) quotas.push({ county: regionCodeFromText(row[0]), category: row[1], count: /^\d{1,6}$/.test(row[2]) ? Number(row[2]) : row[2] });
  }
  const text = (n: string) => values[n] as string;
  return {
    values, names, rows,
    plain: {
      name: text('name'), stream: text('stream'), regionCode: regionCodeFromText(text('regionCode')), cadence: text('cadence'), periodFrom: text('periodFrom'), periodTo: text('periodTo'),
      categories: typedList(text('categories')), analytes: typedList(text('analytes')), quotas, labOrganizationIds: values.labOrganizationIds,
    },
  };
}

/**
 * The API names list items (`analytes[2]`, `quotas[0].county`); the form has one box per list and
 * only the filled quota rows were sent, so map them back to the rows and boxes shown.
 */
function planAliases(values: Record<string, string | string[]>, rows: number): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (let i = 0; i < 200; i++) {
    aliases[`analytes[${i}]`] = 'analytes';
    aliases[`categories[${i}]`] = 'categories';
    aliases[`labOrganizationIds[${i}]`] = 'labOrganizationIds';
  }
  const filled = Array.from({ length: rows }, (_, i) => i).filter((i) => ['county', 'category', 'count'].some((k) => values[`quotas[${i}].${k}`]));
  filled.forEach((row, sent) => {
    for (const k of ['county', 'category', 'count']) {
      aliases[`quotas[${sent}].${k}`] = `quotas[${row}].${k}`;
      aliases[`quotas.${sent}.${k}`] = `quotas[${row}].${k}`;
    }
  });
  aliases.quotas = 'quotas[0].county';
  return aliases;
}
