import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { QUEUES } from '../libs/queues';
import { InProcessDispatcher, JobDispatcher } from '../src/modules/jobs/job-dispatcher';
import { verifySignature } from '../src/modules/notifications/domain/webhook-crypto';
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
class Receiver {
  readonly requests: Received[] = [];
  private readonly scripts = new Map<string, (number | 'hang')[]>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
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
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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

  it('refuses private endpoints unless allowed (the production default)', async () => {
    const strict = await createTestApp();
    try {
      expect(strict.config.webhookAllowPrivate).toBe(false);
      const org = await createOrg(strict);
      for (const url of [`${receiver.url}/x`, 'http://localhost:8080/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x']) {
        const res = await strict.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url }).expect(400);
        expect(res.body.details).toMatchObject({ field: 'url', rule: 'public_address' });
      }
      await strict.http().post('/api/v1/webhooks').set(auth(org.token)).send({ url: 'https://erp.example.cn/hooks' }).expect(201);
    } finally {
      await strict.close();
    }
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
