/**
 * Cost of the audit trail per write: batch creation (POST /api/v1/batches — 2 audited row changes:
 * the insert and the trace-code update) on the real API and PostgreSQL, with AUDIT_LOG on and off,
 * one request at a time (latency) and 8 in flight (throughput: appends serialise on the chain lock).
 * Ends with a full chain verification (entries checked per second).
 *   npm run build && npx tsx bench/audit.ts        (needs PostgreSQL on 127.0.0.1:5432)
 * Settings: BENCH_COUNT (batches per phase, default 300), BENCH_CONCURRENCY (default 8).
 */
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { BENCH_ADMIN_TOKEN, BENCH_AUDIT_SIGNING_KEY, call, demoBatch, ROOT, runBench, table, withApi } from './support';

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

interface Setup { token: string; productId: string; siteId: string }

async function setup(url: string): Promise<Setup> {
  const { token, batchId } = await demoBatch(url);
  const batch = (await call(url, `/api/v1/batches/${batchId}`, token)).json;
  return { token, productId: batch.product.id, siteId: batch.siteId };
}

async function createBatches(url: string, s: Setup, count: number, concurrency: number): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++;
      const t = now();
      await call(url, '/api/v1/batches', s.token, { productId: s.productId, siteId: s.siteId, quantity: { value: '100', unit: 'kg' }, producedOn: '2026-10-08' });
      latencies.push(now() - t);
    }
  }));
  return { ms: now() - started, latencies: latencies.sort((a, b) => a - b) };
}

async function phase(audit: boolean) {
  return withApi({ AUDIT_LOG: String(audit) }, async ({ url, databaseUrl }) => {
    const s = await setup(url);
    await createBatches(url, s, 50, 4); // warm-up
    const pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
    const entries = async () => Number((await pg.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n);
    const before = await entries();
    const serial = await createBatches(url, s, COUNT, 1);
    const parallel = await createBatches(url, s, COUNT, CONCURRENCY);
    const perBatch = (await entries() - before) / (2 * COUNT);
    let verify = '';
    if (audit) {
      const env = { ...process.env, DATABASE_URL: databaseUrl, ADMIN_TOKEN: BENCH_ADMIN_TOKEN, SECRET_KEY: 'bench-secret-key-0123456789-0123456789', AUDIT_SIGNING_KEY: BENCH_AUDIT_SIGNING_KEY, PUBLIC_BASE_URL: 'https://trace.example.cn', LOG_LEVEL: 'warn' };
      const t = now();
      const out = JSON.parse(execFileSync(process.execPath, ['dist/src/cli.js', 'audit:verify'], { cwd: ROOT, env }).toString()) as { valid: boolean; checked: number };
      const ms = now() - t;
      verify = `${out.valid ? 'valid' : 'BROKEN'}, ${out.checked} entries in ${Math.round(ms)} ms (CLI incl. start)`;
    }
    await pg.end();
    return {
      audit: audit ? 'on' : 'off',
      'entries/batch': perBatch.toFixed(1),
      'serial mean ms': (serial.latencies.reduce((a, b) => a + b, 0) / COUNT).toFixed(2),
      'serial p50 ms': pct(serial.latencies, 0.5).toFixed(2),
      'serial p99 ms': pct(serial.latencies, 0.99).toFixed(2),
      [`batches/s (${CONCURRENCY} in flight)`]: Math.round(COUNT / (parallel.ms / 1000)),
      [`p99 ms (${CONCURRENCY} in flight)`]: pct(parallel.latencies, 0.99).toFixed(1),
      verify,
    };
  });
}

runBench(async () => {
  const rows = [];
  // Interleaved twice (off, on, off, on) so drift in the shared machine's load hits both.
  for (const audit of [false, true, false, true]) rows.push(await phase(audit));
  console.log(`\nPOST /api/v1/batches, ${COUNT} batches per phase, PostgreSQL, audit log off vs on\n`);
  console.log(table(rows));
});
