import Fastify, { FastifyInstance } from 'fastify';
import { renderNotFoundPage } from '../../common/html';
import { echoRequestId, fastifyOptions, registerRateLimit } from '../../common/http-options';
import type { AppConfig } from '../../config/app-config';

export const SCAN_EDGE = Symbol('SCAN_EDGE');

/** Requests the scan edge answers: the consumer scan routes, the platform's hottest paths. */
const EDGE_PATHS = /^\/(t\/|01\/|api\/v1\/scan\/)/;

export function isScanEdgePath(url: string | undefined): boolean {
  return EDGE_PATHS.test(url ?? '');
}

/**
 * A second, minimal Fastify instance on the same HTTP server for the scan routes. Nest's adapter
 * runs its own hooks (middleware, CORS, security, versioning, shutdown) on every request, which
 * together cost more than the scan itself; the scan routes are public, bodiless and need none of
 * them. The edge keeps what they do need: request ids, the per-client rate limit, our error pages.
 * Its routes are added by ScanRoutes once Nest has built the services.
 */
export async function createScanEdge(config: AppConfig): Promise<FastifyInstance> {
  const edge = Fastify(fastifyOptions(config));
  await registerRateLimit(edge, config, () => true);
  echoRequestId(edge);
  edge.setNotFoundHandler((request, reply) => {
    const json = request.url.startsWith('/api/');
    void reply.status(404).header('Cache-Control', 'private, no-store');
    return json
      ? reply.send({ code: 'NOT_FOUND', message: 'Unknown trace code' })
      : reply.type('text/html; charset=utf-8').send(renderNotFoundPage());
  });
  return edge;
}
