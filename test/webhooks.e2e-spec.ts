import type { LookupAddress } from 'node:dns';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DataSource } from 'typeorm';
import { QUEUES } from '../libs/queues';
import { InProcessDispatcher, JobDispatcher } from '../src/modules/jobs/job-dispatcher';
import { verifySignature } from '../src/modules/notifications/domain/webhook-crypto';
import { WebhookAddressGuard } from '../src/modules/notifications/webhook-address-guard';
import { auth, createBatch, createOrg, createRegulator } from './support/factories';
import { eventually } from './support/processes';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; kind: string; timestamp: number; attempt: number; subject: { type: string; id: string }; payload: Record<string, unknown> };
}

/**
 * A real HTTP receiver on 127.0.0.1: answers each path from a script of statuses ('hang' never
 * answers), then 200. Records every request with its raw body.
 */
/**
 * Stands in for DNS in the app's webhook guard (the only resolver webhooks use): names map to the
 * given answers, changeable between creation and delivery as a rebinding attacker would.
 */
function fakeDns(t: TestApp, answers: Record<string, string[] | (() => string[])>): void {
  jest.spyOn(t.app.get(WebhookAddressGuard), 'resolve').mockImplementation(async (host: string): Promise<LookupAddress[]> => {
    const answer = answers[host];
    const list = typeof answer === 'function' ? answer() : answer;
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: isIP(address) }));
  });
}

class Receiver {
  readonly requests: Received[] = [];
  private readonly scripts = new Map<string, (number | 'hang')[]>();
  private server!: Server;
  url = '';

  async start(host = '127.0.0.1'): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '';
        this.requests.push({ path, headers: req.headers, raw, body: JSON.parse(raw) });
        const next = this.scripts.get(path)?.shift() ?? 200;
        if (next === 'hang') return;
        res.writeHead(next, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    this.url = `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  script(path: string, statuses: (number | 'hang')[]): void {
    this.scripts.set(path, statuses);
  }

  at(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('notifications and signed webhooks (real HTTP receiver, real PostgreSQL)', () => {
  let t: TestApp;
  let db: DataSource;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    // The receiver is on 127.0.0.1: private addresses are allowed for this app (and refused by default, below).
    // The receiver runs in this process: a short timeout failed first attempts on a busy CI machine.
    t = await createTestApp({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '3000', WEBHOOK_ALLOW_PRIVATE: 'true' });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const subscribe = async (token: string, path: string, kinds?: string[]) => {
    const res = await t.http().post('/api/v1/webhooks').set(auth(token)).send({ url: `${receiver.url}${path}`, ...(kinds ? { kinds } : {}) }).expect(201);
    return res.body as { id: string; secret: string; url: string; kinds: string[] | null; secretPrefix: string };
  };
  const hold = (token: string, batchId: string, status = 'on_hold', reason = '例行监测 农药残留超标') =>
    t.http().post(`/api/v1/batches/${batchId}/status`).set(auth(token)).send({ status, reason }).expect(201);
  const delivery = async (id: string) => (await db.query('SELECT status, attempts, attempt_log FROM webhook_deliveries WHERE id = $1', [id]))[0] as
    { status: string; attempts: number; attempt_log: { attempt: number; status: number | null; error: string | null }[] };

  it('creates a webhook showing its secret once, stores it encrypted, lists and deletes it', async () => {
    const org = await createOrg(t);
    const hook = await subscribe(org.token, '/crud', ['batch.on_hold']);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(hook).toMatchObject({ url: `${receiver.url}/crud`, kinds: ['batch.on_hold'], secretPrefix: hook.secret.slice(0, 10) });
    const [stored] = await db.query('SELECT secret_encrypted FROM webhook_subscriptions WHERE id = $1', [hook.id]);
    expect(stored.secret_encrypted).not.toContain(hook.secret.slice(6));
    const list = await t.http().get('/api/v1/webhooks').set(auth(org.token)).expect(200);
    expect(list.body.items).toEqual([{ id: hook.id, url: hook.url, kinds: ['batch.on_hold'], secretPrefix: hook.secretPrefix, createdAt: expect.any(String) }]);
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);
    const stranger = await createOrg(t);
    await t.http().delete(`/api/v1/webhooks/${hook.id}`).set(auth(stranger.token)).expect(404);
    await t.http().delete(`/api/v1/webhooks/${hook.id}`).set(auth(org.token)).expect(204);
    expect((await t.http().get('/api/v1/webhooks').set(auth(org.token)).expect(200)).body.items).toEqual([]);
    await t.http().delete(`/api/v1/webhooks/${hook.id}`).set(auth(org.token)).expect(404);
  });

  it('refuses bad input and the wrong callers', async () => {
    const org = await createOrg(t);
    const bad = await t.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url: 'ftp://x.cn/h', kinds: ['Batch On Hold'] }).expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['kinds', 'url']);
    // One details shape: the first field at fault is named at the top, as for every other error.
    const [firstProblem] = bad.body.details.fields as { field: string; rule: string }[];
    expect(bad.body.details).toMatchObject({ field: firstProblem.field, rule: firstProblem.rule });
    await t.http().post('/api/v1/webhooks').set(auth(ADMIN_TOKEN)).send({ url: 'https://x.cn/h' }).expect(403);
    const operator = await t.http().post(`/api/v1/organizations/${org.id}/api-keys`).set(auth(org.token)).send({ role: 'operator' }).expect(201);
    await t.http().post('/api/v1/webhooks').set(auth(operator.body.token)).send({ url: 'https://x.cn/h' }).expect(403);
  });

  it('a batch put on hold is signed and delivered to the owner and to the regulators covering its region only', async () => {
    const org = await createOrg(t);
    const city = await createRegulator(t, '510100');
    const elsewhere = await createRegulator(t, '511800');
    const own = await subscribe(org.token, '/owner');
    const reg = await subscribe(city.token, '/city', ['batch.on_hold', 'batch.recalled']);
    await subscribe(elsewhere.token, '/elsewhere');
    const onlyRecalls = await subscribe(org.token, '/recalls-only', ['batch.recalled']);
    const batch = await createBatch(t, org.token);
    await hold(org.token, batch.id);

    const [got] = await eventually(async () => (receiver.at('/owner').length ? receiver.at('/owner') : undefined));
    expect(verifySignature(own.secret, got.raw, got.headers['x-tianfu-signature'] as string)).toBe(true);
    expect(verifySignature(reg.secret, got.raw, got.headers['x-tianfu-signature'] as string)).toBe(false);
    expect(got.headers['x-tianfu-delivery']).toBe(got.body.id);
    expect(got.headers['x-tianfu-timestamp']).toBe(String(got.body.timestamp));
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.body).toMatchObject({ kind: 'batch.on_hold', subject: { type: 'batches', id: batch.id },
      payload: { batchId: batch.id, lotCode: batch.lotCode, traceCode: batch.traceCode, status: 'on_hold', reason: '例行监测 农药残留超标' } });

    const [toCity] = await eventually(async () => (receiver.at('/city').length ? receiver.at('/city') : undefined));
    expect(verifySignature(reg.secret, toCity.raw, toCity.headers['x-tianfu-signature'] as string)).toBe(true);
    expect(toCity.body.payload.batchId).toBe(batch.id);
    await t.app.get<JobDispatcher, InProcessDispatcher>(JobDispatcher).drain();
    expect(receiver.at('/elsewhere')).toEqual([]);
    expect(receiver.at('/recalls-only')).toEqual([]);

    const mine = await t.http().get('/api/v1/notifications').set(auth(org.token)).expect(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ kind: 'batch.on_hold', subject: { type: 'batches', id: batch.id },
      deliveries: [{ id: got.body.id, subscriptionId: own.id, status: 'delivered', attempts: 1 }] });
    expect((await t.http().get('/api/v1/notifications').set(auth(city.token)).expect(200)).body.items.map((n: { subject: { id: string } }) => n.subject.id)).toContain(batch.id);
    expect((await t.http().get('/api/v1/notifications').set(auth(elsewhere.token)).expect(200)).body.items).toEqual([]);

    // Recalling it next reaches the recalls-only endpoint too.
    await hold(org.token, batch.id, 'recalled', '召回');
    const [recall] = await eventually(async () => (receiver.at('/recalls-only').length ? receiver.at('/recalls-only') : undefined));
    expect(verifySignature(onlyRecalls.secret, recall.raw, recall.headers['x-tianfu-signature'] as string)).toBe(true);
    expect(recall.body.kind).toBe('batch.recalled');
  });

  it('retries after a 500 with the same delivery id, records each attempt, and never sends twice after success', async () => {
    const org = await createOrg(t);
    const hook = await subscribe(org.token, '/flaky');
    receiver.script('/flaky', [500]);
    const batch = await createBatch(t, org.token);
    await hold(org.token, batch.id);
    const got = await eventually(async () => (receiver.at('/flaky').length >= 2 ? receiver.at('/flaky') : undefined));
    const id = got[0].headers['x-tianfu-delivery'] as string;
    expect(got.map((r) => r.headers['x-tianfu-delivery'])).toEqual([id, id]);
    expect(got.map((r) => r.body.attempt)).toEqual([1, 2]);
    for (const r of got) expect(verifySignature(hook.secret, r.raw, r.headers['x-tianfu-signature'] as string)).toBe(true);
    const row = await eventually(async () => { const d = await delivery(id); return d.status === 'delivered' ? d : undefined; });
    expect(row.attempts).toBe(2);
    expect(row.attempt_log.map((a) => [a.attempt, a.status, a.error])).toEqual([[1, 500, 'HTTP 500'], [2, 200, null]]);

    // The same job again (a relay re-dispatch, a crashed worker's retry): nothing is sent.
    const dispatcher = t.app.get<JobDispatcher, InProcessDispatcher>(JobDispatcher);
    const [{ notification_id: nid, subscription_id: sid }] = await db.query('SELECT notification_id, subscription_id FROM webhook_deliveries WHERE id = $1', [id]);
    await dispatcher.dispatch(QUEUES.webhookDelivery, `webhook-${nid}-${sid}-again`, { deliveryId: id });
    await dispatcher.drain();
    expect(receiver.at('/flaky')).toHaveLength(2);
    expect((await delivery(id)).attempts).toBe(2);
  });

  it('gives up after the configured attempts (errors and timeouts) and marks the delivery failed', async () => {
    const org = await createOrg(t);
    await subscribe(org.token, '/down');
    receiver.script('/down', [503, 'hang', 502]);
    const batch = await createBatch(t, org.token);
    await hold(org.token, batch.id);
    const got = await eventually(async () => (receiver.at('/down').length >= 3 ? receiver.at('/down') : undefined));
    const id = got[0].headers['x-tianfu-delivery'] as string;
    const row = await eventually(async () => { const d = await delivery(id); return d.status === 'failed' ? d : undefined; });
    expect(row.attempts).toBe(3);
    expect(row.attempt_log.map((a) => [a.status, a.error])).toEqual([[503, 'HTTP 503'], [null, 'timeout after 3000 ms'], [502, 'HTTP 502']]);
    await t.app.get<JobDispatcher, InProcessDispatcher>(JobDispatcher).drain();
    expect(receiver.at('/down')).toHaveLength(3);
  });

  it('connects to the address it checked: a name re-pointed after the check is still delivered where the check said', async () => {
    fakeDns(t, { 'erp.pinned.test': ['127.0.0.1'] });
    const org = await createOrg(t);
    const res = await t.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url: `http://erp.pinned.test:${receiver.port}/pinned` }).expect(201);
    // Delivery: the first answer is the receiver; any later lookup (a second resolution by the HTTP client) gets an address where nothing listens.
    let lookups = 0;
    fakeDns(t, { 'erp.pinned.test': () => (lookups++ === 0 ? ['127.0.0.1'] : ['127.0.0.2']) });
    const batch = await createBatch(t, org.token);
    await hold(org.token, batch.id);
    const [got] = await eventually(async () => (receiver.at('/pinned').length ? receiver.at('/pinned') : undefined));
    expect(got.headers.host).toBe(`erp.pinned.test:${receiver.port}`);
    const [row] = await db.query('SELECT status, attempts FROM webhook_deliveries WHERE subscription_id = $1', [res.body.id]);
    expect(row).toEqual({ status: 'delivered', attempts: 1 });
    jest.restoreAllMocks();
  });

  it('a deleted webhook receives nothing more', async () => {
    const org = await createOrg(t);
    const hook = await subscribe(org.token, '/deleted');
    await t.http().delete(`/api/v1/webhooks/${hook.id}`).set(auth(org.token)).expect(204);
    const batch = await createBatch(t, org.token);
    await hold(org.token, batch.id);
    await eventually(async () => ((await t.http().get('/api/v1/notifications').set(auth(org.token))).body.items.length === 1 ? true : undefined));
    await t.app.get<JobDispatcher, InProcessDispatcher>(JobDispatcher).drain();
    expect(receiver.at('/deleted')).toEqual([]);
  });
});

/** This machine's own addresses other than loopback: the API listens on them too. */
const ownAddresses = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((i) => !i.internal).map((i) => i.address);
const urlOf = (address: string, port: number, path: string) => `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}${path}`;

describe('webhook targets under the production default (no private allowance)', () => {
  let strict: TestApp;
  let db: DataSource;
  // On every interface: a delivery that slipped past the guard to this host would arrive here.
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start('0.0.0.0');
    strict = await createTestApp({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '3000' });
    db = strict.app.get(DataSource);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await strict.close();
    await receiver.stop();
  });

  it('creation refuses every special-purpose range, this host, and names resolving to them (400 naming the field)', async () => {
    expect(strict.config.webhookAllowPrivate).toBe(false);
    expect(ownAddresses.length).toBeGreaterThan(0);
    fakeDns(strict, { 'intranet.example.cn': ['93.184.216.34', '10.0.0.5'], 'metadata.example.cn': ['169.254.169.254'], 'erp.example.cn': ['93.184.216.34'] });
    const org = await createOrg(strict);
    const refused = [
      `${receiver.url}/x`, 'http://localhost:8080/x', 'http://api.localhost/x', 'http://[::1]/x', 'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.1/x', 'http://172.16.5.4/x', 'http://192.168.1.1/x', 'http://100.64.0.1/x', 'http://192.0.0.8/x', 'http://192.0.2.1/x',
      'http://198.18.0.1/x', 'http://198.19.0.1/x', 'http://198.51.100.7/x', 'http://203.0.113.9/x', 'http://240.0.0.1/x', 'http://224.0.0.1/x',
      'http://0.0.0.0/x', 'http://255.255.255.255/x', 'http://[fd00::1]/x', 'http://[fe80::1]/x', 'http://[2001:db8::1]/x',
      'http://[::ffff:127.0.0.1]/x', 'http://[::ffff:192.0.2.1]/x', 'http://[64:ff9b::a00:1]/x', 'http://[2002:a00:1::1]/x', 'http://[2001::1]/x',
      'https://intranet.example.cn/x', 'https://metadata.example.cn/x',
      ...ownAddresses.map((a) => urlOf(a, receiver.port, '/own')),
    ];
    const accepted: string[] = [];
    for (const url of refused) {
      const res = await strict.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url });
      if (res.status !== 400) accepted.push(`${url} → ${res.status}`);
      else expect([url, res.body.code, res.body.details]).toEqual([url, 'VALIDATION_FAILED', { field: 'url', rule: 'public_address' }]);
    }
    expect(accepted).toEqual([]);
    const own = await strict.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url: urlOf(ownAddresses[0], receiver.port, '/own') }).expect(400);
    expect(own.body.message).toBe(`url must be a public address of another machine: ${ownAddresses[0]} is an address of this host`);
    const named = await strict.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url: 'https://intranet.example.cn/x' }).expect(400);
    expect(named.body.message).toBe('url must be a public address of another machine: intranet.example.cn resolves to a refused address: 10.0.0.5 is a special-purpose address (private)');
    await strict.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url: 'https://erp.example.cn/hooks' }).expect(201);
    await strict.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url: 'https://8.8.8.8/hooks' }).expect(201);
    expect((await strict.http().get('/api/v1/webhooks').set(auth(org.token)).expect(200)).body.items).toHaveLength(2);
    jest.restoreAllMocks();
  });

  it.each([
    ['this host', () => ownAddresses[0]],
    ['loopback', () => '127.0.0.1'],
    ['a reserved range', () => '198.18.0.1'],
  ])('a name re-pointed to %s after creation is refused at delivery, and nothing is sent', async (_what, target) => {
    const name = `erp-${Math.random().toString(36).slice(2, 8)}.rebind.example.cn`;
    fakeDns(strict, { [name]: ['93.184.216.34'] });
    const org = await createOrg(strict);
    const hook = await strict.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url: `http://${name}:${receiver.port}/rebind` }).expect(201);
    fakeDns(strict, { [name]: [target()] });
    const batch = await createBatch(strict, org.token);
    await strict.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(org.token)).send({ status: 'on_hold', reason: '例行监测' }).expect(201);
    const row = await eventually(async () => {
      const [d] = await db.query('SELECT status, attempts, attempt_log FROM webhook_deliveries WHERE subscription_id = $1', [hook.body.id]);
      return d?.status === 'failed' ? d as { attempts: number; attempt_log: { status: number | null; error: string }[] } : undefined;
    });
    expect(row.attempts).toBe(1);
    expect(row.attempt_log[0].status).toBeNull();
    const prefix = `refused: ${name} resolves to a refused address: ${target()} is `;
    expect(row.attempt_log[0].error.slice(0, prefix.length)).toBe(prefix);
    expect(receiver.at('/rebind')).toEqual([]);
    jest.restoreAllMocks();
  });
});
