import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { Public } from '../auth';
import { BatchesService, BatchView, ChangeBatchStatusDto } from '../batches';
import { SamplesService } from '../sampling';
import { CreateTestRecordDto, TestRecordsService } from '../test-records';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, FormBody, formBody, html, redirect } from './console-http';
import { newTestPage, statusPage, TEST_ROWS } from './views/batch-action-pages';
import { formState, FormState } from './views/layout';

/**
 * Cooperative workspace: a producer's own steps on one batch — entering a self-test (so 自行检测合格
 * can be a certificate's basis), putting the batch on hold and back on sale.
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/batches')
export class CooperativeBatchActionsController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly batches: BatchesService,
    private readonly testRecords: TestRecordsService,
    private readonly samples: SamplesService,
  ) {}

  @Get(':id/tests/new')
  async testForm(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const batch = await this.batches.get(ctx.actor, id);
    const suggested = await this.suggested(ctx, batch);
    const values: Record<string, string> = { stream: 'self_test', testedOn: chinaDate(new Date()) };
    suggested.forEach((a, i) => { values[`results[${i}].analyte`] = a; });
    return html(reply, newTestPage(ctx, batch, suggested, formState(values), newKey()));
  }

  /** What the batch's farm records say was used on it (用什么药、检什么药); none when unknown. */
  private async suggested(ctx: ConsoleContext, batch: BatchView): Promise<string[]> {
    return (await this.samples.suggestPanel(ctx.actor, batch.id)).analytes;
  }

  @Post(':id/tests')
  async createTest(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const batch = await this.batches.get(ctx.actor, id);
    const { values, plain, names, aliases } = testFromForm(body);
    const outcome = await attempt(CreateTestRecordDto, plain, names, (dto) => this.testRecords.create(ctx.actor, batch.id, dto), aliases);
    if (outcome.ok) return redirect(reply, `/app/batches/${batch.id}?tested=1`);
    return html(reply, newTestPage(ctx, batch, await this.suggested(ctx, batch), formState(values, outcome.problems), newKey()), 422);
  }

  @Get(':id/status')
  async statusForm(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, statusPage(ctx, await this.batches.get(ctx.actor, id), formState({})));
  }

  @Post(':id/status')
  async changeStatus(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { status: field(body, 'status'), reason: field(body, 'reason') };
    const outcome = await attempt(ChangeBatchStatusDto, { status: values.status, reason: optional(values.reason) }, ['reason', 'status'],
      (dto) => this.batches.changeStatus(ctx.actor, id, dto));
    if (outcome.ok) return redirect(reply, `/app/batches/${outcome.result.id}?${outcome.result.status === 'on_hold' ? 'held' : 'released'}=1`);
    return html(reply, statusPage(ctx, await this.batches.get(ctx.actor, id), formState(values, outcome.problems) as FormState), 422);
  }
}

/** The filled analyte rows of the self-test form as the API's body (empty rows are not sent). */
function testFromForm(body: FormBody): { values: Record<string, string>; plain: Record<string, unknown>; names: string[]; aliases: Record<string, string> } {
  const single = ['stream', 'testedOn', 'testerName', 'reportNo', 'method'];
  const values: Record<string, string> = Object.fromEntries(single.map((n) => [n, field(body, n)]));
  const names = [...single, 'results'];
  const aliases: Record<string, string> = { results: 'results[0].analyte' };
  const results: Record<string, unknown>[] = [];
  for (let i = 0; i < 50; i++) {
    const keys = ['analyte', 'detected', 'value', 'lod', 'unit', 'verdict'];
    if (!(`results[${i}].analyte` in body) && i >= TEST_ROWS) break;
    for (const k of keys) {
      values[`results[${i}].${k}`] = field(body, `results[${i}].${k}`);
      names.push(`results[${i}].${k}`);
    }
    const v = (k: string) => values[`results[${i}].${k}`];
    if (!v('analyte') && !v('value') && !v('lod')) continue;
    const sent = results.length;
    for (const k of keys) aliases[`results[${sent}].${k}`] = `results[${i}].${k}`;
    aliases[`results[${sent}]`] = `results[${i}].analyte`;
    const quantified = !!(v('value') || v('lod'));
    results.push({
      analyte: v('analyte'), detected: v('detected') === 'true', verdict: v('verdict'),
      value: optional(v('value')), lod: optional(v('lod')), unit: quantified ? v('unit') : undefined,
    });
  }
  return {
    values, names, aliases,
    plain: {
      stream: values.stream, testedOn: values.testedOn, testerName: optional(values.testerName), reportNo: optional(values.reportNo),
      method: optional(values.method), results,
    },
  };
}
