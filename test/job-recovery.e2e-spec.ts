import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createRegulator, OrgWithKey, uniqueUscc } from './support/factories';
import { RowLock } from './support/row-lock';
import { eventually, startNode, Started, stop } from './support/processes';
import { createTestApp, processEnv, TestApp } from './support/test-app';

const LABELS = 2000;
const KILLS = 4;

/**
 * Jobs whose worker process is SIGKILLed every time it runs them. BullMQ runs a stalled job again
 * (once: JOB_MAX_STALLED_COUNT=1) and then fails it; the sweeper queues the work again
 * (JOB_MAX_REQUEUES=1) and then fails it with the reason, which the API shows. Small lock and
 * stall intervals keep it quick. Each kill happens while the job is inside its processor: the test
 * holds a lock on the job's row, waits until the worker's session waits for it, then kills.
 */
/** The file's own database (test/setup/file-database.ts): no other suite's process relays or sweeps these jobs. */
const databaseUrl = () => process.env.TEST_DATABASE_URL!;

describe('jobs whose worker is killed again and again finish or fail visibly', () => {
  jest.setTimeout(240_000);
  let t: TestApp;
  let admin: Client;
  const workers: Started[] = [];
  const locks = new Map<string, RowLock>();
  const output = () => workers.map((w) => w.output()).join('\n--- next worker ---\n');

  const startWorker = () => {
    const worker = startNode('worker.js', processEnv(t.config, {
      JOB_LOCK_MS: '3000', JOB_STALLED_INTERVAL_MS: '300', JOB_MAX_STALLED_COUNT: '1', JOB_SWEEP_EVERY_MS: '300', JOB_MAX_REQUEUES: '1',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    }));
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    t = await createTestApp({
      REDIS_URL: process.env.TEST_REDIS_URL, LABEL_SYNC_MAX: '10',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    admin = new Client({ connectionString: databaseUrl() });
    admin.on('error', () => undefined);
    await admin.connect();
  });
  afterAll(async () => {
    // Released first: a worker stopping gracefully finishes the jobs in hand, which wait for these locks.
    for (const lock of locks.values()) await lock.release().catch(() => undefined);
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) await stop(w);
    await admin?.end();
    await t?.close();
  });

  const one = async <T>(sql: string, params: unknown[]) => ((await admin.query(sql, params)).rows as T[])[0];

  /** A render queued by the API (202), a capture (202), a submitted sample's judging chunk and a webhook delivery; no worker running yet. */
  async function queueWork(producer: OrgWithKey) {
    const batch = await createBatch(t, producer.token);
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(producer.token)).send({ count: LABELS }).expect(201);
    const labelsUrl = `/api/v1/print-runs/${run.body.id}/labels.pdf?layout=a4-40`;
    await t.http().get(labelsUrl).set(auth(producer.token)).expect(202);
    const render = await one<{ id: string }>('SELECT id FROM label_renders WHERE print_run_id = $1', [run.body.id]);

    const doc = readFileSync(join(__dirname, 'fixtures', 'epcis-examples', 'Example_9.6.3-AggregationEvent.jsonld'), 'utf8');
    const capture = await t.http().post('/api/v1/events').set(auth(producer.token)).set('Content-Type', 'application/ld+json').send(doc).expect(202);
    const captureUrl = capture.headers.location as string;

    const regulator = await createRegulator(t, '510131');
    const lab = await createOrg(t, { name: '检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    const sampled = await createBatch(t, producer.token);
    const sample = await t.http().post('/api/v1/sampling/samples').set(auth(regulator.token))
      .send({ batchId: sampled.id, stream: 'supervisory_sampling', labOrganizationId: lab.id, analytes: ['溴氰菊酯'] }).expect(201);
    await t.http().post(`/api/v1/sampling/samples/${sample.body.id}/collect`).set(auth(regulator.token))
      .send({ place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' }).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${sample.body.id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${sample.body.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '10', unit: 'µg/kg', lod: '1', method: 'GB 23200.113-2018' }] }).expect(202);
    const chunk = await one<{ id: string }>('SELECT id FROM sample_judge_chunks WHERE $1 = ANY(sample_ids)', [sample.body.id]);

    // Nothing listens on port 1: each attempt fails at once, then records itself (and waits for the test's lock).
    const hook = await t.http().post('/api/v1/webhooks').set(auth(producer.token)).send({ url: 'http://127.0.0.1:1/hook', kinds: ['batch.on_hold'] }).expect(201);
    const held = await createBatch(t, producer.token);
    await t.http().post(`/api/v1/batches/${held.id}/status`).set(auth(producer.token)).send({ status: 'on_hold', reason: '例行监测 农药残留超标' }).expect(201);
    const delivery = await one<{ id: string }>('SELECT id FROM webhook_deliveries WHERE subscription_id = $1', [hook.body.id]);
    return {
      deliveryId: delivery.id, labelsUrl, renderId: render.id, captureUrl, captureId: capture.body.captureID as string, sampleUrl: `/api/v1/sampling/samples/${sample.body.id}`, regulator, chunkId: chunk.id };
  }

  it(`fails a label render, an EPCIS capture, a judging chunk and a webhook delivery killed ${KILLS} times, with the reason the API shows`, async () => {
    const producer = await createOrg(t);
    const work = await queueWork(producer);
    const renderState = () => one<{ status: string; progress: number; error: string | null }>('SELECT status, progress, error FROM label_renders WHERE id = $1', [work.renderId]);
    // The capture and the judging wait for the test's locks from their first run on.
    locks.set('capture', await RowLock.take(databaseUrl(), 'capture_jobs', work.captureId));
    locks.set('judging', await RowLock.take(databaseUrl(), 'sample_judge_chunks', work.chunkId));
    locks.set('webhook', await RowLock.take(databaseUrl(), 'webhook_deliveries', work.deliveryId));
    const seen = new Set<number>();
    /** Waits until a new session of the worker waits on each lock: each job is running, inside its processor. */
    const allRunning = () => eventually(async () => {
      running = new Map<string, number>();
      for (const [kind, lock] of locks) {
        const pid = (await lock.waiters()).find((p) => !seen.has(p));
        if (pid) running.set(kind, pid);
      }
      return running.size === locks.size ? [...running.values()] : undefined;
    }, 600, 50, () => `${output()}\n--- render: ${JSON.stringify(lastRender)}; running: ${JSON.stringify([...running])}; kills so far: ${kills} ---`);
    let running = new Map<string, number>();
    let lastRender: unknown;
    let kills = 0;

    for (; kills < KILLS; kills++) {
      const worker = startWorker();
      if (kills === 0) {
        // The first run really renders: lock the row once it says 'rendering' (its next progress write waits).
        await eventually(async () => { lastRender = await renderState(); return (lastRender as { status: string }).status === 'rendering' ? true : undefined; }, 1200, 25, output);
        locks.set('render', await RowLock.take(databaseUrl(), 'label_renders', work.renderId));
        const [locked] = await locks.get('render')!.query<{ status: string }>('SELECT status FROM label_renders WHERE id = $1', [work.renderId]);
        expect(locked.status).toBe('rendering');
      }
      const pids = await allRunning();
      worker.child.kill('SIGKILL');
      await worker.exited;
      // A session waiting on a lock does not notice that its client died: end it, as the server does once it notices.
      for (const pid of pids) {
        seen.add(pid);
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      }
      lastRender = await renderState();
      // Before the sweeper, this was the end: after the second kill BullMQ failed the job, the render
      // stayed 'rendering' and the API answered 202 forever.
      expect(lastRender).toMatchObject({ status: 'rendering' });
      await t.http().get(work.labelsUrl).set(auth(producer.token)).expect(202);
    }
    for (const lock of locks.values()) await lock.release();
    locks.clear();

    // A last worker finds the jobs failed after their second stall each, and the sweeper gives up on them.
    startWorker();
    await eventually(async () => {
      lastRender = await renderState();
      return (lastRender as { status: string }).status === 'failed' ? true : undefined;
    }, 600, 100, output);

    const labels = await t.http().get(work.labelsUrl).set(auth(producer.token)).expect(409);
    expect(labels.body).toMatchObject({ code: 'LABEL_RENDER_FAILED', details: { format: 'pdf', layout: 'a4-40', retry: `${work.labelsUrl}&retry=true` } });
    expect(labels.body.message).toMatch(/JOB_ABANDONED: Given up after its job was lost 2 times .*last cause: job stalled more than allowable limit/);
    const run = await t.http().get(work.labelsUrl.replace(/\/labels\.pdf.*/, '')).set(auth(producer.token)).expect(200);
    expect(run.body.renders[0]).toMatchObject({ status: 'failed', error: labels.body.details.reason });

    const capture = await eventually(async () => {
      const res = await t.http().get(work.captureUrl).set(auth(producer.token)).expect(200);
      return res.body.running ? undefined : res.body;
    }, 600, 100, output);
    expect(capture).toMatchObject({ status: 'failed', success: false, capturedCount: 0, errors: [{ index: null, eventID: null, code: 'JOB_ABANDONED' }] });
    expect(capture.errors[0].message).toMatch(/lost 2 times .*job stalled more than allowable limit/);

    const sample = await eventually(async () => {
      const res = await t.http().get(work.sampleUrl).set(auth(work.regulator.token)).expect(200);
      return res.body.custody.some((c: { note: string | null }) => c.note?.startsWith('not judged:')) ? res.body : undefined;
    }, 600, 100, output);
    expect(sample).toMatchObject({ status: 'tested', verdict: null });
    expect(sample.custody.at(-1).note).toMatch(/^not judged: JOB_ABANDONED: Given up after its job was lost 2 times/);
    const chunk = await one<{ failed: boolean; done: boolean }>('SELECT failed_at IS NOT NULL AS failed, done_at IS NOT NULL AS done FROM sample_judge_chunks WHERE id = $1', [work.chunkId]);
    expect(chunk).toEqual({ failed: true, done: false });

    const notifications = await eventually(async () => {
      const res = await t.http().get('/api/v1/notifications').set(auth(producer.token)).expect(200);
      const deliveries = res.body.items.flatMap((n: { deliveries: { id: string; status: string }[] }) => n.deliveries);
      return deliveries.some((d: { id: string; status: string }) => d.id === work.deliveryId && d.status !== 'pending') ? deliveries : undefined;
    }, 600, 100, output);
    expect(notifications).toEqual([expect.objectContaining({ id: work.deliveryId, status: 'failed', lastError: expect.stringMatching(/^JOB_ABANDONED: Given up after its job was lost 2 times/) })]);

    // Asked for again, the render runs as a new job and the file comes.
    await t.http().get(`${work.labelsUrl}&retry=true`).set(auth(producer.token)).expect(202);
    const pdf = await eventually(async () => {
      const res = await t.http().get(work.labelsUrl).set(auth(producer.token)).buffer(true);
      return res.status === 200 ? res : undefined;
    }, 1200, 100, output);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await renderState()).toMatchObject({ status: 'done', progress: 100, error: null });
  });
});

/**
 * Without Redis, jobs live in the memory of the API process that took them: a job handed to a
 * process that has stopped is lost with it, and the next process's sweeper runs it again.
 */
describe('in-process jobs of a process that stopped', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LABEL_SYNC_MAX: '10', JOB_SWEEP_EVERY_MS: '1000' });
  });
  afterAll(() => t?.close());

  it('are run again by the next process; work a live process holds is left alone', async () => {
    const producer = await createOrg(t);
    const batch = await createBatch(t, producer.token);
    const runs: string[] = [];
    for (let i = 0; i < 2; i++) runs.push((await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(producer.token)).send({ count: 20 }).expect(201)).body.id);
    const sql = t.app.get(DataSource);
    // Rows as processes leave them: a render handed (before this process started) to a process that
    // died mid-render, and one handed just now to another process that is still running it.
    const left = async (runId: string, to: string, dispatchedAt: string, createdAt: string) => {
      const [{ id }] = await sql.query(
        `INSERT INTO label_renders (print_run_id, format, layout, status, created_at) VALUES ($1, 'pdf', 'a4-40', 'rendering', ${createdAt}) RETURNING id`, [runId]);
      await sql.query(`INSERT INTO outbox (queue, job_id, payload, dispatched_at, dispatched_to) VALUES ('label-render', $1, $2, ${dispatchedAt}, $3)`,
        [`render-${id}-0`, JSON.stringify({ renderId: id }), to]);
      return id as string;
    };
    const held = await left(runs[0], 'in-process:another-live-process', 'now()', "now() - interval '2 minutes'");
    const lost = await left(runs[1], 'in-process:a-process-that-died', "now() - interval '1 minute'", "now() - interval '1 minute'");

    const pdf = await eventually(async () => {
      const res = await t.http().get(`/api/v1/print-runs/${runs[1]}/labels.pdf?layout=a4-40`).set(auth(producer.token)).buffer(true);
      return res.status === 200 ? res : undefined;
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await sql.query('SELECT current_job_id AS "jobId", last_cause AS cause FROM job_recoveries WHERE base_job_id = $1', [`render-${lost}-0`]))
      .toEqual([{ jobId: `render-${lost}-0-requeue-1`, cause: 'the process running it stopped' }]);
    // The sweep that requeued it looked at the older render first and left it to its process.
    expect(await sql.query('SELECT status FROM label_renders WHERE id = $1', [held])).toEqual([{ status: 'rendering' }]);
    expect(await sql.query('SELECT 1 FROM job_recoveries WHERE base_job_id = $1', [`render-${held}-0`])).toEqual([]);
  });
});
