import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Public } from '../auth';
import { MetricsAccessRule, mayReadMetrics, parseAllowList } from './domain';
import { Metrics } from './metrics';

/**
 * Prometheus text format for scrapers on METRICS_ALLOW networks or with METRICS_TOKEN (or the
 * admin token) as bearer; anyone else gets the 404 every unknown path gets.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly access: MetricsAccessRule;

  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.access = { allow: parseAllowList(config.metrics.allow.join(',')), tokens: [config.adminToken, ...(config.metrics.token ? [config.metrics.token] : [])] };
  }

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
    if (!mayReadMetrics(this.access, request.ip, bearer)) throw new DomainError('NOT_FOUND', 'Not found');
    return reply.status(200).header('Cache-Control', 'no-store').type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
