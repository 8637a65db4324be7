/**
 * 100,000 lab results in CSV uploads, judged and stored end to end on the production path: the API
 * records judge jobs (outbox → BullMQ), a real worker process judges (limits engine), writes each
 * result's verdict and limit, the samples' verdicts, custody events and test records. Next to it, in
 * the same run, BullMQ's own throughput for no-op jobs on the same Redis.
 *   npm run build && npx tsx bench/sampling.ts   (PostgreSQL and Redis up; BENCH_RESULTS, BENCH_PER_SAMPLE, BENCH_UPLOADS)
 * Without Redis (REDIS_URL unset and 127.0.0.1:6379 down) the jobs run in the API process.
 */
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import { call, demoBatch, removeRedisKeys, runBench, startProcess, stopProcess, table, withApi, BENCH_ADMIN_TOKEN, BENCH_AUDIT_SIGNING_KEY } from './support';

const RESULTS = Number(process.env.BENCH_RESULTS ?? 100_000);
const PER_SAMPLE = Number(process.env.BENCH_PER_SAMPLE ?? 10);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 10);
const NOOP_JOBS = Number(process.env.BENCH_NOOP_JOBS ?? 20_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `bench-sampling-${process.pid}`;

const secondsSince = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

async function redisUp(): Promise<boolean> {
  const r = new IORedis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function noopThroughput(): Promise<{ jobs: number; seconds: number }> {
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  // BullMQ leaves connections it was given open on close(): both are disconnected at the end.
  const workerConnection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('bench-noop', { connection, prefix: PREFIX });
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    const worker = new Worker('bench-noop', async (_job: Job) => undefined, { connection: workerConnection, prefix: PREFIX, concurrency: 50 });
    worker.on('completed', () => {
      if (++done === NOOP_JOBS) void worker.close().then(() => resolve());
    });
  });
  const start = process.hrtime.bigint();
  for (let i = 0; i < NOOP_JOBS; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, NOOP_JOBS - i) }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { removeOnComplete: true } })));
  }
  await finished;
  const seconds = secondsSince(start);
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  workerConnection.disconnect();
  return { jobs: NOOP_JOBS, seconds };
}

runBench(async () => {
  const withRedis = await redisUp();
  const env: Record<string, string> = withRedis ? { REDIS_URL, QUEUE_PREFIX: PREFIX } : {};
  await withApi(env, async ({ url, databaseUrl }) => {
    const worker = withRedis
      ? startProcess(process.execPath, ['dist/src/worker.js'], {
        DATABASE_URL: databaseUrl, REDIS_URL, QUEUE_PREFIX: PREFIX, ADMIN_TOKEN: BENCH_ADMIN_TOKEN, SECRET_KEY: 'bench-secret-key-0123456789-0123456789', AUDIT_SIGNING_KEY: BENCH_AUDIT_SIGNING_KEY,
        PUBLIC_BASE_URL: 'https://trace.example.cn', LOG_LEVEL: 'warn', DEMO: 'false',
      })
      : null;
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { batchId } = await demoBatch(url);
      const regulator = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '蒲江县农业农村局', kind: 'regulator', uscc: completeUscc('11510131MB1D1234'), regionCode: '510131' })).json;
      const lab = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '检测中心', kind: 'lab', uscc: completeUscc('12510100MB0F1234'), regionCode: '510100' })).json;
      const labToken = (await call(url, `/api/v1/organizations/${lab.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'lab' })).json.token as string;
      const analytes = (await call(url, '/api/v1/limits/analytes', labToken)).json.items.map((a: { name: string }) => a.name).slice(0, PER_SAMPLE) as string[];
      const samples = Math.ceil(RESULTS / analytes.length);
      const [batch] = (await db.query('SELECT organization_id, site_id FROM batches WHERE id = $1', [batchId])).rows;
      // Setup, not measured: received samples assigned to the lab.
      await db.query(
        `INSERT INTO samples (sample_no, stream, batch_id, organization_id, site_id, region_code, category_path, issuer_organization_id, lab_organization_id, analytes, status, collected_at, received_at)
         SELECT 'B' || lpad(g::text, 9, '0'), 'routine_monitoring', $1, $2, $3, '510131', '水果', $4, $5, $6, 'received', now(), now() FROM generate_series(1, $7::int) g`,
        [batchId, batch.organization_id, batch.site_id, regulator.id, lab.id, analytes, samples]);
      const perUpload = Math.ceil(samples / UPLOADS);
      const files: string[] = [];
      for (let u = 0; u < UPLOADS; u++) {
        const lines = ['sample_no,analyte,value,unit,lod,loq,detected,method'];
        for (let g = u * perUpload + 1; g <= Math.min(samples, (u + 1) * perUpload); g++) {
          for (const [k, analyte] of analytes.entries()) lines.push(`B${String(g).padStart(9, '0')},${analyte},${k % 3 === 0 ? '' : '0.003'},mg/kg,0.001,0.002,${k % 3 === 0 ? 'false' : ''},GB 23200.113-2018`);
        }
        files.push(lines.join('\n'));
      }

      const start = process.hrtime.bigint();
      let uploaded = 0;
      for (const csv of files) {
        const res = await fetch(`${url}/api/v1/sampling/results.csv`, { method: 'POST', headers: { Authorization: `Bearer ${labToken}`, 'content-type': 'text/csv' }, body: csv });
        const report = await res.json() as { accepted: { results: number } };
        if (res.status !== 200) throw new Error(`upload: ${res.status} ${JSON.stringify(report).slice(0, 300)}`);
        uploaded += report.accepted.results;
      }
      const uploadSeconds = secondsSince(start);
      for (;;) {
        const { rows: [{ n }] } = await db.query(`SELECT count(*)::int AS n FROM samples WHERE status = 'judged'`);
        if (n >= samples) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const totalSeconds = secondsSince(start);
      const { rows: [check] } = await db.query(`SELECT (SELECT count(*)::int FROM sample_results WHERE verdict IS NOT NULL) AS judged_results,
        (SELECT count(*)::int FROM test_records WHERE sample_id IS NOT NULL) AS records`);
      if (check.judged_results !== uploaded || check.records !== samples) throw new Error(`incomplete: ${JSON.stringify(check)}`);

      const noop = withRedis ? await noopThroughput() : null;
      console.log(`\nSampling results end to end: ${uploaded} results (${samples} samples × ${analytes.length} analytes) in ${UPLOADS} CSV uploads; jobs ${withRedis ? 'in a BullMQ worker process' : 'in-process (no Redis)'}\n`);
      console.log(table([
        { measure: 'upload + validate + store (HTTP, all files)', seconds: uploadSeconds.toFixed(2), 'per second': `${Math.round(uploaded / uploadSeconds)} results` },
        { measure: 'uploads until every result judged and stored', seconds: totalSeconds.toFixed(2), 'per second': `${Math.round(uploaded / totalSeconds)} results` },
        ...(noop ? [{ measure: `BullMQ no-op jobs (${noop.jobs}, concurrency 50, same Redis)`, seconds: noop.seconds.toFixed(2), 'per second': `${Math.round(noop.jobs / noop.seconds)} jobs` }] : []),
      ]));
    } finally {
      await db.end();
      if (worker) await stopProcess(worker);
      // The run's queues (API, worker and no-op bench share PREFIX) leave nothing behind in Redis.
      if (withRedis) await removeRedisKeys(REDIS_URL, `${PREFIX}:*`);
    }
  });
});
