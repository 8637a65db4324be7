import type { Server } from 'node:net';
import { auth, createBatch, createOrg } from './support/factories';
import { listeningAt, startNode, Started, stop } from './support/processes';
import { createTestApp, processEnv, TestApp } from './support/test-app';

/** The contract: what one API process does is seen by the others this soon (through Redis pub/sub). */
const PROPAGATION_MS = 100;
const RATE_LIMIT_MAX = 40;

/**
 * Asks `probe` until it answers `want` or a probe would start more than `ms` after `since` (the
 * moment the change was acknowledged). `inTime`: a probe sent within the deadline saw the change.
 * Judged by when the probe was sent, not when its answer arrived: on a loaded machine the round trip
 * itself can take longer than the deadline. A contract deadline, not a benchmark.
 */
async function within<T>(probe: () => Promise<T>, want: (value: T) => boolean, since: number, ms: number): Promise<{ value: T; inTime: boolean }> {
  for (;;) {
    const sentAt = Date.now();
    const value = await probe();
    const inTime = sentAt - since <= ms;
    if (want(value) || !inTime) return { value, inTime: inTime && want(value) };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Two API processes (this test's app and a real dist/src/main.js) on one database and one Redis:
 * nothing a client relies on may differ between them.
 */
describe('API replicas share revocations, batch changes and rate limits', () => {
  let a: TestApp;
  let aBase: string;
  let b: Started;
  let bBase: string;

  beforeAll(async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL, PUBLIC_RATE_LIMIT_MAX: String(RATE_LIMIT_MAX), PUBLIC_RATE_LIMIT_WINDOW_MS: '600000' };
    a = await createTestApp(env);
    await a.app.listen({ port: 0, host: '127.0.0.1' });
    const address = (a.app.getHttpServer() as Server).address();
    aBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    b = startNode('main.js', processEnv(a.config, { ...env, REDIS_URL: a.config.redisUrl!, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }));
    bBase = await listeningAt(b);
  });
  afterAll(async () => {
    await stop(b);
    await a.close();
  });

  it('refuses a revoked key on the other process within 100 ms', async () => {
    const org = await createOrg(a, { name: '蒲江县吊销测试合作社' });
    const key = await a.http().post(`/api/v1/organizations/${org.id}/api-keys`).set(auth(org.token)).send({ role: 'operator', label: '打印机' }).expect(201);
    const use = (base: string) => async () => (await fetch(`${base}/api/v1/products`, { headers: auth(key.body.token as string) })).status;
    // Both processes have accepted (and cached: 10 s) the key.
    expect(await use(aBase)()).toBe(200);
    expect(await use(bBase)()).toBe(200);
    expect(await use(bBase)()).toBe(200);

    await a.http().delete(`/api/v1/organizations/${org.id}/api-keys/${key.body.id}`).set(auth(org.token)).expect((res) => expect(res.status).toBeLessThan(300));
    const revokedAt = Date.now();
    expect(await within(use(bBase), (s) => s === 401, revokedAt, PROPAGATION_MS)).toEqual({ value: 401, inTime: true });
    expect(await use(aBase)()).toBe(401);
    expect(await use(bBase)()).toBe(401);
  });

  it("shows a held batch's banner on the other process within 100 ms", async () => {
    const org = await createOrg(a, { name: '蒲江县暂停销售测试合作社' });
    const batch = await createBatch(a, org.token);
    const banner = (base: string) => async () => ((await (await fetch(`${base}/api/v1/scan/${batch.traceCode}`)).json()) as { banner: { title: string } | null }).banner;
    // Both processes have the batch's facts cached (5 s) without a banner.
    expect(await banner(aBase)()).toBeNull();
    expect(await banner(bBase)()).toBeNull();

    await a.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(org.token)).send({ status: 'on_hold', reason: '抽检不合格 复检中' }).expect(201);
    const heldAt = Date.now();
    const seen = await within(banner(bBase), (b) => b !== null, heldAt, PROPAGATION_MS);
    expect(seen.inTime).toBe(true);
    expect(seen.value?.title).toBe('该批次产品暂停销售');
  });

  it('counts one client against one limit across both processes', async () => {
    // The limit is per client across the public routes, so the scans above count too; alone, each
    // process would let up to RATE_LIMIT_MAX through (2 × RATE_LIMIT_MAX in all).
    const verify = async (base: string) => (await fetch(`${base}/api/v1/certificates/verify/not-a-certificate-token`)).status;
    const statuses: number[] = [];
    for (let i = 0; i < 2 * RATE_LIMIT_MAX; i++) statuses.push(await verify(i % 2 === 0 ? aBase : bBase));
    const firstRefused = statuses.indexOf(429);
    expect(firstRefused).toBeGreaterThan(0);
    expect(firstRefused).toBeLessThanOrEqual(RATE_LIMIT_MAX);
    // Once the allowance is spent, whichever process the client reaches refuses it.
    expect(statuses.slice(firstRefused).every((s) => s === 429)).toBe(true);
    const refused = await fetch(`${bBase}/api/v1/certificates/verify/not-a-certificate-token`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
