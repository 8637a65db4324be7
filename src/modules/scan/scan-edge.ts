import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { toErrorResponse } from '../../common/domain-exception.filter';
import { renderNotFoundPage } from '../../common/html';
import { echoRequestId, fastifyOptions, registerRateLimit } from '../../common/http-options';
import { addSecurityHeaders, consumerPageHeaders } from '../../common/security-headers';
import type { AppConfig } from '../../config/app-config';

export const SCAN_EDGE = Symbol('SCAN_EDGE');

/**
 * Requests the scan edge answers: the public, bodiless consumer routes — trace pages and the
 * Digital Link resolver (ScanRoutes), certificate pages (CertificatePublicRoutes) — the hottest paths.
 */
const EDGE_PATHS = /^\/(t\/|01\/|c\/|api\/v1\/scan\/|api\/v1\/certificates\/verify\/|\.well-known\/gs1resolver(\?|$))/;

export function isScanEdgePath(url: string | undefined): boolean {
  return EDGE_PATHS.test(url ?? '');
}

/**
 * A second, minimal Fastify instance on the same HTTP server for the scan routes. Nest's adapter
 * runs its own hooks (middleware, CORS, security, versioning, shutdown) on every request, which
 * together cost more than the scan itself; the scan routes are public, bodiless and need none of
 * them. The edge keeps what they do need: request ids, the per-client rate limit, our error pages,
 * the security headers (precomputed).
 * Its routes are added by ScanRoutes once Nest has built the services.
 */
export async function createScanEdge(config: AppConfig): Promise<FastifyInstance> {
  const edge = Fastify(fastifyOptions(config));
  await registerRateLimit(edge, config);
  echoRequestId(edge);
  const headers = consumerPageHeaders(config);
  addSecurityHeaders(edge, () => headers);
  edge.setNotFoundHandler((request, reply) => {
    const json = request.url.startsWith('/api/');
    void reply.status(404).header('Cache-Control', 'private, no-store');
    return json
      ? reply.send({ code: 'NOT_FOUND', message: 'Not found' })
      : reply.type('text/html; charset=utf-8').send(renderNotFoundPage(request.url.startsWith('/c/') ? 'certificate' : 'trace'));
  });
  return edge;
}

/** Consumer pages are never cached by proxies: every scan must reach us to be counted. */
export const NO_STORE = 'private, no-store';

/** A client that asks for JSON (and not HTML) gets the JSON twin of a consumer page. */
export function prefersJson(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return /application\/(json|linkset\+json)/.test(accept) && !accept.includes('text/html');
}

/** Domain errors become the friendly page (or JSON for JSON clients); anything else is a logged 500. */
export function sendEdgeError(error: unknown, req: FastifyRequest, reply: FastifyReply, json = prefersJson(req), page: 'trace' | 'certificate' = 'trace') {
  if (!(error instanceof DomainError)) req.log.error({ err: error, reqId: req.id, url: req.url }, 'public route failed');
  const { status, body } = toErrorResponse(error);
  reply.status(status).header('Cache-Control', NO_STORE);
  return json ? reply.send(body) : reply.type('text/html; charset=utf-8').send(renderNotFoundPage(page));
}
