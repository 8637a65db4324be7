import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { DomainExceptionFilter, toErrorResponse } from './common/domain-exception.filter';
import { CONSUMER_PAGE_PATH, renderNotFoundPage } from './common/html';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import { SCAN_OPENAPI_PATHS } from './modules/scan/scan-routes';

/** Paths anyone can call without a token: these are rate-limited per client. */
const PUBLIC_PATHS = /^\/(t|c|01)\/|^\/api\/v1\/scan\//;

export function jsonLogger(level: AppConfig['logLevel']): ConsoleLogger {
  const levels = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const cut = { fatal: 1, error: 2, warn: 3, info: 4, debug: 5, trace: 6, silent: 0 }[level];
  return new ConsoleLogger({ json: true, logLevels: [...levels.slice(0, cut)] });
}

/** Builds the API application (used by main.ts and by the e2e tests). */
export async function createApiApp(config: AppConfig, dataSource?: DataSource): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 1_048_576,
    trustProxy: config.trustProxy,
    // Errors Fastify raises before routing (e.g. undecodable URLs) get our error shapes too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(error);
      if (CONSUMER_PAGE_PATH.test(request.url)) {
        void reply.status(status).type('text/html; charset=utf-8').send(renderNotFoundPage());
      } else {
        void reply.status(status).send(body);
      }
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource), adapter, {
    logger: jsonLogger(config.logLevel),
  });
  await app.register(rateLimit, {
    global: true,
    max: config.publicRateLimit.max,
    timeWindow: config.publicRateLimit.windowMs,
    allowList: (req) => !PUBLIC_PATHS.test(req.url),
    // Only a refused client needs to know the limit: fewer headers on every scan page.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`,
      details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
    }),
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  app.useGlobalFilters(new DomainExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('天府溯源 Tianfu Trace API')
    .setDescription('Traceability for Sichuan agri-food: organisations, products, sites, batches, trace codes, labels and consumer scans.')
    .setVersion('1')
    .addBearerAuth()
    .build());
  Object.assign(document.paths, SCAN_OPENAPI_PATHS);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
