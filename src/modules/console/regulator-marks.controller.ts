import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth';
import { MarksService, RECORDED_SCHEMES } from '../marks';
import { ConsoleExceptionFilter } from './console-errors';
import { ConsoleGate } from './console-gate';
import { html } from './console-http';
import { DEFAULT_EXPIRY_DAYS, EXPIRY_WINDOWS, MARK_PAGE_ROWS, marksPage } from './views/mark-pages';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * Regulator workspace 质量标志: quality-mark claims, refused claims and expiring certificates of the
 * regulator's region, read through MarksService (which scopes every list to the region).
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/marks')
export class RegulatorMarksController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly marks: MarksService,
  ) {}

  @Get()
  async page(@Req() request: FastifyRequest, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const scheme = (RECORDED_SCHEMES as readonly string[]).includes(text(query.scheme)) ? text(query.scheme) : '';
    const asked = Number(text(query.days));
    const days = (EXPIRY_WINDOWS as readonly number[]).includes(asked) ? asked : DEFAULT_EXPIRY_DAYS;
    const filter = { scheme: scheme || undefined, limit: MARK_PAGE_ROWS };
    // A cursor the service does not recognise answers 400 INVALID_CURSOR (the console's error page).
    const [claims, refusals, expiring] = await Promise.all([
      this.marks.claims(ctx.actor, { ...filter, cursor: text(query.claims) || undefined }),
      this.marks.refusals(ctx.actor, { ...filter, cursor: text(query.refusals) || undefined }),
      this.marks.expiring(ctx.actor, { days, scheme: scheme || undefined }),
    ]);
    return html(reply, marksPage(ctx, {
      scheme, days, today: expiring.today,
      claims: claims.items, claimsNext: claims.nextCursor, refusals: refusals.items, refusalsNext: refusals.nextCursor,
      expiring: expiring.items, stillClaimed: expiring.stillClaimed,
    }));
  }
}
