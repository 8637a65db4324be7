import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { Public } from '../auth';
import { BatchesService } from '../batches';
import { CertificatesService } from '../certificates';
import { TestRecordsService } from '../test-records';
import { ConsoleExceptionFilter } from './console-errors';
import { ConsoleGate } from './console-gate';
import { html, redirect } from './console-http';
import { homePage } from './views/home-page';

/** The console's first page: a producer's or purchaser's day (a regulator goes to the dashboard). */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class ConsoleHomeController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly batches: BatchesService,
    private readonly certificates: CertificatesService,
    private readonly testRecords: TestRecordsService,
  ) {}

  @Get()
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    // A regulator's console is the dashboard of its jurisdiction (the home page is a producer's day).
    if (ctx.user.role === 'regulator') return redirect(reply, '/app/dashboard');
    const today = chinaDate(new Date());
    const [batchPage1, certPage] = await Promise.all([
      this.batches.list(ctx.actor, 100),
      this.certificates.list(ctx.actor, { limit: 50 }),
    ]);
    const recent = batchPage1.items;
    const tests = await Promise.all(recent.slice(0, 10).map(async (batch) =>
      (await this.testRecords.listForBatch(ctx.actor, batch.id)).items.filter((t) => t.verdict === 'fail').map((test) => ({ batch, test }))));
    return html(reply, homePage(ctx, {
      today,
      batches: recent.filter((b) => chinaDate(new Date(b.createdAt)) === today),
      certificates: certPage.items.filter((c) => c.issuedOn === today),
      held: recent.filter((b) => b.status === 'on_hold'),
      recalled: recent.filter((b) => b.status === 'recalled'),
      failedTests: tests.flat(),
    }));
  }
}
