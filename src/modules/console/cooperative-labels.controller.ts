import { Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Public } from '../auth';
import { BatchesService } from '../batches';
import { CreatePrintRunDto, LabelsService } from '../labels';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, formBody, html, redirect } from './console-http';
import { formState } from './views/layout';
import { LABEL_CHOICES, printPage, printRunPage } from './views/batch-pages';

/** Cooperative workspace: a batch's labels — print runs (large ones rendered as jobs with progress), downloads, reprints. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class CooperativeLabelsController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly batches: BatchesService,
    private readonly labels: LabelsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('batches/:id/print')
  async printForm(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const batch = await this.batches.get(ctx.actor, id);
    return html(reply, printPage(ctx, batch, formState({ count: '40', choice: 'pdf:a4-40' }), newKey()));
  }

  @Post('batches/:id/print-runs')
  async print(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { count: field(body, 'count'), choice: field(body, 'choice') };
    const choice = LABEL_CHOICES.find((c) => c.id === values.choice) ?? LABEL_CHOICES[0];
    const key = field(body, '_key');
    const batch = await this.batches.get(ctx.actor, id);
    const count = /^\d{1,9}$/.test(values.count) ? Number(values.count) : values.count;
    const outcome = await attempt(CreatePrintRunDto, { count }, ['count', 'choice'],
      (dto) => this.labels.createPrintRun(ctx.actor, batch.id, dto.count, key || undefined));
    if (outcome.ok) return redirect(reply, `/app/print-runs/${outcome.result.view.id}?choice=${encodeURIComponent(choice.id)}`);
    if (!outcome.problems.fields.count && outcome.problems.general && outcome.code !== 'BATCH_NOT_ACTIVE') outcome.problems.fields.count = outcome.problems.general;
    return html(reply, printPage(ctx, batch, formState(values, outcome.problems), key || newKey()), 422);
  }

  @Get('print-runs/:id')
  async printRun(@Req() request: FastifyRequest, @Param('id') id: string, @Query('choice') choiceId: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const run = await this.labels.getPrintRun(ctx.actor, id);
    const batch = await this.batches.get(ctx.actor, run.batchId);
    const choice = LABEL_CHOICES.find((c) => c.id === choiceId) ?? LABEL_CHOICES[0];
    const sync = run.count <= this.config.labelSyncMax;
    let render = run.renders.find((r) => r.format === choice.format && r.layout === choice.layout) ?? null;
    if (!sync && (!render || render.status === 'failed')) {
      // Ask for the file: a large run starts rendering as a job and the page shows its progress.
      // Opening the page asks again for a failed render (the page said 生成失败，请重试).
      const result = await this.labels.labels(ctx.actor, run.id, choice.format, choice.layout, { retryFailed: true });
      if (result.kind === 'pending') render = result.render;
      else {
        destroy(result.body);
        render = { format: choice.format, layout: choice.layout, status: 'done', progress: 100, bytes: null, error: null, downloadUrl: '' };
      }
    }
    return html(reply, printRunPage(ctx, batch, run, choice, render, sync));
  }

  @Get('print-runs/:id/progress')
  async progress(@Req() request: FastifyRequest, @Param('id') id: string, @Query('format') format: string, @Query('layout') layout: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const run = await this.labels.getPrintRun(ctx.actor, id);
    const render = run.renders.find((r) => r.format === format && r.layout === layout);
    return reply.header('cache-control', 'no-store').send(render ? { status: render.status, progress: render.progress } : { status: 'pending', progress: 0 });
  }

  @Get('print-runs/:id/labels.:format')
  async download(@Req() request: FastifyRequest, @Param('id') id: string, @Param('format') format: string, @Query('layout') layout: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const choice = LABEL_CHOICES.find((c) => c.format === format && c.layout === (layout ?? (format === 'pdf' ? 'a4-40' : 'roll-60x40')));
    if (!choice) return redirect(reply, `/app/print-runs/${encodeURIComponent(id)}`);
    const result = await this.labels.labels(ctx.actor, id, choice.format, choice.layout, { retryFailed: true });
    if (result.kind === 'pending') return redirect(reply, `/app/print-runs/${encodeURIComponent(id)}?choice=${encodeURIComponent(choice.id)}`);
    return reply.type(result.contentType).header('content-disposition', `attachment; filename="${result.filename}"`)
      .header('cache-control', 'private, no-store').send(result.body);
  }
}

function destroy(body: Buffer | NodeJS.ReadableStream): void {
  if (!Buffer.isBuffer(body) && 'destroy' in body && typeof body.destroy === 'function') (body.destroy as () => void)();
}
