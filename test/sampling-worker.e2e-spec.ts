import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createRegulator, uniqueUscc } from './support/factories';
import { eventually, startNode, Started, stop } from './support/processes';
import { ADMIN_TOKEN, createTestApp, processEnv, TestApp } from './support/test-app';

const SAMPLES = 3000;
const FAILING_EVERY = 300;

/**
 * The production path for results: a CSV upload records judge jobs (outbox → BullMQ on real Redis),
 * a real worker process judges them and starts failure flows (BullMQ FlowProducer). The worker is
 * killed (SIGKILL) mid-way; a second worker finishes. Nothing is lost or doubled.
 */
describe('sampling jobs survive a killed worker', () => {
  let t: TestApp;
  const workers: Started[] = [];
  const startWorker = () => {
    // Short locks: the killed worker's job is taken over in seconds rather than BullMQ's 30 s default.
    const w = startNode('worker.js', processEnv(t.config, { JOB_LOCK_MS: '3000', JOB_STALLED_INTERVAL_MS: '500' }));
    workers.push(w);
    return w;
  };
  const output = () => workers.map((w) => w.output()).join('\n---\n');

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: process.env.TEST_REDIS_URL });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) await stop(w);
    await t.close();
  });

  it('judges every sample exactly once and runs each failure flow once', async () => {
    const db = t.app.get(DataSource);
    const regulator = await createRegulator(t, '510131');
    const lab = await createOrg(t, { name: '检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    const producer = await createOrg(t);
    const batches = [];
    for (let i = 0; i < SAMPLES / FAILING_EVERY; i++) batches.push(await createBatch(t, producer.token));
    const views = await Promise.all(batches.map((b) => t.http().get(`/api/v1/batches/${b.id}`).set(auth(producer.token)).expect(200)));
    // The first batch is sold online: its hold by the worker's job must alert the listing (issue 18), once.
    await t.http().post('/api/v1/certificates').set(auth(producer.token))
      .send({ batchId: batches[0].id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' } }).expect(201);
    const listing = (await t.http().post('/api/v1/listings').set(auth(producer.token))
      .send({ platform: 'kuaishou', platformRef: 'ks-3612345', productId: batches[0].product.id, batchIds: [batches[0].id] }).expect(201)).body as { id: string };
    // Received samples spread over the batches (set up directly: the custody routes are tested elsewhere).
    await db.query(
      `INSERT INTO samples (sample_no, stream, batch_id, organization_id, site_id, region_code, category_path, issuer_organization_id,
         lab_organization_id, analytes, status, collected_at, received_at)
       SELECT 'W' || lpad(g::text, 8, '0'), 'routine_monitoring', (b.v->>'id')::uuid, $1, (b.v->>'siteId')::uuid, '510131', b.v->'product'->>'category', $2, $3,
              ARRAY['溴氰菊酯', '毒死蜱'], 'received', now(), now()
       FROM generate_series(1, $4::int) g JOIN (SELECT v, (row_number() OVER ()) - 1 AS i FROM jsonb_array_elements($5::jsonb) v) b ON b.i = (g - 1) / $6`,
      [producer.id, regulator.id, lab.id, SAMPLES, JSON.stringify(views.map((v) => v.body)), FAILING_EVERY]);
    const lines = ['sample_no,analyte,value,unit,lod,loq,detected,method'];
    for (let g = 1; g <= SAMPLES; g++) {
      const no = `W${String(g).padStart(8, '0')}`;
      lines.push(`${no},溴氰菊酯,${g % FAILING_EVERY === 0 ? '0.5' : '0.01'},mg/kg,0.001,,,GB 23200.113-2018`, `${no},毒死蜱,,mg/kg,0.005,,false,`);
    }
    let worker = startWorker();
    await eventually(async () => (worker.output().includes('worker ready') ? true : undefined), undefined, undefined, output);

    const res = await t.http().post('/api/v1/sampling/results.csv').set(auth(lab.token)).set('Content-Type', 'text/csv').send(lines.join('\n')).expect(200);
    expect(res.body).toMatchObject({ accepted: { samples: SAMPLES, results: SAMPLES * 2 }, judgeJobs: Math.ceil(SAMPLES / 500) });

    // Kill the worker as soon as it has judged something, before it is done.
    await eventually(async () => {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM samples WHERE sample_no LIKE 'W%' AND status = 'judged'`);
      return n > 0 ? true : undefined;
    }, 600, 20, output);
    worker.child.kill('SIGKILL');
    await worker.exited;
    const [{ n: judgedAtKill }] = await db.query(`SELECT count(*)::int AS n FROM samples WHERE sample_no LIKE 'W%' AND status = 'judged'`);

    worker = startWorker();
    await eventually(async () => {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM samples WHERE sample_no LIKE 'W%' AND status = 'judged'`);
      return n === SAMPLES ? true : undefined;
    }, 2500, 100, output);
    const failing = SAMPLES / FAILING_EVERY;
    await eventually(async () => {
      // Scoped to this suite's producer: its other tests record consequence steps too.
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM sample_consequence_steps c JOIN samples s ON s.id = c.sample_id WHERE c.step = 'notify' AND s.organization_id = $1`,
        [producer.id],
      );
      return n === failing ? true : undefined;
    }, 2500, 100, output);

    const [counts] = await db.query(`
      SELECT (SELECT count(*)::int FROM sample_results r JOIN samples s ON s.id = r.sample_id WHERE s.sample_no LIKE 'W%') AS results,
             (SELECT count(*)::int FROM sample_results r JOIN samples s ON s.id = r.sample_id WHERE s.sample_no LIKE 'W%' AND r.verdict IS NULL) AS unjudged,
             (SELECT count(*)::int FROM test_records t JOIN samples s ON s.id = t.sample_id WHERE s.sample_no LIKE 'W%') AS records,
             (SELECT count(*)::int FROM sample_custody_events e JOIN samples s ON s.id = e.sample_id WHERE s.sample_no LIKE 'W%' AND e.status = 'judged') AS judged_events,
             (SELECT count(*)::int FROM samples WHERE sample_no LIKE 'W%' AND verdict = 'fail') AS failed,
             (SELECT count(*)::int FROM sample_consequence_steps c JOIN samples s ON s.id = c.sample_id WHERE s.organization_id = $1) AS steps,
             (SELECT count(*)::int FROM notifications WHERE kind = 'sample.failed' AND organization_id = $1) AS producer_notes,
             (SELECT count(*)::int FROM sample_judge_chunks WHERE done_at IS NULL
                AND sample_ids && (SELECT array_agg(id) FROM samples WHERE organization_id = $1)) AS open_chunks`, [producer.id]);
    expect(counts).toEqual({
      results: SAMPLES * 2, unjudged: 0, records: SAMPLES, judged_events: SAMPLES, failed: failing, steps: failing * 4, producer_notes: failing, open_chunks: 0,
    });
    for (const b of batches) {
      const view = await t.http().get(`/api/v1/batches/${b.id}`).set(auth(producer.token)).expect(200);
      expect(view.body.status).toBe('on_hold');
    }
    expect(judgedAtKill).toBeLessThan(SAMPLES);
    // The hold made in the worker recorded a listing-alerts job; the worker sent the listing's alert exactly once.
    const alerts = await eventually(async () => {
      const rows = await db.query(`SELECT kind FROM notifications WHERE subject_id = $1`, [listing.id]) as { kind: string }[];
      return rows.length > 0 ? rows : undefined;
    }, 600, 50, output);
    expect(alerts).toEqual([{ kind: 'listing.batch_on_hold' }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE queue = 'listing-alerts' AND payload->>'batchId' = $1`, [batches[0].id]))[0].n).toBe(1);
    // The audit log saw each verdict exactly once, by the judge job in the worker, with the sample's id (the killed
    // worker's transaction rolled back with its entries); nothing is filed under "*".
    const [audit] = await db.query(`
      SELECT (SELECT count(*)::int FROM audit_log a JOIN samples s ON a.subject_id = s.id::text
                WHERE a.action = 'samples.update' AND a.actor_kind = 'worker' AND a.actor_id = 'job:sampling-judge' AND s.sample_no LIKE 'W%') AS sample_verdicts,
             (SELECT count(DISTINCT a.subject_id)::int FROM audit_log a JOIN samples s ON a.subject_id = s.id::text
                WHERE a.action = 'samples.update' AND a.actor_kind = 'worker' AND a.actor_id = 'job:sampling-judge' AND s.sample_no LIKE 'W%') AS samples_judged,
             (SELECT count(*)::int FROM audit_log a JOIN sample_results r ON a.subject_id = r.id::text JOIN samples s ON s.id = r.sample_id
                WHERE a.action = 'sample_results.update' AND a.actor_kind = 'worker' AND a.actor_id = 'job:sampling-judge' AND s.sample_no LIKE 'W%') AS result_verdicts,
             (SELECT count(*)::int FROM audit_log WHERE subject_id = '*') AS unnamed`);
    expect(audit).toEqual({ sample_verdicts: SAMPLES, samples_judged: SAMPLES, result_verdicts: SAMPLES * 2, unnamed: 0 });
    const verify = await t.http().get('/api/v1/audit/verify').set(auth(ADMIN_TOKEN)).expect(200);
    expect(verify.body).toMatchObject({ valid: true, firstBreak: null });
    expect(await stop(worker)).toBe(0);
  }, 360_000);
});
