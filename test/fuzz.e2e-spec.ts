import fc from 'fast-check';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { ConsoleClient, consoleUser } from './support/console';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, uniqueUscc } from './support/factories';
import {
  encodeComponent, encodePairs, HOSTILE_BODIES, HOSTILE_STRINGS, hostileValue, IdPool, impossibleDates, leafAt, leafCount, mutate, nestRoutes, OpenApiDocument, Schema, SchemaValues, sweepValues,
} from './support/fuzz';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

/**
 * Every route, every body and query, hostile values: the answer is never a 5xx. Deterministic
 * (fixed seed, bounded runs); a failure names the request that broke the route.
 */
const SEED = 1313;
const RUNS = 6;
/** The machine is shared and the suites run two at a time: generous, as a hang is not what these tests look for. */
const SLOW = 300_000;
const PASSWORD = '四川天府溯源2026模糊测试';
const COUNTY = '513221';

type Who = 'admin' | 'org' | 'regulator' | 'lab' | 'none' | 'console' | 'reg-console' | 'leaver';

interface Route {
  method: string;
  /** Nest's form: /api/v1/batches/:id */
  path: string;
  params: string[];
  query: { name: string; schema?: Schema }[];
  body?: { type: string; schema?: Schema };
  who: Who[];
  /** Identities whose ordinary request the route accepts (found by asking it). */
  allowed?: Who[];
  /** Console forms: field → value shown on the page (the form's own values are the plausible ones). */
  form?: Record<string, string>;
}

/** What pages that read the whole query object (the dashboard's filters) look for. */
const WHOLE_QUERY = ['region', 'from', 'to', 'category', 'period', 'cursor'];

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

/** What a person would type into the create forms (pages show them empty). `:product` etc. are the run's records. */
const FORM_FILL: Record<string, Record<string, string>> = {
  'POST /app/products': { name: '蒲江猕猴桃', category: KIWI, spec: '5kg/箱' },
  'POST /app/sites': { name: '映秀镇基地', regionCode: COUNTY, address: '映秀镇 3 组' },
  'POST /app/batches': { productId: ':product', siteId: ':site', 'quantity.value': '100', 'quantity.unit': 'kg', producedOn: '2026-10-08' },
  'POST /app/certificates': { 'evidence.qualityControl': '按规程生产，落实农药安全间隔期', signedBy: '张三' },
  'POST /app/certificates/:id/void': { reason: '数量填写错误' },
  'POST /app/collect': { certificate: ':certificate', productId: ':product', 'quantity.value': '10', 'quantity.unit': 'kg', supplierName: '张三' },
  'POST /app/users/invite': { loginName: 'fuzz.person', displayName: '王丽', role: 'operator' },
  'POST /app/api-keys': { role: 'operator', label: '称重台' },
  'POST /app/login': { loginName: 'nobody', password: 'wrong-password-123' },
};

/** The page holding each console form (`:id` is filled with a real record of the run). */
const FORM_PAGES: Record<string, string> = {
  'POST /app/login': '/app/login',
  'POST /app/logout': '/app',
  'POST /app/logout-everywhere': '/app',
  'POST /app/invite/:token': '/app/login',
  'POST /app/users/invite': '/app/users',
  'POST /app/api-keys': '/app/users',
  'POST /app/api-keys/:id/revoke': '/app/users',
  'POST /app/products': '/app/products',
  'POST /app/products/:id': '/app/products/:product/edit',
  'POST /app/sites': '/app/sites',
  'POST /app/sites/:id': '/app/sites/:site/edit',
  'POST /app/batches': '/app/batches/new',
  'POST /app/batches/:id/print-runs': '/app/batches/:batch/print',
  'POST /app/certificates': '/app/batches/:batch/certificate',
  'POST /app/certificates/:id/void': '/app/certificates',
  'POST /app/collect': '/app/collect',
};

/**
 * The limits table is shared by every suite: an imported example row would change what theirs
 * read (溴氰菊酯 on 水果). The fuzz imports rows of an analyte of its own instead.
 */
function ownAnalyte(csv: string): string {
  const [header, ...rows] = csv.split('\n');
  const columns = header.split(',');
  const own: Record<string, string> = { analyte: '模糊测试剂', analyte_en: 'fuzzmethrin' };
  return [header, ...rows.map((row) => row.split(',').map((cell, i) => own[columns[i]] ?? cell).join(','))].join('\n');
}

/** The named fields of the forms on a page, with the values the page put in them. */
function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<(input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>/g)) {
    const value = /\bvalue="([^"]*)"/.exec(m[0]);
    out[m[2]] ??= value ? value[1].replace(/&amp;/g, '&') : '';
  }
  return out;
}

/** Runs `work` over `items`, a few at a time (the API answers them concurrently, as it would clients). */
async function inParallel<T>(items: T[], work: (item: T) => Promise<void>, width = 6): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

describe('fuzz: hostile input never answers 5xx (every route, fast-check)', () => {
  let t: TestApp;
  let base: string;
  let doc: OpenApiDocument;
  const tokens: Partial<Record<Who, string>> = { admin: ADMIN_TOKEN };
  const ids: IdPool = {};
  const pathValues: string[] = [];
  const clients: Partial<Record<Who, ConsoleClient>> = {};
  let certificateUrl = '';

  /** A small world of real records, so that requests reach the services behind the checks. */
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    doc = (await t.http().get('/docs-json').expect(200)).body as OpenApiDocument;
    // A county no other suite uses (汶川): its events, notifications and figures stay out of theirs.
    const org = await createOrg(t, { name: '模糊测试合作社', regionCode: COUNTY });
    const bureau = await createRegulator(t, COUNTY);
    const lab = await createOrg(t, { name: '模糊测试检测中心', kind: 'lab', uscc: uniqueUscc('12', COUNTY), regionCode: COUNTY }, 'lab');
    Object.assign(tokens, { org: org.token, regulator: bureau.token, lab: lab.token });
    const product = await createProduct(t, org.token);
    const site = await createSite(t, org.token, { regionCode: COUNTY });
    const batch = await createBatch(t, org.token, { productId: product.id, siteId: site.id });
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 2 }).expect(201);
    const cert = await t.http().post('/api/v1/certificates').set(auth(org.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产，落实农药安全间隔期' } }).expect(201);
    const gi = await t.http().post('/api/v1/gi').set(auth(ADMIN_TOKEN)).send({
      regime: 'agi', registrationNumber: `AGI${String(randomInt(10_000, 99_999))}`, productName: '汶川甜樱桃', holderUscc: uniqueUscc('12', COUNTY),
      holderName: '汶川县农业技术推广站', areaCodes: [COUNTY], areaText: '汶川县所辖乡镇', specReference: 'AGI2012-02-0001',
    }).expect(201);
    Object.assign(ids, {
      organization: [org.id, bureau.id, lab.id], product: [product.id], site: [site.id], batch: [batch.id],
      printRun: [(run.body as { id: string }).id], certificate: [(cert.body as { id: string }).id], gi: [(gi.body as { id: string }).id],
    });
    certificateUrl = (cert.body as { verifyUrl: string }).verifyUrl;
    const verify = new URL(certificateUrl).pathname.slice(3);
    const link = new URL(batch.qrContent);
    pathValues.push(batch.traceCode, verify, ...link.pathname.split('/').filter((_, i) => i === 2 || i === 4), 'recall.csv');
    const stamp = Date.now();
    clients.console = await consoleUser(t, org.id, `fuzz-${stamp}`, PASSWORD);
    clients.leaver = await consoleUser(t, org.id, `fuzz-leaver-${stamp}`, PASSWORD);
    clients['reg-console'] = await consoleUser(t, bureau.id, `fuzz-reg-${stamp}`, PASSWORD, 'regulator');
  });
  afterAll(() => t.close());

  let cached: Route[] | undefined;

  /** The OpenAPI document's operations, then the routes Nest serves that it leaves out (console, dashboard, home). */
  function routes(): Route[] {
    if (cached) return cached;
    const out: Route[] = [];
    cached = out;
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const nestPath = path.replace(/\{(\w+)\}/g, ':$1');
        documented.add(`${method.toUpperCase()} ${nestPath}`);
        const content = op.requestBody?.content ?? {};
        const type = Object.keys(content)[0];
        out.push({
          method: method.toUpperCase(), path: nestPath,
          params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
          query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
          body: type ? { type, schema: content[type].schema } : undefined,
          who: ['org', 'admin', 'regulator', 'lab', 'none'],
        });
      }
    }
    for (const route of nestRoutes(t.app)) {
      const key = `${route.method} ${route.path}`;
      if (documented.has(key)) continue;
      documented.add(key);
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const who: Who[] = route.path.startsWith('/app/dashboard') ? ['reg-console', 'none']
        : /^\/app\/(logout|login|invite)/.test(route.path) ? [route.path.includes('logout') ? 'leaver' : 'none']
          : route.path.startsWith('/app') ? ['console', 'none'] : ['none'];
      out.push({
        method: route.method, path: route.path, params,
        query: [...new Set(route.query.flatMap((name) => name ?? WHOLE_QUERY))].map((name) => ({ name })),
        body: route.method === 'POST' ? { type: 'application/x-www-form-urlencoded' } : undefined,
        who,
      });
    }
    // Routes that end things (revoke, void, delete, log out) go last, so the others meet live records.
    const ending = (r: Route) => (r.method === 'DELETE' || /revoke|void|logout|status|receive|accept/.test(r.path) ? 1 : 0);
    out.sort((a, b) => ending(a) - ending(b));
    return out;
  }

  async function loadForm(route: Route): Promise<void> {
    const page = FORM_PAGES[`${route.method} ${route.path}`];
    if (!page || route.form) return;
    const client = clients[route.who[0]] ?? new ConsoleClient(t);
    const fill = (text: string) => text.replace(':product', ids.product[0]).replace(':site', ids.site[0]).replace(':batch', ids.batch[0])
      .replace(':certificate', certificateUrl);
    const res = await client.get(fill(page));
    const typed = Object.entries(FORM_FILL[`${route.method} ${route.path}`] ?? {}).map(([k, v]) => [k, fill(v)]);
    route.form = { ...formFields(res.text), ...Object.fromEntries(typed) };
  }

  function pathValue(name: string): fc.Arbitrary<string> {
    if (name === 'id' || name.endsWith('Id')) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...Object.values(ids).flat()) }, fc.constant(randomUUID()));
    return fc.constantFrom(...pathValues);
  }

  interface Sent {
    who: Who;
    url: string;
    type?: string;
    body?: string;
  }

  /** A request that should pass the route's checks: real ids, values from the schema, the form's own values. */
  interface Base {
    who: Who;
    params: Record<string, string>;
    query: Record<string, unknown>;
    /** JSON value, form fields, or CSV text. */
    body?: unknown;
    csrf: boolean;
  }

  type Where = 'param' | 'query' | 'body' | 'whole-body' | 'none';

  interface Mutation {
    where: Where;
    pick: number;
    bad: unknown;
    extraKey?: boolean;
    hostileBody?: { type: string; body: string };
  }

  function baseFor(route: Route, values: SchemaValues): fc.Arbitrary<Base> {
    const preferred = route.allowed ?? route.who.slice(0, 2);
    const who = fc.constantFrom(...preferred, ...preferred, ...preferred, ...route.who);
    const params = fc.record(Object.fromEntries(route.params.map((p) => [p, pathValue(p)])));
    const query = fc.record(Object.fromEntries(route.query.map((q) => [q.name, values.plausible(q.schema, q.name)])), { requiredKeys: [] });
    const type = route.body?.type;
    const body: fc.Arbitrary<unknown> = !type ? fc.constant(undefined)
      : type === 'application/x-www-form-urlencoded' ? fc.constant(Object.fromEntries(Object.entries(route.form ?? { name: '' }).filter(([k]) => k !== '_csrf' && k !== '_key')))
        : type.startsWith('text/') ? fc.constant(ownAnalyte(typeof route.body!.schema?.example === 'string' ? route.body!.schema.example : 'a,b\n1,2'))
          : values.plausible(route.body!.schema);
    return fc.record({ who, params, query, body, csrf: fc.nat(9).map((n) => n > 0) });
  }

  /** The record a path's `:id` names: /batches/:id → the run's batch. */
  function idForPath(path: string, param: string): string {
    const segment = new RegExp(`/([\\w-]+)/:${param}`).exec(path)?.[1] ?? '';
    const kind = { batches: 'batch', 'print-runs': 'printRun', products: 'product', sites: 'site', organizations: 'organization', certificates: 'certificate', gi: 'gi' }[segment];
    return (kind && ids[kind]?.[0]) || randomUUID();
  }

  function canonicalBase(route: Route, values: SchemaValues, who: Who): Base {
    const [random] = fc.sample(baseFor(route, values), { seed: SEED, numRuns: 1 });
    const query = Object.fromEntries(route.query.map((q) => [q.name, values.canonical(q.schema, q.name)]).filter(([, v]) => v !== undefined));
    const type = route.body?.type;
    const body = type && !type.startsWith('text/') && type !== 'application/x-www-form-urlencoded' ? values.canonical(route.body!.schema) : random.body;
    const params = Object.fromEntries(route.params.map((p) => [p, p === 'id' || p.endsWith('Id') ? idForPath(route.path, p) : pathValues[0]]));
    return { who, params, query, body, csrf: true };
  }

  /** The (at most two) identities the route lets through with its plausible request; the first two when none is. */
  async function allowedIdentities(route: Route, values: SchemaValues): Promise<Base[]> {
    if (route.allowed) return route.allowed.map((who) => canonicalBase(route, values, who));
    const candidates = route.who.filter((w) => w !== 'none' || route.who.length === 1).map((who) => canonicalBase(route, values, who));
    const allowed: Base[] = [];
    for (const candidate of candidates) {
      if (allowed.length === 2) break;
      const res = await send(route, render(route, candidate, { where: 'none', pick: 0, bad: '' }));
      if (res.status !== 401 && res.status !== 403) allowed.push(candidate);
    }
    const chosen = allowed.length ? allowed : candidates.slice(0, 2);
    route.allowed = chosen.map((b) => b.who);
    return chosen;
  }

  function mutationFor(route: Route): fc.Arbitrary<Mutation> {
    const where = fc.constantFrom(...(['param', 'query', 'body', 'whole-body'] as const)
      .filter((k) => k === 'query' || (k === 'param' ? route.params.length : route.body)));
    const bad = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), hostileValue());
    return fc.record({ where, pick: fc.nat(), bad, extraKey: fc.nat(4).map((n) => n === 0), hostileBody: fc.constantFrom(...HOSTILE_BODIES) });
  }

  /** The request `base` becomes with one thing made hostile. */
  function render(route: Route, base: Base, m: Mutation): Sent {
    const params: Record<string, unknown> = { ...base.params };
    const query: Record<string, unknown> = { ...base.query };
    let body = base.body;
    if (m.where === 'param') params[route.params[m.pick % route.params.length]] = typeof m.bad === 'string' ? m.bad : JSON.stringify(m.bad);
    if (m.where === 'query') query[m.extraKey ? ['limit', 'cursor', 'x', '__proto__'][m.pick % 4] : route.query[m.pick % route.query.length]?.name ?? 'x'] = m.bad;
    if (m.where === 'body' && route.body?.type.startsWith('text/')) {
      const [header, row = ''] = String(body).split('\n');
      const cells = row.split(',');
      const text = typeof m.bad === 'string' ? m.bad : JSON.stringify(m.bad) ?? '';
      cells[m.pick % cells.length] = /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      body = `${header}\n${cells.join(',')}\n`;
    } else if (m.where === 'body') {
      body = mutate(body, m.pick, m.bad, m.extraKey);
    }
    const path = route.path.replace(/:(\w+)/g, (_, name: string) => encodeComponent(String(params[name])));
    const search = encodePairs(query);
    const url = `${path}${search ? `?${search}` : ''}`;
    if (m.where === 'whole-body') return { who: base.who, url, ...m.hostileBody };
    const type = route.body?.type;
    if (!type || body === undefined) return { who: base.who, url };
    if (type === 'application/x-www-form-urlencoded') {
      const form = body !== null && typeof body === 'object' ? body as Record<string, unknown> : { value: body };
      const csrf = route.form?._csrf ?? '';
      return { who: base.who, url, type, body: encodePairs({ ...form, _csrf: base.csrf ? csrf : 'x', _key: randomBytes(18).toString('base64url') }) };
    }
    return { who: base.who, url, type, body: type.startsWith('text/') ? String(body) : JSON.stringify(body) ?? 'null' };
  }

  /** Every parameter and every body field in turn, with sweepValues and impossible dates, as each identity in turn. */
  function sweep(route: Route, identities: Base[]): Sent[] {
    const out: Sent[] = [];
    const base = identities[0];
    const fieldCount = route.body?.type.startsWith('text/') ? String(base.body).split('\n')[1]?.split(',').length ?? 0 : leafCount(base.body);
    const slots: [Where, number][] = [
      ...route.params.map((_, i) => ['param', i] as [Where, number]),
      ...route.query.map((_, i) => ['query', i] as [Where, number]),
      ...Array.from({ length: route.body ? fieldCount : 0 }, (_, i) => ['body', i] as [Where, number]),
    ];
    let turn = 0;
    for (const [slot, [where, pick]] of slots.entries()) {
      const current = where === 'param' ? base.params[route.params[pick]] : where === 'query' ? base.query[route.query[pick].name] ?? route.query[pick].schema?.example
        : route.body?.type.startsWith('text/') ? String(base.body).split('\n')[1]?.split(',')[pick] : leafAt(base.body, pick);
      const name = where === 'param' ? route.params[pick] : where === 'query' ? route.query[pick].name : '';
      for (const bad of [...sweepValues(slot), ...impossibleDates(current, name)]) out.push(render(route, identities[turn++ % identities.length], { where, pick, bad }));
    }
    return out;
  }

  async function send(route: Route, sent: Sent): Promise<{ status: number; type: string; text: string }> {
    const res = await request(route.method, sent);
    // A webhook the fuzz subscribed would be sent every batch event of its region, other suites' too,
    // to a host that never answers (the outbox and its jobs are shared): it goes as soon as it exists.
    if (route.method === 'POST' && route.path === '/api/v1/webhooks' && res.status === 201) {
      await request('DELETE', { who: sent.who, url: `/api/v1/webhooks/${(JSON.parse(res.text) as { id: string }).id}` });
    }
    return res;
  }

  async function request(method: string, sent: Sent): Promise<{ status: number; type: string; text: string }> {
    const headers: Record<string, string> = {};
    if (tokens[sent.who]) headers.authorization = `Bearer ${tokens[sent.who]}`;
    const client = clients[sent.who];
    if (client) headers.cookie = client.cookieHeader();
    if (sent.type) headers['content-type'] = sent.type;
    const res = await fetch(`${base}${sent.url}`, { method, headers, body: sent.body, redirect: 'manual' });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  it('covers every route Nest serves and every route the OpenAPI document lists', () => {
    const all = routes();
    const covered = new Set(all.map((r) => `${r.method} ${r.path}`));
    const missing = nestRoutes(t.app).filter((r) => !covered.has(`${r.method} ${r.path}`));
    expect(missing).toEqual([]);
    expect(all.length).toBeGreaterThan(90);
    for (const form of Object.keys(FORM_PAGES)) expect(covered).toContain(form);
  });

  async function check(route: Route, sent: Sent): Promise<string | undefined> {
    const res = await send(route, sent);
    const jsonError = res.status >= 400 && res.type.includes('json') && !/"code":"[A-Z_]+"/.test(res.text);
    // UNSTORABLE_VALUE is the exception filter's last line of defence: the input check that should name the field is missing.
    if (res.status < 500 && !jsonError && !res.text.includes('UNSTORABLE_VALUE')) return undefined;
    return `${route.method} ${sent.url.slice(0, 300)} as ${sent.who} [${sent.type ?? ''}] ${(sent.body ?? '').slice(0, 300)} → ${res.status} ${res.text.slice(0, 200)}`;
  }

  it('answers NUL, lone surrogates, control characters, long text and impossible dates in every field with a 4xx', async () => {
    const values = new SchemaValues(doc, ids);
    const failures = new Map<string, string>();
    for (const route of routes()) {
      await loadForm(route);
      const identities = await allowedIdentities(route, values);
      await inParallel(sweep(route, identities), async (sent) => {
        const failure = await check(route, sent);
        if (failure) failures.set(`${route.method} ${route.path} ${sent.who}`, failure);
      });
    }
    expect([...failures.values()]).toEqual([]);
  }, SLOW);

  it('answers random hostile requests (wrong types, deep and huge JSON, bad cursors) with a 4xx', async () => {
    const values = new SchemaValues(doc, ids);
    const failures: string[] = [];
    for (const route of routes()) {
      await loadForm(route);
      await allowedIdentities(route, values);
    }
    await inParallel(routes(), async (route) => {
      const result = await fc.check(fc.asyncProperty(baseFor(route, values), mutationFor(route), async (base, m) => {
        const failure = await check(route, render(route, base, m));
        if (failure) throw new Error(failure);
      }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
      if (result.failed) failures.push(String((result.errorInstance as Error | undefined)?.message ?? result.counterexample));
    });
    expect(failures).toEqual([]);
  }, SLOW);
});
