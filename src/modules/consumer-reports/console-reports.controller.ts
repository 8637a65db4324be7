import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { Public } from '../auth';
import { attempt, ConsoleExceptionFilter, ConsoleGate, field, formBody, formState, html, redirect } from '../console';
import { ConsumerReportsService } from './consumer-reports.service';
import { REPORT_STATUSES } from './domain/report-rules';
import { ReplyDto, TriageDto } from './dto/consumer-report.dto';
import { reportListPage, reportPage } from './views/console-report-pages';

const EMPTY = formState({});
const NOTICES: Record<string, string> = { replied: '答复已保存，反馈人可在其反馈页面看到。', triaged: '处理情况已保存。' };

/** 问题反馈 in the console: the producer's reports and replies, the regulator's triage queue. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/reports')
export class ConsoleReportsController {
  constructor(private readonly gate: ConsoleGate, private readonly reports: ConsumerReportsService) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const status = typeof query.status === 'string' && Object.prototype.hasOwnProperty.call(REPORT_STATUSES, query.status) ? query.status : '';
    const cursor = typeof query.cursor === 'string' && query.cursor ? query.cursor : undefined;
    const today = chinaDate();
    const [page, alerts, figures] = await Promise.all([
      this.reports.list(ctx.actor, 50, cursor, status || undefined),
      this.reports.listAlerts(ctx.actor, 10),
      this.reports.replyFigures(ctx.actor, chinaDate(Date.now() - 90 * 86_400_000), today, 'none'),
    ]);
    const next = page.nextCursor ? `/app/reports?${new URLSearchParams({ ...(status ? { status } : {}), cursor: page.nextCursor }).toString()}` : null;
    return html(reply, reportListPage(ctx, { reports: page.items, status, alerts: alerts.items, figures: figures[0] ?? null, nextHref: next }));
  }

  @Get(':id')
  async show(@Req() request: FastifyRequest, @Param('id') id: string, @Query('done') done: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const report = await this.reports.get(ctx.actor, id);
    return html(reply, reportPage(ctx, report, this.states(report), done ? NOTICES[done] : undefined));
  }

  @Get(':id/photos/:n')
  async photo(@Req() request: FastifyRequest, @Param('id') id: string, @Param('n') n: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const file = await this.reports.photo(ctx.actor, id, n);
    return reply.type(file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`).header('Cache-Control', 'private, no-store').send(file.body);
  }

  @Post(':id/reply')
  async reply(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    return this.submit(request, reply, id, 'reply');
  }

  @Post(':id/triage')
  async triage(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    return this.submit(request, reply, id, 'triage');
  }

  private async submit(request: FastifyRequest, reply: FastifyReply, id: string, form: 'reply' | 'triage') {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const outcome = form === 'reply'
      ? await attempt(ReplyDto, { text: field(body, 'text') }, ['text'], (dto) => this.reports.reply(ctx.actor, id, dto))
      : await attempt(TriageDto, { status: field(body, 'status'), note: field(body, 'note') }, ['status', 'note'], (dto) => this.reports.triage(ctx.actor, id, dto));
    if (outcome.ok) return redirect(reply, `/app/reports/${outcome.result.id}?done=${form === 'reply' ? 'replied' : 'triaged'}`);
    const report = await this.reports.get(ctx.actor, id);
    const typed: Record<string, string> = form === 'reply' ? { text: field(body, 'text') } : { status: field(body, 'status'), note: field(body, 'note') };
    const states = { ...this.states(report), [form]: formState(typed, outcome.problems) };
    return html(reply, reportPage(ctx, report, states), outcome.code === 'FORBIDDEN' ? 403 : outcome.code === 'NOT_FOUND' ? 404 : 422);
  }

  private states(report: { reply: string | null; status: string; triageNote: string }): { reply: ReturnType<typeof formState>; triage: ReturnType<typeof formState> } {
    return {
      reply: report.reply ? formState({ text: report.reply }) : EMPTY,
      triage: formState({ status: report.status === 'new' ? 'triaged' : report.status, note: report.triageNote }),
    };
  }
}

