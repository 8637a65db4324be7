import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Public } from '../auth';
import { MarketPublicService } from './market-public.service';
import { renderMarketBoard, renderStallPage } from './views/market-pages';

const NO_STORE = 'private, no-store';

/** Public market pages (zh-CN HTML, phone-sized; JSON with Accept: application/json). Unknown codes get the friendly 404 page. */
@ApiTags('markets')
@Public()
@Controller()
export class MarketPublicController {
  constructor(private readonly markets: MarketPublicService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** 一店一码: the stall's goods today with origins, certificate states and today's rapid tests. */
  @Get('s/:code')
  @ApiExcludeEndpoint()
  async stall(@Param('code') code: string, @Res() reply: FastifyReply) {
    const view = await this.markets.stall(code, this.config.publicBaseUrl);
    return send(reply, view, () => renderStallPage(view));
  }

  /** The market's 信息公示栏 for a day (default today): rapid tests, refused lots and their disposal, complaint phone. */
  @Get('m/:marketId')
  @ApiExcludeEndpoint()
  async board(@Param('marketId') marketId: string, @Query('on') on: string | undefined, @Res() reply: FastifyReply) {
    const view = await this.markets.board(marketId, typeof on === 'string' ? on : undefined, this.config.publicBaseUrl);
    return send(reply, view, () => renderMarketBoard(view));
  }
}

function send(reply: FastifyReply, view: unknown, html: () => string) {
  void reply.header('Cache-Control', NO_STORE);
  const accept = String(reply.request.headers.accept ?? '');
  if (/application\/json/.test(accept) && !accept.includes('text/html')) return reply.send(view);
  return reply.type('text/html; charset=utf-8').send(html());
}
