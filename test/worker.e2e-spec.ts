import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES } from '../libs/queues';
import { auth, createBatch, createOrg } from './support/factories';
import { eventually, startNode, Started, stop } from './support/processes';
import { createTestApp, processEnv, TestApp } from './support/test-app';

/**
 * The production path: the API records a render job (outbox → BullMQ on real Redis) and a real
 * worker process (dist/src/worker.js) renders it. The API process runs no workers itself.
 */
describe('label rendering by a real BullMQ worker process', () => {
  let t: TestApp;
  let worker: Started;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: process.env.TEST_REDIS_URL, LABEL_SYNC_MAX: '10' });
    worker = startNode('worker.js', processEnv(t.config));
    await eventually(async () => (worker.output().includes('worker ready') ? true : undefined), undefined, undefined, () => worker.output());
  });
  afterAll(async () => {
    await stop(worker);
    await t.close();
  });

  it('reports the queue as up', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ database: 'up', queue: 'up' });
  });

  it('renders a large run in the worker: 202 with progress, then the PDF', async () => {
    const org = await createOrg(t);
    const batch = await createBatch(t, org.token);
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 80 }).expect(201);
    const url = `/api/v1/print-runs/${run.body.id}/labels.pdf?layout=a4-40`;
    await t.http().get(url).set(auth(org.token)).expect(202);
    const done = await eventually(async () => {
      const res = await t.http().get(url).set(auth(org.token)).buffer(true);
      return res.status === 200 ? res : undefined;
    }, undefined, undefined, () => worker.output());
    expect(done.headers['content-type']).toBe('application/pdf');
    const [render] = await t.app.get(DataSource).query('SELECT status, progress, bytes FROM label_renders WHERE print_run_id = $1', [run.body.id]);
    expect(render).toMatchObject({ status: 'done', progress: 100 });
    expect(render.bytes).toBeGreaterThan(1000);
    expect(worker.output()).toContain('worker started');
  });

  it('runs an EPCIS capture job in the worker', async () => {
    const org = await createOrg(t);
    const doc = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'epcis-examples', 'Example_9.6.3-AggregationEvent.jsonld'), 'utf8'));
    const res = await t.http().post('/api/v1/events').set(auth(org.token)).set('Content-Type', 'application/ld+json').send(JSON.stringify(doc)).expect(202);
    const job = await eventually(async () => {
      const status = await t.http().get(res.headers.location as string).set(auth(org.token)).expect(200);
      return status.body.running ? undefined : status.body;
    }, undefined, undefined, () => worker.output());
    expect(job).toMatchObject({ success: true, errors: [] });
    expect(worker.output()).toContain('epcis-capture');
  });

  it('registers its job schedulers: indicator folds (and they complete), sampling periods, audit checkpoints and scan partitions', async () => {
    const schedulersOf = async (name: string) => {
      const queue = new Queue(name, { connection: { url: t.config.redisUrl! }, prefix: t.config.queuePrefix });
      try {
        const schedulers = await eventually(async () => { const s = await queue.getJobSchedulers(); return s.length ? s : undefined; }, undefined, undefined, () => worker.output());
        if (name === QUEUES.indicatorsFold) {
          await eventually(async () => ((await queue.getCompletedCount()) > 0 ? true : undefined), undefined, undefined, () => worker.output());
        }
        return schedulers;
      } finally {
        await queue.close();
      }
    };
    expect(await schedulersOf(QUEUES.indicatorsFold)).toEqual([expect.objectContaining({ key: 'indicators-fold', every: 2000 })]);
    expect(await schedulersOf(QUEUES.samplingSchedule)).toEqual([expect.objectContaining({ key: 'sampling-periods', pattern: '10 0 * * *', tz: 'Asia/Shanghai' })]);
    expect(await schedulersOf(QUEUES.auditCheckpoint)).toEqual([expect.objectContaining({ key: 'audit-checkpoint', pattern: '0 * * * *', tz: 'Asia/Shanghai' })]);
    expect(await schedulersOf(QUEUES.scanPartitions)).toEqual([expect.objectContaining({ key: 'scan-partitions', pattern: '10 3 * * *', tz: 'Asia/Shanghai' })]);
  });

  it('stops gracefully on SIGTERM', async () => {
    expect(await stop(worker)).toBe(0);
    expect(worker.output()).not.toMatch(/"level":"error"|Driver not Connected|Connection terminated/);
  });
});
