import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DomainError } from '../../libs/errors';
import type { AppConfig } from '../config/app-config';
import { toErrorResponse } from './domain-exception.filter';

/** Kinds of routes that may receive more than the 1 MiB every other route accepts. */
export type LargeBodyKind = 'epcis' | 'csv';

/**
 * Marks a route that accepts a large body of this kind (limit from the settings). Its caller's
 * bearer token is checked, and the announced length compared with the limit, before any of the
 * body is read; a body streamed without a length is cut off at the limit.
 */
export const LargeBody = (kind: LargeBodyKind) => RouteConfig({ largeBody: kind });

/** true when the Authorization header names a live key. */
export type Authenticate = (authorization: string | undefined) => Promise<boolean>;

function kindOf(config: unknown): LargeBodyKind | undefined {
  return (config as { largeBody?: LargeBodyKind } | undefined)?.largeBody;
}

function refuse(reply: FastifyReply, error: DomainError): FastifyReply {
  const { status, body } = toErrorResponse(error);
  // The client is still sending the body we will not read: close rather than drain it.
  return reply.status(status).header('connection', 'close').send(body);
}

/**
 * Teaches the API's Fastify instance the EPCIS (application/ld+json) and CSV media types, and
 * gives the routes marked with @LargeBody their own limit. Must run before Nest registers routes.
 */
export function registerRequestBodies(fastify: FastifyInstance, config: AppConfig, authenticate: Authenticate): void {
  const limits: Record<LargeBodyKind, number> = { epcis: config.epcisBodyLimit, csv: config.csvBodyLimit };
  // No bodyLimit of their own: these parsers keep the server's 1 MiB except on @LargeBody routes.
  fastify.addContentTypeParser('application/ld+json', { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'ignore'));
  fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  fastify.addHook('onRoute', (route) => {
    const kind = kindOf(route.config);
    if (kind) route.bodyLimit = limits[kind];
  });

  fastify.addHook('onRequest', async (request, reply) => {
    const kind = kindOf(request.routeOptions.config);
    if (!kind) return;
    if (!(await authenticate(request.headers.authorization))) {
      return refuse(reply, new DomainError('UNAUTHENTICATED', 'Send Authorization: Bearer <token> with a live key'));
    }
    if (Number(request.headers['content-length']) > limits[kind]) {
      return refuse(reply, new DomainError('PAYLOAD_TOO_LARGE', `The body may be at most ${limits[kind]} bytes`, { limit: limits[kind] }));
    }
  });

  // A body refused while it was being read (over the limit, no Content-Length): stop receiving it.
  fastify.addHook('onError', async (_request, reply, error) => {
    if ((error as { statusCode?: number }).statusCode === 413) void reply.header('connection', 'close');
  });
}
