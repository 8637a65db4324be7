import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'tf_sid';
/** Double-submit token for the login form (there is no session yet to hold a synchronizer token). */
export const LOGIN_CSRF_COOKIE = 'tf_lcsrf';

export type FormBody = Record<string, string | string[]>;

export function formBody(request: FastifyRequest): FormBody {
  const body = request.body;
  return body && typeof body === 'object' ? (body as FormBody) : {};
}

export function field(body: FormBody, name: string): string {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

export function fields(body: FormBody, name: string): string[] {
  const v = body[name];
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
}

export function cookies(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    try {
      out[name] ??= decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // a cookie we did not set; ignore it
    }
  }
  return out;
}

export function setCookie(reply: FastifyReply, name: string, value: string, o: { maxAge: number; secure: boolean; path?: string }): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${o.path ?? '/app'}`, `Max-Age=${o.maxAge}`, 'HttpOnly', 'SameSite=Lax'];
  if (o.secure) parts.push('Secure');
  const previous = reply.getHeader('set-cookie');
  const list = Array.isArray(previous) ? previous : previous ? [String(previous)] : [];
  void reply.header('set-cookie', [...list, parts.join('; ')]);
}

/** Where to go back after logging in: only paths inside the console. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/app(\/[\w\-./%?=&]*)?$/.test(next) && !next.includes('//') && !next.startsWith('/app/login')
    ? next : '/app';
}

/** The console page a POST came from (its Referer), so an expired session returns there. */
export function returnPath(request: FastifyRequest): string {
  if (request.method === 'GET') return safeNext(request.url);
  const referer = request.headers.referer;
  if (!referer) return '/app';
  try {
    const url = new URL(referer);
    return safeNext(url.pathname + url.search);
  } catch {
    return '/app';
  }
}

/** Pages smaller than this go as they are: gzip saves little and costs a header and a pass. */
const GZIP_FROM_BYTES = 2048;

/**
 * A console page. Gzipped when the browser accepts it (every browser does): the dashboard's tables
 * and SVG charts are 60–80 KB of HTML, 10–15 KB gzipped, inside the 50 KB page budget at 360 px.
 */
export function html(reply: FastifyReply, body: string, status = 200): FastifyReply {
  reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').header('vary', 'accept-encoding');
  const accepts = String(reply.request.headers['accept-encoding'] ?? '');
  if (body.length >= GZIP_FROM_BYTES && /\bgzip\b/.test(accepts)) {
    return reply.header('content-encoding', 'gzip').send(gzipSync(body, { level: 6 }));
  }
  return reply.send(body);
}

export function redirect(reply: FastifyReply, to: string): FastifyReply {
  return reply.status(303).header('location', to).header('cache-control', 'no-store').send();
}
