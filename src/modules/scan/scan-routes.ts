import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnModuleInit, Optional } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { withErrorResponses } from '../../common/api-error-codes';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { classifyClient, ClientFingerprints } from './domain/client-info';
import { DomainError } from '../../../libs/errors';
import { buildDigitalLinkPath } from '../../../libs/codes';
import { dataAttributeProblem } from '../../../libs/codes/gs1-ai-dictionary';
import {
  buildLinkset, defaultLink, findLink, itemLevel, lotLevel, normaliseLinkType, productLevel, ResolvedLevel, withQuery,
} from './domain/linkset';
import { resolverDescription, RESOLVER_CORS, RESOLVER_PREFLIGHT } from './domain/resolver-description';
import { NO_STORE, prefersJson, SCAN_EDGE, sendEdgeError as sendError } from './scan-edge';
import { DigitalLinkResolution, ScanService } from './scan.service';
import { renderProductPage } from './views/product-page';
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
  private readonly derived = new WeakMap<DigitalLinkResolution, DerivedAnswers>();

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
    // GET answers HEAD too (Fastify's exposeHeadRoutes); OPTIONS is the CORS preflight.
    fastify.get('/01/*', options, (req, reply) => this.resolve(req, reply));
    fastify.options('/01/*', options, (_req, reply) => this.preflight(reply));
    fastify.get('/.well-known/gs1resolver', options, (_req, reply) => {
      void reply.headers(RESOLVER_CORS).header('Cache-Control', 'public, max-age=3600');
      return reply.send(resolverDescription(this.config.publicBaseUrl));
    });
    fastify.options('/.well-known/gs1resolver', options, (_req, reply) => this.preflight(reply));
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

  private preflight(reply: FastifyReply) {
    return reply.status(204).headers(RESOLVER_PREFLIGHT).send();
  }

  /**
   * GS1 Digital Link resolver: /01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}], walking up from an
   * unknown serial or lot. Without linkType our page is served at once (no redirect to the default
   * link: one hop fewer on rural phones); linkType=linkset (or Accept: application/linkset+json)
   * gives the linkset; another offered linkType redirects (307) with the query string passed on;
   * a link type not offered is 404. Data attributes in the query are checked against the GS1 AI
   * dictionary (400). Every answer carries CORS headers and a Link to the linkset.
   */
  private async resolve(req: FastifyRequest, reply: FastifyReply) {
    void reply.headers(RESOLVER_CORS).header('Cache-Control', NO_STORE);
    try {
      const [rawPath, query = ''] = splitOnce(req.url, '?');
      // A trailing slash is tolerated (GS1 resolver test suite).
      const path = rawPath.length > 4 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
      const params = new URLSearchParams(query);
      assertDataAttributes(params);
      const resolved = this.scans.cachedResolution(path) ?? await this.scans.resolveDigitalLink(path);
      const derived = this.derivedFrom(path, resolved);
      void reply.header('Link', derived.linkHeader);
      const linkType = params.get('linkType');
      const accept = req.headers.accept ?? '';
      if (linkType === 'linkset' || linkType === 'all' || (!linkType && accept.includes('application/linkset+json'))) {
        return reply.type('application/linkset+json').send(buildLinkset(derived.levels()));
      }
      if (linkType) {
        const link = findLink(derived.levels(), normaliseLinkType(linkType));
        if (!link) throw new DomainError('NOT_FOUND', `No ${linkType} link is offered for this identifier`);
        params.delete('linkType');
        return reply.redirect(withQuery(link.href, params.toString()), 307);
      }
      if (resolved.itemCode || resolved.lot) {
        const code = resolved.itemCode ?? resolved.lot!.traceCode;
        const { view, sectionsHtml } = await this.scans.scanWithSections(code, 'dl', clientOf(req, this.fingerprints));
        if (prefersJson(req)) return reply.send(view);
        return reply.type('text/html; charset=utf-8').send(renderScanPage(view, sectionsHtml));
      }
      if (prefersJson(req)) return reply.send({ level: 'product', walkedUp: resolved.walkedUp, product: resolved.product, producer: resolved.producer, defaultLink: defaultLink(derived.levels()).href });
      return reply.type('text/html; charset=utf-8').send(derived.productPage());
    } catch (error) {
      return sendError(error, req, reply);
    }
  }

  /**
   * What the answers derive from a resolution, each part built when first needed and kept with it:
   * the service caches a path's resolution, so a repeated scan reuses its Link header, levels and
   * product page instead of building them again (the resolver should cost no more than the scan page).
   */
  private derivedFrom(path: string, r: DigitalLinkResolution): DerivedAnswers {
    let derived = this.derived.get(r);
    if (!derived) {
      let levels: ResolvedLevel[] | undefined;
      let productPage: string | undefined;
      derived = {
        linkHeader: `<${this.anchor(path, r)}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`,
        levels: () => (levels ??= this.levels(path, r)),
        productPage: () => (productPage ??= renderProductPage(r)),
      };
      this.derived.set(r, derived);
    }
    return derived;
  }

  /** The most specific level's Digital Link, for the Link header every answer carries. */
  private anchor(path: string, r: DigitalLinkResolution): string {
    const base = this.config.publicBaseUrl;
    if (r.lot && r.itemCode) return base + path;
    return r.lot ? base + buildDigitalLinkPath({ gtin: r.gtin, lot: r.lot.lotCode }) : `${base}/01/${r.gtin}`;
  }

  /** The levels of a resolution, the most specific first, each anchored at its own Digital Link. */
  private levels(path: string, r: DigitalLinkResolution): ResolvedLevel[] {
    const base = this.config.publicBaseUrl;
    const productAnchor = `${base}/01/${r.gtin}`;
    const levels: ResolvedLevel[] = [];
    if (r.lot) {
      const lotAnchor = base + buildDigitalLinkPath({ gtin: r.gtin, lot: r.lot.lotCode });
      if (r.itemCode) levels.push(itemLevel(base, base + path, r.itemCode, r.product.name));
      levels.push(lotLevel(base, lotAnchor, {
        traceCode: r.lot.traceCode, lotCode: r.lot.lotCode, productName: r.product.name,
        certificateUrls: validCertificateUrls(r.lot.facts),
      }));
    }
    levels.push(productLevel(productAnchor, r.product.name));
    return levels;
  }
}

interface DerivedAnswers {
  linkHeader: string;
  levels(): ResolvedLevel[];
  productPage(): string;
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

/** Numeric query keys are GS1 data attributes: each must be one, with a valid value (GS1 AI dictionary). */
function assertDataAttributes(params: URLSearchParams): void {
  for (const [key, value] of params) {
    if (!/^\d{2,4}$/.test(key)) continue;
    const problem = dataAttributeProblem(key, value);
    if (problem) {
      throw new DomainError('INVALID_DIGITAL_LINK', `Query attribute ${key}=${value} is not a valid GS1 data attribute (${problem})`, {
        field: key, rule: problem,
      });
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
      tags: ['scan'],
      summary: 'GS1 Digital Link resolver (also /01/{gtin14}, …/21/{serial}, /01/{gtin14}/21/{serial}; HEAD, and OPTIONS as the CORS preflight). '
        + 'Without linkType our page is served directly; linkType=linkset (or Accept: application/linkset+json) gives the RFC 9264 linkset; '
        + 'an offered linkType (gs1:pip, gs1:traceability, gs1:recallStatus, gs1:certificationInfo, gs1:epcis) redirects (307) with the query string passed on; '
        + 'a link type not offered is 404; an unknown lot or serial walks up to the level above. Numeric query keys must be GS1 data attributes (400 otherwise).',
      parameters: [
        { name: 'gtin14', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'lot', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'linkType', in: 'query', required: false, schema: { type: 'string' } },
      ],
      responses: {
        ...scanResponse,
        307: { description: 'Redirect to the requested link type' },
        400: { description: 'Not a valid GS1 Digital Link (path syntax, check digit, qualifier order, or a query data attribute the GS1 AI dictionary refuses)' },
      },
    },
  },
  '/.well-known/gs1resolver': {
    get: { tags: ['scan'], summary: 'GS1 resolver description file (resolver root, primary keys, link types)', responses: { 200: { description: 'Resolver description (JSON)' } } },
  },
};
