import { auth, createOrg } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

/** Asks `probe` until it answers `want`, for at most `ms` (a revocation travels through Redis). */
async function statusWithin(probe: () => Promise<number>, want: number, ms: number): Promise<number> {
  const until = Date.now() + ms;
  let status = await probe();
  while (status !== want && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = await probe();
  }
  return status;
}

describe('a revoked API key stops working on every API process', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    // Two API processes on one Redis; the run's QUEUE_PREFIX (testConfig) keeps their channel apart from other runs'.
    a = await createTestApp({ REDIS_URL: process.env.TEST_REDIS_URL });
    b = await createTestApp({ REDIS_URL: process.env.TEST_REDIS_URL });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('refuses the key on the other process right after it is revoked on one', async () => {
    const org = await createOrg(a, { name: '蒲江县吊销测试合作社' });
    const key = await a.http().post(`/api/v1/organizations/${org.id}/api-keys`).set(auth(org.token)).send({ role: 'operator', label: '打印机' }).expect(201);
    const use = (t: TestApp) => async () => (await t.http().get('/api/v1/products').set(auth(key.body.token as string))).status;
    // Both processes have accepted (and may have cached) the key.
    expect(await use(a)()).toBe(200);
    expect(await use(b)()).toBe(200);
    expect(await use(b)()).toBe(200);

    await a.http().delete(`/api/v1/organizations/${org.id}/api-keys/${key.body.id}`).set(auth(org.token)).expect((res) => expect(res.status).toBeLessThan(300));
    expect(await use(a)()).toBe(401);
    // The per-process cache keeps a key for 10 s: well before that, the other process refuses it.
    expect(await statusWithin(use(b), 401, 2000)).toBe(401);
    expect(await use(b)()).toBe(401);
  });
});
