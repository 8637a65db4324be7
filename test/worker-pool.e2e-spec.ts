import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QUEUES } from '../libs/queues';
import { createBatch, createOrg } from './support/factories';
import { eventually, startNode, Started, stop } from './support/processes';
import { createTestApp, processEnv, TestApp } from './support/test-app';

const WORKERS = 3;
const FOLD_EVERY_MS = 2000;

/**
 * A pool of worker processes on one Redis and one database: every worker registers the same job
 * schedulers, yet each schedule exists once and each tick runs once, and the indicator fold — run
 * by whichever worker takes the tick, under an advisory lock — counts every delta exactly once.
 */
describe(`a pool of ${WORKERS} worker processes`, () => {
  let t: TestApp;
  let db: DataSource;
  const workers: Started[] = [];
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection: { url: t.config.redisUrl! }, prefix: t.config.queuePrefix }));
    return queues.get(name)!;
  };
  const output = () => workers.map((w, i) => `--- worker ${i} ---\n${w.output().slice(-1500)}`).join('\n');

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: process.env.TEST_REDIS_URL });
    db = t.app.get(DataSource);
    for (let i = 0; i < WORKERS; i++) workers.push(startNode('worker.js', processEnv(t.config)));
    for (const worker of workers) await eventually(async () => (worker.output().includes('worker ready') ? true : undefined), undefined, undefined, output);
  });
  afterAll(async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
    await Promise.all(workers.map(stop));
    await t.close();
  });

  it('keeps one scheduler and one next run per schedule, however many workers registered it', async () => {
    for (const name of [QUEUES.indicatorsFold, QUEUES.samplingSchedule, QUEUES.auditCheckpoint, QUEUES.jobsSweep]) {
      const schedulers = await queue(name).getJobSchedulers();
      expect({ name, schedulers: schedulers.length }).toEqual({ name, schedulers: 1 });
      // The daily and hourly schedules wait for their next tick: one delayed job, not one per worker.
      if (name !== QUEUES.indicatorsFold) expect({ name, delayed: await queue(name).getDelayedCount() }).toEqual({ name, delayed: 1 });
    }
  });

  it('runs each fold tick once cluster-wide and folds every delta exactly once', async () => {
    const org = await createOrg(t);
    const batches = 6;
    for (let i = 0; i < batches; i++) await createBatch(t, org.token);
    // Every worker races for the ticks; the deltas of this organisation are folded when none is left.
    await eventually(async () => {
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM indicator_deltas WHERE organization_id = $1', [org.id]) as { n: number }[];
      return n === 0 ? true : undefined;
    }, undefined, undefined, output);
    const [cells] = await db.query(
      `SELECT sum(numerator)::int AS numerator, sum(denominator)::int AS denominator FROM indicator_cells
        WHERE organization_id = $1 AND indicator = 'trace_code_coverage'`, [org.id],
    ) as { numerator: number; denominator: number }[];
    expect(cells).toEqual({ numerator: batches, denominator: batches });

    // Wait for a few ticks, then look at every tick the pool ran: one job per tick, ticks a period apart.
    const fold = queue(QUEUES.indicatorsFold);
    await eventually(async () => ((await fold.getCompletedCount()) >= 3 ? true : undefined), undefined, undefined, output);
    const done: Job[] = await fold.getJobs(['completed'], 0, -1);
    // A scheduler's job id is its key and its tick's time: a tick run twice would be two jobs with one id.
    for (const job of done) expect(job.id).toMatch(/^repeat:indicators-fold:\d+$/);
    const ticks = done.map((job) => Number(/(\d+)$/.exec(job.id!)![1])).sort((a, b) => a - b);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBeGreaterThanOrEqual(FOLD_EVERY_MS);
    expect(await fold.getFailedCount()).toBe(0);
  });
});
