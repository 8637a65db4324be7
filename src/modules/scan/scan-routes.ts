import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnModuleInit, Optional } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { withErrorResponses } from '../../common/api-error-codes';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { classifyClient, ClientFingerprints } from './domain/client-info';
import { buildLinkset, CERTIFICATION_LINK_TYPE, LINK_TYPES, linkTarget } from './domain/linkset';
import { NO_STORE, prefersJson, SCAN_EDGE, sendEdgeError as sendError } from './scan-edge';
import { ScanService } from './scan.service';
import { renderScanPage } from './views/scan-page';

/**
 * The scan routes — the platform's hottest paths — are plain Fastify handlers on the scan edge
 * instance (see scan-edge.ts): Nest's per-request pipeline cost more than half the throughput in
 * bench/scan.ts, and these routes need none of it (public, no body, one path parameter). They are
 * described in the OpenAPI document by hand (see SCAN_OPENAPI_PATHS).
 */
@Injectable()
export class ScanRoutes implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly fingerprints: ClientFingerprints;

  constructor(
    private readonly scans: ScanService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    /** Absent in the CLI's application context, which serves no HTTP. */
    @Optional() @Inject(SCAN_EDGE) private readonly edge?: FastifyInstance,
  ) {
    this.fingerprints = new ClientFingerprints(config.secretKey);
  }

  onModuleInit(): void {
    if (!this.edge) return;
    const fastify = this.edge;
    // No per-request child logger (it cost ~10% of a scan); errors below log the request id themselves.
    const options = { childLoggerFactory: (logger: FastifyBaseLogger) => logger } as RouteShorthandOptions;
    fastify.get<{ Params: { code: string } }>('/t/:code', options, (req, reply) => this.page(req, reply));
    fastify.get<{ Params: { code: string } }>('/api/v1/scan/:code', options, (req, reply) => this.json(req, reply));
    fastify.get('/01/*', options, (req, reply) => this.resolve(req, reply));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.edge?.ready();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.edge?.close();
  }

  private async page(req: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply) {
    try {
      const { view, sectionsHtml } = await this.scans.scanWithSections(req.params.code, 't', clientOf(req, this.fingerprints));
      reply.header('Cache-Control', NO_STORE);
      if (prefersJson(req)) return reply.send(view);
      return reply.type('text/html; charset=utf-8').send(renderScanPage(view, sectionsHtml));
    } catch (error) {
      return sendError(error, req, reply);
    }
  }

  private async json(req: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply) {
    try {
      return reply.header('Cache-Control', NO_STORE).send(await this.scans.scan(req.params.code, 'api', clientOf(req, this.fingerprints)));
    } catch (error) {
      return sendError(error, req, reply, true);
    }
  }

  /** GS1 Digital Link resolver: /01/{gtin14}/10/{lot}[/21/{serial}]. */
  private async resolve(req: FastifyRequest, reply: FastifyReply) {
    try {
      const [path, query = ''] = req.url.split('?');
      const linkType = new URLSearchParams(query).get('linkType');
      const accept = req.headers.accept ?? '';
      const code = await this.scans.codeForDigitalLink(path);
      const anchor = `${this.config.publicBaseUrl}${path}`;
      reply.header('Cache-Control', NO_STORE);
      if (linkType === 'linkset' || linkType === 'all' || accept.includes('application/linkset+json')) {
        const certificates = validCertificateUrls(await this.scans.peek(code));
        return reply.type('application/linkset+json').send(buildLinkset(this.config.publicBaseUrl, anchor, code, certificates));
      }
      if (linkType === CERTIFICATION_LINK_TYPE) {
        const [first] = validCertificateUrls(await this.scans.peek(code));
        if (first) return reply.redirect(first, 307);
      }
      if (linkType && LINK_TYPES.some((t) => t.type === linkType)) {
        return reply.redirect(linkTarget(this.config.publicBaseUrl, code, linkType), 307);
      }
      const { view, sectionsHtml } = await this.scans.scanWithSections(code, 'dl', clientOf(req, this.fingerprints));
      if (prefersJson(req)) return reply.send(view);
      return reply.header('Link', `<${anchor}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`)
        .type('text/html; charset=utf-8').send(renderScanPage(view, sectionsHtml));
    } catch (error) {
      return sendError(error, req, reply);
    }
  }
}

/** Pages of the batch's valid certificates, from the section the certificates feature contributes. */
function validCertificateUrls(facts: Record<string, unknown>): string[] {
  const certificates = facts.certificates as { status: string; url: string }[] | null | undefined;
  return (certificates ?? []).filter((c) => c.status === 'valid').map((c) => c.url);
}

function clientOf(req: FastifyRequest, fingerprints: ClientFingerprints) {
  const ua = req.headers['user-agent'];
  return { ...classifyClient(ua, req.headers['accept-language']), ...fingerprints.of(req.ip, ua) };
}

const scanResponse = withErrorResponses({
  200: { description: 'The consumer view: product, producer, origin, batch, status banner, scan counts' },
  404: { description: 'Unknown or malformed code (friendly HTML page, or `{ code: "NOT_FOUND" }` as JSON)' },
  429: { description: 'Rate limited (`Retry-After`)' },
}, ['NOT_FOUND', 'RATE_LIMITED']);

/** OpenAPI entries for the routes above (Nest's generator only sees controllers). */
export const SCAN_OPENAPI_PATHS = {
  '/t/{code}': {
    get: {
      tags: ['scan'], summary: 'Consumer trace page (zh-CN HTML; JSON with Accept: application/json)',
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string', example: '742B4XNBN9ZD3' } }],
      responses: scanResponse,
    },
  },
  '/api/v1/scan/{code}': {
    get: {
      tags: ['scan'], summary: 'The consumer page as JSON',
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
      responses: scanResponse,
    },
  },
  '/01/{gtin14}/10/{lot}': {
    get: {
      tags: ['scan'], summary: 'GS1 Digital Link resolver (also …/21/{serial}); linkType=gs1:pip|gs1:traceability redirects (307), linkType=linkset serves the RFC 9264 link set',
      parameters: [
        { name: 'gtin14', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'lot', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'linkType', in: 'query', required: false, schema: { type: 'string' } },
      ],
      responses: { ...scanResponse, 307: { description: 'Redirect to the requested link type' } },
    },
  },
};
