/**
 * Scan throughput with one API process and with two behind no proxy (the load generator splits its
 * connections between them), and what counting the rate limit in Redis costs on the scan path.
 *   npm run build && npx tsx bench/replicas.ts     (needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379)
 * Settings: BENCH_DURATION (s), BENCH_CONNECTIONS, BENCH_REDIS_URL.
 * Nothing is pinned: two replicas need both cores, so the load generator (this process) competes
 * with them — on a 2-core machine the 2-replica figure is a floor, not a forecast for two machines.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { benchApiEnv, call, demoBatch, Listening, loadTest, removeRedisKeys, runBench, startListening, stopProcess, table, waitForHealthy, withApi } from './support';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `tianfu-bench-${process.pid}`;
const NO_LIMIT = { PUBLIC_RATE_LIMIT_MAX: '10000000' };

function redisTicks(): number {
  try {
    return execFileSync('pgrep', ['-x', 'redis-server']).toString().trim().split('\n').map(Number).reduce((sum, pid) => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + Number(fields[11]) + Number(fields[12]);
    }, 0);
  } catch {
    return 0;
  }
}

async function itemCodes(api: Listening, databaseUrl: string): Promise<string[]> {
  const { token, batchId } = await demoBatch(api.url);
  const run = (await call(api.url, `/api/v1/batches/${batchId}/print-runs`, token, { count: 1000 })).json;
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const rows = (await pg.query('SELECT code FROM trace_codes WHERE print_run_id = $1', [run.id])).rows as { code: string }[];
  await pg.end();
  return rows.map((r) => `/t/${r.code}`);
}

/** Load on every API at once (connections split evenly); one row with the sums. */
async function loadAll(title: string, apis: Listening[], paths: string[]): Promise<Record<string, string | number>> {
  const redisBefore = redisTicks();
  const rows = await Promise.all(apis.map((api) => loadTest(title, api.url, api.process.pid!, { duration: DURATION, connections: Math.round(CONNECTIONS / apis.length), paths })));
  // Warm-up (2 s) included: Redis is one process for all runs, so its share is approximate.
  const redisCpu = (redisTicks() - redisBefore) / 100 / (DURATION + 2);
  const sum = (key: string) => rows.reduce((n, r) => n + Number(r[key]), 0);
  return {
    target: title,
    'req/s': sum('req/s (avg)'),
    'p50 ms': Math.max(...rows.map((r) => Number(r['p50 ms']))),
    'p99 ms': Math.max(...rows.map((r) => Number(r['p99 ms']))),
    '2xx': sum('2xx'),
    non2xx: sum('non2xx'),
    'API CPU': rows.map((r) => r['server CPU']).join(' + '),
    'PostgreSQL CPU': rows[0]['PostgreSQL CPU'],
    'Redis CPU': `${Math.round(redisCpu * 100)}%`,
  };
}

runBench(async () => {
  await withApi(NO_LIMIT, async (embeddedLimits) => {
    const first: Listening = { url: embeddedLimits.url, process: embeddedLimits.process };
    const paths = await itemCodes(first, embeddedLimits.databaseUrl);
    const redisEnv = benchApiEnv(embeddedLimits.databaseUrl, { ...NO_LIMIT, REDIS_URL, QUEUE_PREFIX: PREFIX });
    const rows = [await loadAll('1 API, rate limit in memory (no REDIS_URL)', [first], paths)];
    await stopProcess(first.process);
    const a = await startListening(process.execPath, ['dist/src/main.js'], redisEnv);
    const b = await startListening(process.execPath, ['dist/src/main.js'], redisEnv);
    try {
      await waitForHealthy(`${a.url}/health`);
      await waitForHealthy(`${b.url}/health`);
      rows.push(await loadAll('1 API, rate limit in Redis', [a], paths));
      rows.push(await loadAll('2 APIs, rate limit in Redis', [a, b], paths));
      rows.push(await loadAll('1 API, rate limit in Redis (again)', [a], paths));
    } finally {
      await stopProcess(a.process);
      await stopProcess(b.process);
      await removeRedisKeys(REDIS_URL, `${PREFIX}:*`);
    }
    const one = (Number(rows[1]['req/s']) + Number(rows[3]['req/s'])) / 2;
    console.log(`\nScan page /t/{code} (1000 item codes, scans recorded) — ${CONNECTIONS} connections × ${DURATION} s, node ${process.version}, ${cpus().length} cores, unpinned, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    console.log(table(rows));
    console.log(`\nRedis-backed rate limit vs in memory (1 API): ${((Number(rows[1]['req/s']) / Number(rows[0]['req/s'])) * 100).toFixed(0)}%`);
    console.log(`2 APIs vs 1 (both with Redis): ${(Number(rows[2]['req/s']) / one).toFixed(2)}×`);
  });
});
