import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { CONSUMER_PAGE_PATH, PAGE_STYLE_HASH } from './html';

const HOME_PAGE = /^\/(\?|$)/;

export type HeaderSet = Readonly<Record<string, string>>;

export interface PagePolicy {
  /** Sources for style-src besides 'self': hashes of the page's inline <style> elements. */
  styles?: string[];
  /** 'self' only for pages our own console shows in a frame (the consumer page preview). */
  framedBy?: "'none'" | "'self'";
  /**
   * Only the headers that matter for a script-less page (CSP, nosniff, referrer policy, frame
   * options, HSTS): each header costs on the hot scan edge, and helmet's others (COOP, CORP,
   * Origin-Agent-Cluster, IE/Flash-era X- headers) protect nothing there.
   */
  lean?: boolean;
}

const LEAN = {
  crossOriginOpenerPolicy: false, crossOriginResourcePolicy: false, originAgentCluster: false, xDnsPrefetchControl: false,
  xDownloadOptions: false, xPermittedCrossDomainPolicies: false, xXssProtection: false,
} as const;

/**
 * The Content-Security-Policy of our pages: scripts only from our own files (no inline script, no
 * eval, no 'strict-dynamic', which WeChat's older browsers lack), no plugins, no <base>, forms
 * post only to us, not framed by other sites.
 */
function contentSecurityPolicy({ styles = [], framedBy = "'none'" }: PagePolicy = {}): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': [framedBy],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...styles],
  };
}

/**
 * helmet's headers for a page policy, computed once: helmet would rebuild the same values on every
 * request, and the scan edge is hot. HSTS only when the public origin is https.
 */
export function securityHeaders(config: AppConfig, policy: PagePolicy = {}): HeaderSet {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => { headers[name.toLowerCase()] = String(value); },
    removeHeader: () => undefined,
  };
  helmet({
    ...(policy.lean ? LEAN : {}),
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(policy) },
    strictTransportSecurity: config.publicBaseUrl.startsWith('https:') ? { maxAge: 15_552_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: policy.framedBy === "'self'" ? 'sameorigin' : 'deny' },
  })({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}

/** Every response of `instance` carries the header set `pick` chooses for its URL. */
export function addSecurityHeaders(instance: FastifyInstance, pick: (url: string) => HeaderSet): void {
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.headers(pick(request.url));
    done();
  });
}

/** Consumer pages: inline sheet (one request on a phone), framed only by our console's preview; lean set. */
export function consumerPageHeaders(config: AppConfig): HeaderSet {
  return securityHeaders(config, { styles: [PAGE_STYLE_HASH], framedBy: "'self'", lean: true });
}

/**
 * The API process's choice: consumer pages as above; Swagger UI (/docs) with its inline styles
 * (its scripts are files); everything else (console, dashboard, JSON, files) the strict set.
 */
export function apiHeaderPicker(config: AppConfig): (url: string) => HeaderSet {
  const consumer = consumerPageHeaders(config);
  const docs = securityHeaders(config, { styles: ["'unsafe-inline'"] });
  const strict = securityHeaders(config);
  return (url) => {
    if (HOME_PAGE.test(url) || CONSUMER_PAGE_PATH.test(url)) return consumer;
    return url.startsWith('/docs') ? docs : strict;
  };
}
