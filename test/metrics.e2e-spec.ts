import { ScanRecorder } from '../src/modules/scan';
import { auth, createBatch, createOrg } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

/** `name{labels} value` lines of a Prometheus text body, as name → [labels, value]. */
function samples(text: string, name: string): { labels: string; value: number }[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `)).map((line) => {
    const m = /^[^{ ]+(\{[^}]*\})? (\S+)$/.exec(line)!;
    return { labels: m[1] ?? '', value: Number(m[2]) };
  });
}

describe('GET /metrics and /health with Redis', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: process.env.TEST_REDIS_URL, METRICS_TOKEN: 'metrics-token-0123456789' });
  });
  afterAll(() => t.close());

  it('reports HTTP latency per route group, scans, the outbox, queues, the fold and the pool in Prometheus text', async () => {
    const org = await createOrg(t);
    const batch = await createBatch(t, org.token);
    await t.http().get(`/t/${batch.traceCode}`).expect(200);
    await t.http().get(`/api/v1/scan/${batch.traceCode}`).expect(200);
    await t.http().get('/api/v1/products').set(auth(org.token)).expect(200);

    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    const latency = samples(text, 'tianfu_http_request_duration_seconds_count');
    expect(latency).toEqual(expect.arrayContaining([
      { labels: '{group="scan-page",method="GET",status="2xx"}', value: 1 },
      { labels: '{group="scan-api",method="GET",status="2xx"}', value: 1 },
      { labels: '{group="api:products",method="GET",status="2xx"}', value: 1 },
    ]));
    expect(text).toContain('tianfu_http_request_duration_seconds_bucket{le="0.005",group="scan-page",method="GET",status="2xx"}');
    expect(samples(text, 'tianfu_scans_buffered').length + samples(text, 'tianfu_scans_flushed_total').length).toBe(2);
    expect(samples(text, 'tianfu_scans_dropped_total')).toEqual([{ labels: '', value: 0 }]);
    expect(samples(text, 'tianfu_outbox_backlog')).toHaveLength(1);
    expect(samples(text, 'tianfu_outbox_lag_seconds')).toHaveLength(1);
    expect(samples(text, 'tianfu_indicator_fold_backlog')[0].value).toBeGreaterThanOrEqual(0);
    const queues = samples(text, 'tianfu_queue_jobs');
    for (const queue of ['label-render', 'indicators-fold', 'webhook-delivery']) {
      expect(queues).toContainEqual({ labels: `{queue="${queue}",state="waiting"}`, value: expect.any(Number) });
    }
    expect(samples(text, 'tianfu_db_pool_connections')).toContainEqual({ labels: '{state="max"}', value: 10 });
    expect(text).toContain('tianfu_process_resident_memory_bytes');
  });

  it('counts scans once they are written', async () => {
    const org = await createOrg(t);
    const batch = await createBatch(t, org.token);
    const recorder = t.app.get(ScanRecorder);
    const flushed = async () => samples((await t.http().get('/metrics').expect(200)).text, 'tianfu_scans_flushed_total')[0].value;
    await recorder.flush();
    const before = await flushed();
    await t.http().get(`/t/${batch.traceCode}`).expect(200);
    await t.http().get(`/t/${batch.traceCode}`).expect(200);
    await recorder.flush();
    expect(await flushed()).toBe(before + 2);
  });

  it('says in /health which dependency is degraded, keeping its fields', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up', queue: 'up', cluster: 'live', degraded: [], embedded: false });
    expect(res.body.uptimeSeconds).toEqual(expect.any(Number));
  });
});

describe('who may read /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    // This test's requests come from loopback, which is not on this list.
    t = await createTestApp({ METRICS_ALLOW: '10.0.0.0/8', METRICS_TOKEN: 'metrics-token-0123456789' });
  });
  afterAll(() => t.close());

  it('answers 404 to clients off the allow list without a token, as for any unknown path', async () => {
    const res = await t.http().get('/metrics').expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
    await t.http().get('/metrics').set(auth('metrics-token-wrong-0000')).expect(404);
  });

  it('lets the metrics token and the admin token in from anywhere', async () => {
    await t.http().get('/metrics').set(auth('metrics-token-0123456789')).expect(200);
    await t.http().get('/metrics').set(auth(ADMIN_TOKEN)).expect(200);
  });

  it('has no queue figures and a single-process cluster without Redis', async () => {
    const text = (await t.http().get('/metrics').set(auth(ADMIN_TOKEN)).expect(200)).text;
    expect(text).not.toContain('tianfu_queue_jobs');
    expect((await t.http().get('/health').expect(200)).body).toMatchObject({ status: 'ok', queue: 'in-process', cluster: 'single-process', degraded: [] });
  });
});

describe('/health when Redis is unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => t.close());

  it('answers 503 naming the queue and the cluster channel, and /metrics still answers', async () => {
    const res = await t.http().get('/health').expect(503);
    expect(res.body).toMatchObject({ status: 'degraded', database: 'up', queue: 'down', cluster: 'down', degraded: ['queue', 'cluster'] });
    const text = (await t.http().get('/metrics').expect(200)).text;
    expect(text).toContain('tianfu_outbox_backlog');
  });
});
