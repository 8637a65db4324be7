import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { toErrorResponse } from './domain-exception.filter';
import { CONSUMER_PAGE_PATH, notFoundKindOf, renderNotFoundPage } from './html';
import { redisConnection } from './redis';
import { consumerPageHeaders } from './security-headers';

/** Fastify settings shared by the API instance and the scan edge instance. */
export function fastifyOptions(config: AppConfig): FastifyServerOptions {
  const pageHeaders = consumerPageHeaders(config);
  return {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 1_048_576,
    trustProxy: config.trustProxy,
    // Errors Fastify raises before routing (e.g. undecodable URLs) get our error shapes (and, as no hook runs, headers) too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(error);
      void reply.headers(pageHeaders);
      if (request.url.startsWith('/c/')) {
        // A certificate QR that cannot even be decoded is simply not a certificate of ours.
        void reply.status(404).type('text/html; charset=utf-8').send(renderNotFoundPage('certificate'));
      } else if (CONSUMER_PAGE_PATH.test(request.url)) {
        void reply.status(status).type('text/html; charset=utf-8').send(renderNotFoundPage(notFoundKindOf(request.url)));
      } else {
        void reply.status(status).send(body);
      }
    },
  };
}

/**
 * Per-client rate limit (429 + Retry-After) on every route of `instance` (the public scan edge). With
 * REDIS_URL the counters live in Redis (keys `<QUEUE_PREFIX>:rate-limit:…`), so a client gets one
 * allowance across all API replicas; embedded mode counts in memory. While Redis is unreachable
 * requests are let through uncounted (consumer pages stay up), never queued behind a reconnecting connection.
 */
export async function registerRateLimit(instance: FastifyInstance, config: AppConfig): Promise<void> {
  const redis = config.redisUrl ? redisConnection(config, { connectTimeout: 500, enableOfflineQueue: false }) : undefined;
  if (redis) instance.addHook('onClose', (_instance, done) => { redis.disconnect(); done(); });
  await instance.register(rateLimit, {
    ...(redis ? { redis, nameSpace: `${config.queuePrefix}:rate-limit:`, skipOnError: true } : {}),
    global: true,
    max: config.publicRateLimit.max,
    timeWindow: config.publicRateLimit.windowMs,
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
}

/** Every response carries the request id its log lines carry. */
export function echoRequestId(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
}
