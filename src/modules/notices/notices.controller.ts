import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { todayInChina } from '../../common/dates';
import { Public } from '../auth';
import { findRegion } from '../regions/domain';
import { monthKeyOf, parseNoticePeriod } from './domain/notice-periods';
import { NoticesService } from './notices.service';
import { renderNoticesNotFound, renderNoticesPage } from './views/notices-page';

/** Public notices per region and period (`?period=2026-11`, `2026-Q4` or `2026`; default this month). */
@ApiTags('notices')
@Public()
@Controller('notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get(':regionCode')
  async page(@Param('regionCode') code: string, @Query('period') period: string | undefined, @Res() reply: FastifyReply) {
    const region = /^\d{6}$/.test(code) ? findRegion(code) : undefined;
    const parsed = parseNoticePeriod(typeof period === 'string' ? period : monthKeyOf(todayInChina()));
    if (!region || !parsed) {
      return reply.status(404).header('Cache-Control', 'public, max-age=60').type('text/html; charset=utf-8').send(renderNoticesNotFound());
    }
    const html = renderNoticesPage(await this.notices.forRegion(region, parsed));
    return reply.header('Cache-Control', 'public, max-age=60').type('text/html; charset=utf-8').send(html);
  }
}
