/**
 * Certificates: how many 承诺达标合格证 the API issues per second (PDFs are rendered later, on first
 * download, never while issuing), and p99 of the public page /c/{token} under load next to the
 * scan page /t/{code} in the same run.
 *   npm run build && npx tsx bench/certificates.ts        (needs PostgreSQL on 127.0.0.1:5432)
 * Settings: BENCH_CERTIFICATES (default 2000), BENCH_CONCURRENCY (default 16), BENCH_DURATION (s),
 * BENCH_CONNECTIONS, BENCH_COUNTIES (default 1): issuers in that many counties. Certificate numbers
 * run per county and day, so the issues of one county take their numbers one after the other
 * (each holds the county's sequence row until its COMMIT); with 1 county every certificate does.
 * The API is pinned to core 0 and this process to core 1 where taskset exists; the table gives the
 * CPU each of the three (API, PostgreSQL backends, this load generator) spent per certificate.
 * BENCH_API_PROCESSES=2 runs that many API processes on the database and Redis (BENCH_REDIS_URL),
 * the clients split between them, nothing pinned: one Node process issues on one core at most.
 */
import { randomInt } from 'node:crypto';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import {
  BENCH_ADMIN_TOKEN, BenchApi, benchApiEnv, call, cpuTicks, demoBatch, Listening, loadTest, pin, removeRedisKeys, runBench, startListening, stopProcess, table, ticksSince, waitForHealthy, withApi,
} from './support';

const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const COUNTIES = Number(process.env.BENCH_COUNTIES ?? 1);
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
/** Several API processes share batch-change announcements and rate limits through Redis, as replicas do. */
const REPLICA_ENV: Record<string, string> = API_PROCESSES > 1
  ? { REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', QUEUE_PREFIX: `tianfu-bench-${process.pid}` }
  : {};
/** Counties of 成都市 besides 蒲江县 (the demo batch's), for BENCH_COUNTIES > 1. */
const OTHER_COUNTIES = ['510129', '510121', '510181', '510182', '510183', '510184', '510185', '510116', '510117', '510118', '510112', '510113', '510114', '510115', '510104', '510105', '510106', '510107', '510108'];
/** Certificates of one batch serialise on its row lock: spread the load over this many batches. */
const BATCHES = 32;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * One POST over a kept-alive connection with node:http: fetch() cost this process 1.1–1.4 ms of CPU per
 * certificate, CPU the API and PostgreSQL then did not get on a 2-core machine.
 */
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(base: string, path: string, token: string, body: unknown, key: string): Promise<{ status: number; json: { verifyUrl?: string } }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method: 'POST', agent,
      headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': payload.length, 'Idempotency-Key': key },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) as { verifyUrl?: string } }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

runBench(async () => {
  if (API_PROCESSES === 1) pin(process.pid, 1);
  const env: Record<string, string> = { PUBLIC_RATE_LIMIT_MAX: '10000000', ...REPLICA_ENV };
  await withApi(env, async (api) => {
    if (API_PROCESSES === 1) pin(api.process.pid!, 0);
    const replicas: Listening[] = [];
    for (let n = 1; n < API_PROCESSES; n++) replicas.push(await startListening(process.execPath, ['dist/src/main.js'], benchApiEnv(api.databaseUrl, env)));
    try {
      for (const replica of replicas) await waitForHealthy(`${replica.url}/health`);
      await issueAndLoad(api, [api, ...replicas]);
    } finally {
      for (const replica of replicas) await stopProcess(replica.process);
    }
  });
  if (REPLICA_ENV.QUEUE_PREFIX) await removeRedisKeys(REPLICA_ENV.REDIS_URL, `${REPLICA_ENV.QUEUE_PREFIX}:*`);
});

async function issueAndLoad(api: BenchApi, apis: Listening[]): Promise<void> {
  const first = await demoBatch(api.url);
  const issuers = [{ token: first.token, batchIds: [first.batchId] }];
  const [{ productId, siteId }] = await (async () => {
    const pg = new Client({ connectionString: api.databaseUrl });
    await pg.connect();
    const rows = (await pg.query('SELECT product_id AS "productId", site_id AS "siteId" FROM batches WHERE id = $1', [first.batchId])).rows;
    await pg.end();
    return rows as { productId: string; siteId: string }[];
  })();
  const places = [{ token: first.token, productId, siteId }];
  for (const region of OTHER_COUNTIES.slice(0, COUNTIES - 1)) {
    const uscc = completeUscc(`93${region}${String(randomInt(1e8)).padStart(8, '0')}`);
    const org = (await call(api.url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: `${region} 合作社`, kind: 'cooperative', uscc, regionCode: region })).json;
    const orgToken = (await call(api.url, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })).json.token;
    const product = (await call(api.url, '/api/v1/products', orgToken, { name: '猕猴桃', category: '水果' })).json;
    const site = (await call(api.url, '/api/v1/sites', orgToken, { name: '基地', regionCode: region })).json;
    places.push({ token: orgToken, productId: product.id, siteId: site.id });
    issuers.push({ token: orgToken, batchIds: [] });
  }
  for (let i = 1; i < BATCHES; i++) {
    const place = places[i % places.length];
    const batch = (await call(api.url, '/api/v1/batches', place.token, { productId: place.productId, siteId: place.siteId, quantity: { value: '1000000', unit: 'kg' }, producedOn: '2026-10-08' })).json;
    issuers[i % places.length].batchIds.push(batch.id);
  }
  const token = first.token;
  const issuerOf = (i: number) => issuers[i % issuers.length];
  const body = (i: number) => {
    const { batchIds } = issuerOf(i);
    return {
      batchId: batchIds[Math.floor(i / issuers.length) % batchIds.length], basis: ['quality_control'], quantity: { value: '1', unit: 'kg' },
      evidence: { qualityControl: '按《猕猴桃标准化生产技术规程》生产，落实农药安全间隔期' },
    };
  };
  // warm-up (JIT, connection pool), not measured
  await Promise.all(Array.from({ length: 50 }, (_, i) => post(apis[i % apis.length].url, '/api/v1/certificates', issuerOf(i).token, body(i), `warm-${i}`)));

  const latencies: number[] = [];
  const urls: string[] = [];
  let next = 0;
  let failures = 0;
  const loadBefore = loadavg()[0];
  // CPU spent by the API and by the PostgreSQL backends of this database while issuing (the API's
  // pool is open by now, after the warm-up): comparable on a loaded, shared machine.
  const backends = await (async () => {
    const pg = new Client({ connectionString: api.databaseUrl });
    await pg.connect();
    const rows = (await pg.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows as { pid: number }[];
    await pg.end();
    return rows.map((r) => r.pid);
  })();
  const apiTicks = cpuTicks(apis.map((a) => a.process.pid!));
  const pgTicks = cpuTicks(backends);
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, client) => {
    const { url } = apis[client % apis.length];
    while (next < CERTIFICATES) {
      const i = next++;
      const t0 = performance.now();
      const res = await post(url, '/api/v1/certificates', issuerOf(i).token, body(i), `bench-${i}`);
      latencies.push(performance.now() - t0);
      if (res.status === 201 && res.json.verifyUrl) urls.push(res.json.verifyUrl);
      else failures++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const apiCpuMs = ticksSince(apiTicks) * 10;
  const pgCpuMs = ticksSince(pgTicks) * 10;
  // The load generator shares the machine: what it spends is CPU the API and PostgreSQL do not get.
  const { user, system } = process.cpuUsage(clientCpu);
  const clientCpuMs = (user + system) / 1000;
  latencies.sort((a, b) => a - b);

  const run = (await call(api.url, `/api/v1/batches/${first.batchId}/print-runs`, token, { count: 1000 })).json;
  const pg = new Client({ connectionString: api.databaseUrl });
  await pg.connect();
  const codes = (await pg.query('SELECT code FROM trace_codes WHERE print_run_id = $1', [run.id])).rows.map((r: { code: string }) => r.code);
  await pg.end();
  const tokens = urls.slice(0, 1000).map((u) => new URL(u).pathname);
  const options = { duration: DURATION, connections: CONNECTIONS };
  const server = api.process.pid!;
  const rows = [
    await loadTest('/c/{token} (HTML, 1000 certificates)', api.url, server, { ...options, paths: tokens }),
    await loadTest('/api/v1/certificates/verify/{token} (JSON)', api.url, server, { ...options, paths: tokens.map((p) => `/api/v1/certificates/verify/${p.slice(3)}`) }),
    await loadTest('/t/{code} (HTML, 1000 item codes)', api.url, server, { ...options, paths: codes.map((c: string) => `/t/${c}`) }),
  ];

  console.log(`\nCertificate issuing over the API — ${CERTIFICATES} certificates, ${CONCURRENCY} concurrent clients, ${BATCHES} batches in ${issuers.length} ${issuers.length === 1 ? 'county' : 'counties'}, node ${process.version}, ${cpus().length} cores, ${apis.length} API process${apis.length === 1 ? " (pinned)" : "es (unpinned)"}, load ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)} (1-min average before and after issuing)\n`);
  console.log(table([{
    certificates: urls.length, failures, seconds: seconds.toFixed(2), 'certificates/s': Math.round(urls.length / seconds),
    'p50 ms': percentile(latencies, 50).toFixed(1), 'p99 ms': percentile(latencies, 99).toFixed(1),
    'API CPU ms/cert': (apiCpuMs / urls.length).toFixed(2), 'PostgreSQL CPU ms/cert': (pgCpuMs / urls.length).toFixed(2),
    'client CPU ms/cert': (clientCpuMs / urls.length).toFixed(2),
  }]));
  console.log(`\nPublic pages under load — ${CONNECTIONS} connections × ${DURATION} s each\n`);
  console.log(table(rows));
}
