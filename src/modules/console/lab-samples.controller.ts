import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, isDomainError } from '../../../libs/errors';
import { Public } from '../auth';
import type { Actor } from '../auth';
import { OrganizationsService } from '../organizations';
import { CollectSampleDto, SampleDetail, SamplesService, SubmitResultsDto } from '../sampling';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, chinaInstant, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, FormBody, formBody, html, redirect } from './console-http';
import { formProblems } from './domain/error-messages';
import { sampleLabelsPdf } from './sample-labels';
import { EMPTY_FORM, formState, FormState } from './views/layout';
import { labPage, labSamplePage, resultsCsvPage } from './views/lab-pages';

/** The person acts as their lab: the sampling services' lab rules (assigned samples only) apply. */
export function labActor(ctx: ConsoleContext): Actor {
  return { ...ctx.actor, role: 'lab' };
}

/** A sample number as scanned from its label (the number itself, or a link ending in it) or typed. */
export function scannedSampleNo(typed: string): string {
  const t = typed.trim();
  return /^https?:\/\//i.test(t) ? decodeURIComponent(t.replace(/[?#].*$/, '').split('/').filter(Boolean).pop() ?? '') : t;
}

/** Lab workspace: the samples assigned to this lab — receive (custody), results by form or CSV, verdicts, sample labels. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/lab')
export class LabSamplesController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly samples: SamplesService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Get()
  async queue(@Req() request: FastifyRequest, @Query('received') received: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, await this.queueView(ctx, EMPTY_FORM, received ? `样品 ${received.slice(0, 40)} 已接收` : undefined));
  }

  private async queueView(ctx: ConsoleContext, receive: FormState, notice?: string): Promise<string> {
    const actor = labActor(ctx);
    const list = (status: string, limit = 50) => this.samples.list(actor, { status, limit }).then((p) => p.items);
    const [planned, collected, received, tested, judged] = await Promise.all([
      list('planned'), list('collected'), list('received'), list('tested', 20), list('judged', 20),
    ]);
    return labPage(ctx, { toCollect: planned, toReceive: collected, toTest: received, done: [...tested, ...judged] }, receive, notice);
  }

  /** Receiving by the sample label: the scanned or typed number finds the sample, which is signed for. */
  @Post('receive')
  async receiveByCode(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const code = field(formBody(request), 'code');
    try {
      if (!code) throw new DomainError('VALIDATION_FAILED', 'code is required', { fields: [{ field: 'code', rule: 'isNotEmpty', message: 'code is required' }] });
      const sample = await this.samples.findByNumber(labActor(ctx), scannedSampleNo(code));
      // Signing twice (a second scan of the same label) is not an error: the sample is already here.
      if (sample.status !== 'received') await this.samples.receive(labActor(ctx), sample.id);
      return redirect(reply, `/app/lab/samples/${sample.id}?received=1`);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problems = formProblems(error.code === 'INVALID_SAMPLE_TRANSITION' || error.code === 'NOT_FOUND'
        ? new DomainError(error.code, error.message, { field: 'code', rule: error.code }) : error, ['code'], {});
      return html(reply, await this.queueView(ctx, formState({ code }, problems)), 422);
    }
  }

  @Get('samples/:id')
  async sample(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const sample = await this.samples.get(labActor(ctx), id);
    const notice = query.received ? '样品已接收' : query.collected ? '采样已记录' : query.submitted ? '结果已提交' : undefined;
    return html(reply, await this.sampleView(ctx, sample, { collect: EMPTY_FORM, results: this.resultsDefaults(sample), key: newKey() }, notice));
  }

  private resultsDefaults(s: SampleDetail): FormState {
    return formState(Object.fromEntries(s.analytes.map((_, i) => [`results[${i}].unit`, 'mg/kg'])));
  }

  private async sampleView(ctx: ConsoleContext, sample: SampleDetail, forms: { collect: FormState; results: FormState; key: string }, notice?: string): Promise<string> {
    const orgs = await this.organizations.summaries([sample.issuerOrganizationId, ...sample.custody.map((c) => c.by)]);
    const names = new Map([...orgs].map(([id, o]) => [id, o.name]));
    return labSamplePage(ctx, { sample, names }, forms, notice);
  }

  @Post('samples/:id/collect')
  async collect(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { place: field(body, 'place'), collectedAt: field(body, 'collectedAt'), sampler: field(body, 'sampler') };
    const outcome = await attempt(CollectSampleDto, { ...values, collectedAt: chinaInstant(values.collectedAt) }, Object.keys(values),
      (dto) => this.samples.collect(labActor(ctx), id, dto));
    if (outcome.ok) return redirect(reply, `/app/lab/samples/${outcome.result.id}?collected=1`);
    const sample = await this.samples.get(labActor(ctx), id);
    return html(reply, await this.sampleView(ctx, sample, { collect: formState(values, outcome.problems), results: this.resultsDefaults(sample), key: newKey() }), 422);
  }

  @Post('samples/:id/receive')
  async receive(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const sample = await this.samples.get(labActor(ctx), id);
    if (sample.status === 'received') return redirect(reply, `/app/lab/samples/${sample.id}?received=1`);
    try {
      await this.samples.receive(labActor(ctx), sample.id);
      return redirect(reply, `/app/lab/samples/${sample.id}?received=1`);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return html(reply, await this.sampleView(ctx, sample, { collect: formState({}, formProblems(error, [])), results: this.resultsDefaults(sample), key: newKey() }), 422);
    }
  }

  @Post('samples/:id/results')
  async results(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const sample = await this.samples.get(labActor(ctx), id);
    const { values, plain, names } = resultsFromForm(body, sample);
    const key = field(body, '_key');
    const outcome = await attempt(SubmitResultsDto, plain, names, (dto) => this.samples.submit(labActor(ctx), sample.id, dto, key || undefined));
    if (outcome.ok) return redirect(reply, `/app/lab/samples/${sample.id}?submitted=1`);
    const now = await this.samples.get(labActor(ctx), id);
    return html(reply, await this.sampleView(ctx, now, { collect: EMPTY_FORM, results: formState(values, outcome.problems), key: key || newKey() }), 422);
  }

  @Get('samples/:id/label.pdf')
  async label(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const sample = await this.samples.get(labActor(ctx), id);
    return pdf(reply, await sampleLabelsPdf([sample]), `sample-${sample.sampleNo}.pdf`);
  }

  /** Labels of every sample still to be collected or received (a sampler's day), three copies each. */
  @Get('labels.pdf')
  async labels(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const actor = labActor(ctx);
    const [planned, collected] = await Promise.all([this.samples.list(actor, { status: 'planned', limit: 100 }), this.samples.list(actor, { status: 'collected', limit: 100 })]);
    const all = [...planned.items, ...collected.items];
    if (!all.length) return redirect(reply, '/app/lab');
    return pdf(reply, await sampleLabelsPdf(all), 'sample-labels.pdf');
  }

  @Get('results-csv')
  async csvForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, resultsCsvPage(ctx, EMPTY_FORM, null));
  }

  @Post('results-csv')
  async csvUpload(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const csv = field(formBody(request), 'csv');
    try {
      if (!csv) throw new DomainError('VALIDATION_FAILED', 'csv is required', { fields: [{ field: 'csv', rule: 'isNotEmpty', message: 'csv is required' }] });
      const report = await this.samples.uploadCsv(labActor(ctx), `${csv}\n`);
      // Rows with problems are listed in the report; the form keeps the text so they can be fixed and sent again.
      return html(reply, resultsCsvPage(ctx, formState(report.problems.length ? { csv } : {}), report), report.problems.length ? 422 : 200);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problems = formProblems(new DomainError(error.code, error.message, { field: 'csv', rule: error.code === 'VALIDATION_FAILED' ? 'isNotEmpty' : error.code }), ['csv']);
      return html(reply, resultsCsvPage(ctx, formState({ csv }, problems), null), 422);
    }
  }
}

/** The results form (one fieldset per analyte) as the API's body, and the values to show again. */
function resultsFromForm(body: FormBody, sample: SampleDetail): { values: Record<string, string>; plain: Record<string, unknown>; names: string[] } {
  const values: Record<string, string> = { method: field(body, 'method') };
  const names = ['method'];
  const results = sample.analytes.map((analyte, i) => {
    const f = (name: string) => {
      const key = `results[${i}].${name}`;
      names.push(key);
      values[key] = field(body, key);
      return values[key];
    };
    const detected = f('detected');
    return {
      analyte, value: optional(f('value')), unit: optional(f('unit')), lod: optional(f('lod')), loq: optional(f('loq')),
      detected: detected === 'true' ? true : detected === 'false' ? false : undefined, method: optional(values.method),
    };
  });
  return { values, plain: { results }, names };
}

function pdf(reply: FastifyReply, body: Buffer, filename: string): FastifyReply {
  return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).header('cache-control', 'private, no-store').send(body);
}
