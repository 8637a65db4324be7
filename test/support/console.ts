import type { Response } from 'supertest';
import { ADMIN_TOKEN, TestApp } from './test-app';
import { auth } from './factories';

/** A person's browser, reduced to what the console needs: a cookie jar and form posts. */
export class ConsoleClient {
  readonly jar = new Map<string, string>();

  constructor(private readonly t: TestApp) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res: Response): Response {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const line of set ?? []) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/Max-Age=0/.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  async get(path: string): Promise<Response> {
    return this.remember(await this.t.http().get(path).set('Cookie', this.cookieHeader()).redirects(0));
  }

  async post(path: string, form: Record<string, string | string[]>, referer?: string): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const req = this.t.http().post(path).set('Cookie', this.cookieHeader()).type('form').send(body.toString()).redirects(0);
    if (referer) req.set('Referer', referer);
    return this.remember(await req);
  }

  /**
   * The hidden inputs of the first form on a page whose action is `action`, read the way a browser
   * would: any attribute order and quoting, `<input …>` or `<input …/>`, a bare `value` meaning "".
   */
  static hidden(html: string, action: string): Record<string, string> {
    const start = html.search(new RegExp(`<form\\b[^>]*\\saction=(["']?)${action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1[\\s>/]`));
    if (start < 0) throw new Error(`no form posting to ${action}`);
    const formHtml = html.slice(start, html.indexOf('</form>', start));
    const out: Record<string, string> = {};
    for (const [tag] of formHtml.matchAll(/<input\b[^>]*>/gi)) {
      const attrs = attributes(tag);
      if (attrs.type?.toLowerCase() === 'hidden' && attrs.name !== undefined) out[attrs.name] = attrs.value ?? '';
    }
    return out;
  }

  async login(loginName: string, password: string, next?: string): Promise<Response> {
    const page = await this.get(`/app/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    return this.post('/app/login', { ...ConsoleClient.hidden(page.text, '/app/login'), loginName, password });
  }

  /** GETs a page and posts its form (hidden fields included) with `fields`. */
  async submit(pagePath: string, action: string, fields: Record<string, string | string[]>): Promise<Response> {
    const page = await this.get(pagePath);
    return this.post(action, { ...ConsoleClient.hidden(page.text, action), ...fields }, pagePath);
  }
}

/** Invites a person through the API (the platform admin) and lets them choose a password. */
export async function consoleUser(t: TestApp, orgId: string, loginName: string, password: string, role = 'org_admin'): Promise<ConsoleClient> {
  const invite = await t.http().post(`/api/v1/organizations/${orgId}/console-invites`).set(auth(ADMIN_TOKEN))
    .send({ loginName, displayName: '王丽', role }).expect(201);
  const path = new URL(invite.body.inviteUrl as string).pathname;
  const client = new ConsoleClient(t);
  const page = await client.get(path);
  const res = await client.post(path, { ...ConsoleClient.hidden(page.text, path), password, confirm: password });
  if (res.status !== 303) throw new Error(`invite acceptance answered ${res.status}: ${res.text.slice(0, 300)}`);
  return client;
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'", '#39': "'" };

/** A tag's attributes, values unescaped: name="v", name='v', name=v, or a bare name (""). */
function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const raw = m[2] ?? m[3] ?? m[4] ?? '';
    out[m[1].toLowerCase()] = raw.replace(/&(amp|quot|lt|gt|apos|#39);/g, (_, e: string) => ENTITIES[e]);
  }
  return out;
}
