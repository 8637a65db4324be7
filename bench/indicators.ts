/**
 * Indicators (issue 6) on 1,000,000 samples and 200,000 batches of synthetic data.
 *   npm run build && npx tsx bench/indicators.ts     (needs PostgreSQL on 127.0.0.1:5432)
 *
 * 1. bench/indicators-data.ts writes the data with set-based SQL into the freshly migrated database
 *    while the API runs, so the indicator triggers capture every statement and the in-process fold
 *    job folds as it goes; then the bench waits for the fold to drain indicator_deltas.
 * 2. BENCH_QUERIES (default 1,100) random indicator queries over HTTP (bench/indicators-queries.ts),
 *    half as the platform admin and half as a 成都市 regulator key: once straight after the load, then
 *    (after VACUUM ANALYZE of the aggregate tables, which autovacuum would do) sequentially and again
 *    4 in flight. p50/p95/p99/max per groupBy and overall. Target: p95 ≤ 50 ms.
 * 3. A few answers checked against brute-force SQL over the source tables (bench/indicators-check.ts).
 * 4. The dashboard pages' render time as a regulator with a console session (bench/indicators-dashboard.ts;
 *    target ≤ 300 ms).
 * 5. Write cost: 100,000 samples in 2 statements with the triggers on and off, interleaved.
 * Sizes: BENCH_ORGS, BENCH_BATCHES, BENCH_SAMPLES, BENCH_ITEM_CODES, BENCH_GI_CLAIMS; BENCH_KEEP_DB=1 keeps the database.
 */
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import { bruteForce, Figure, Scope } from './indicators-check';
import { dashboardRenderTimes } from './indicators-dashboard';
import { DEFAULT_SIZES, IndicatorDataGenerator, sichuanRegions } from './indicators-data';
import { Caller, IndicatorRequest, indicatorRequests } from './indicators-queries';
import { BENCH_ADMIN_TOKEN, BenchApi, call, runBench, table, withApi } from './support';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 1100);
const WARM_UP = 40;
const CONCURRENCY = 4;
const REGULATOR_CITY = '510100';
const WRITE_SAMPLES = Number(process.env.BENCH_WRITE_SAMPLES ?? 100_000);

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

interface Timing {
  request: IndicatorRequest;
  ms: number;
  rows: number;
  /** HTTP status; anything but 200 is counted as an error and left out of the latencies. */
  status: number;
}

/** A 成都市 regulator organisation and its API key, made through the API as a real one would be. */
async function regulator(url: string): Promise<{ organizationId: string; token: string }> {
  const org = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, {
    name: '成都市农业农村局（基准测试）', kind: 'regulator', uscc: completeUscc(`11${REGULATOR_CITY}BENCH006`), regionCode: REGULATOR_CITY,
  })).json as { id: string };
  const key = (await call(url, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'regulator', label: 'bench' })).json as { token: string };
  return { organizationId: org.id, token: key.token };
}

/** Seconds until indicator_deltas is empty (the fold job has caught up), polling every 200 ms. */
async function waitForFold(db: Client): Promise<number> {
  const t = process.hrtime.bigint();
  for (;;) {
    const [{ pending }] = (await db.query('SELECT count(*)::int AS pending FROM indicator_deltas')).rows as { pending: number }[];
    if (pending === 0) return ms(t) / 1000;
    if (ms(t) > 30 * 60_000) throw new Error(`the fold has not drained after 30 minutes (${pending} deltas pending)`);
    await sleep(200);
  }
}

async function timedGet(url: string, request: IndicatorRequest, tokens: Record<Caller, string>): Promise<Timing> {
  const t = process.hrtime.bigint();
  const res = await fetch(`${url}${request.path}`, { headers: { Authorization: `Bearer ${tokens[request.caller]}` } });
  const body = (await res.json()) as { rows?: unknown[]; code?: string; message?: string };
  const timing = { request, ms: ms(t), rows: body.rows?.length ?? 0, status: res.status };
  if (res.status !== 200) console.error(`${res.status} ${request.caller} ${request.path}: ${body.code} ${body.message}`);
  return timing;
}

/** The requests `inFlight` at a time, in order; each one's own latency. */
async function run(url: string, requests: IndicatorRequest[], tokens: Record<Caller, string>, inFlight: number): Promise<Timing[]> {
  const out: Timing[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) out.push(await timedGet(url, requests[next++], tokens));
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return out;
}

function stats(times: number[]): { p50: string; p95: string; p99: string; max: string } {
  if (!times.length) return { p50: '-', p95: '-', p99: '-', max: '-' };
  const s = [...times].sort((a, b) => a - b);
  return { p50: pct(s, 50).toFixed(1), p95: pct(s, 95).toFixed(1), p99: pct(s, 99).toFixed(1), max: s[s.length - 1].toFixed(1) };
}

function latencyTable(sequential: Timing[], concurrent: Timing[]): Record<string, string | number>[] {
  const groups = [...new Set(sequential.map((t) => t.request.groupBy))];
  const line = (label: string, keep: (t: Timing) => boolean) => {
    const seq = sequential.filter((t) => keep(t) && t.status === 200);
    const conc = concurrent.filter((t) => keep(t) && t.status === 200);
    const s = stats(seq.map((t) => t.ms));
    const c = stats(conc.map((t) => t.ms));
    return {
      groupBy: label, queries: seq.length, errors: [...sequential, ...concurrent].filter((t) => keep(t) && t.status !== 200).length,
      'rows (avg)': seq.length ? Math.round(seq.reduce((n, t) => n + t.rows, 0) / seq.length) : '-',
      'p50 ms': s.p50, 'p95 ms': s.p95, 'p99 ms': s.p99, 'max ms': s.max, [`p50 ms ×${CONCURRENCY}`]: c.p50, [`p95 ms ×${CONCURRENCY}`]: c.p95, [`p99 ms ×${CONCURRENCY}`]: c.p99,
    };
  };
  return [
    ...groups.map((g) => line(g, (t) => t.request.groupBy === g)),
    line('all, admin', (t) => t.request.caller === 'admin'),
    line('all, regulator', (t) => t.request.caller === 'regulator'),
    line('all', () => true),
  ];
}

interface ApiRow {
  indicator: string;
  numerator: string;
  denominator: string;
  gi?: { id: string; unit: string };
  region?: { code: string };
  period?: { key: string; from: string; to: string };
}

interface Check {
  label: string;
  caller: Caller;
  indicator: string;
  scope: Scope;
  /** Checked per child region (groupBy=region) or per month (groupBy=month) instead of the window total. */
  split?: 'region' | 'month';
}

/** Indicator, region, category, window; each compared with brute-force SQL. */
const CHECKS: Check[] = [
  { label: '例行监测 county, quarter', caller: 'admin', indicator: 'routine_monitoring', scope: { region: '510131', category: '', from: '2025-04', to: '2025-06' } },
  { label: '食品抽检 city, year, 水果', caller: 'admin', indicator: 'food_sampling', scope: { region: '510100', category: '水果', from: '2025-01', to: '2025-12' } },
  { label: '食品抽检 per 市(州), 2025', caller: 'admin', indicator: 'food_sampling', scope: { region: '510000', category: '', from: '2025-01', to: '2025-12' }, split: 'region' },
  { label: '例行监测 per month, regulator', caller: 'regulator', indicator: 'routine_monitoring', scope: { region: REGULATOR_CITY, category: '', from: '2025-01', to: '2025-12' }, split: 'month' },
  { label: '合格证开具率 province, 3 years', caller: 'admin', indicator: 'certificate_issuance', scope: { region: '510000', category: '', from: '2024-01', to: '2026-12' } },
  { label: '合格证开具率 county, month, 蔬菜', caller: 'regulator', indicator: 'certificate_issuance', scope: { region: '510131', category: '蔬菜', from: '2026-03', to: '2026-03' } },
  { label: '追溯码赋码率 city, month', caller: 'admin', indicator: 'trace_code_coverage', scope: { region: '511800', category: '', from: '2024-07', to: '2024-07' } },
  { label: '扫码率 everything, year', caller: 'admin', indicator: 'label_scan_rate', scope: { region: null, category: '', from: '2025-01', to: '2025-12' } },
  { label: 'GTIN (stock) county, to 2025-06', caller: 'admin', indicator: 'gtin_coverage', scope: { region: '510131', category: '', from: '2025-01', to: '2025-06' } },
  { label: 'USCC (stock) city, to 2026-11', caller: 'regulator', indicator: 'uscc_coverage', scope: { region: REGULATOR_CITY, category: '', from: '2026-01', to: '2026-11' } },
  { label: 'GI claimed, province, 2025', caller: 'admin', indicator: 'gi_claimed', scope: { region: '510000', category: '', from: '2025-01', to: '2025-12' } },
];

function checkPath(c: Check): string {
  const params = new URLSearchParams({ indicator: c.indicator, from: c.scope.from, to: c.scope.to });
  if (c.scope.region) params.set('region', c.scope.region);
  if (c.scope.category) params.set('category', c.scope.category);
  if (c.split) params.set('groupBy', c.split);
  return `/api/v1/indicators?${params.toString()}`;
}

/** Every YYYY-MM from `from` to `to`. */
function months(from: string, to: string): string[] {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5)) - 1;
  const out: string[] = [];
  for (let i = index(from); i <= index(to); i++) out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  return out;
}

/** Brute-force figures keyed like the API rows: '' for a window total, the GI|unit, the child region or the month. */
async function expected(db: Client, c: Check): Promise<Map<string, Figure>> {
  const out = new Map<string, Figure>();
  const put = (key: string, f: Figure) => { if (f.denominator !== 0 || f.numerator !== 0) out.set(key, f); };
  if (c.split === 'month') {
    for (const m of months(c.scope.from, c.scope.to)) for (const f of await bruteForce(db, c.indicator, { ...c.scope, from: m, to: m })) put(m, f);
  } else if (c.split === 'region') {
    const { cities } = sichuanRegions();
    for (const city of cities) for (const f of await bruteForce(db, c.indicator, { ...c.scope, region: city })) put(city, f);
  } else {
    for (const f of await bruteForce(db, c.indicator, c.scope)) put(f.detail ?? '', f);
  }
  return out;
}

function answered(c: Check, rows: ApiRow[]): Map<string, Figure> {
  const out = new Map<string, Figure>();
  for (const r of rows.filter((x) => x.indicator === c.indicator)) {
    const key = c.split === 'month' ? r.period!.from.slice(0, 7) : c.split === 'region' ? r.region!.code : r.gi ? `${r.gi.id}|${r.gi.unit}` : '';
    const f = { numerator: Number(r.numerator), denominator: Number(r.denominator) };
    if (f.denominator !== 0 || f.numerator !== 0) out.set(key, f);
  }
  return out;
}

async function verify(api: BenchApi, db: Client, tokens: Record<Caller, string>): Promise<Record<string, string | number>[]> {
  const out: Record<string, string | number>[] = [];
  for (const c of CHECKS) {
    const got = answered(c, ((await call(api.url, checkPath(c), tokens[c.caller])).json as { rows: ApiRow[] }).rows);
    const want = await expected(db, c);
    const keys = [...new Set([...got.keys(), ...want.keys()])];
    const wrong = keys.filter((k) => Math.abs((got.get(k)?.numerator ?? 0) - (want.get(k)?.numerator ?? 0)) > 1e-6
      || (got.get(k)?.denominator ?? 0) !== (want.get(k)?.denominator ?? 0));
    const sum = (m: Map<string, Figure>, f: 'numerator' | 'denominator') => [...m.values()].reduce((s, x) => s + x[f], 0);
    out.push({
      check: c.label, as: c.caller, rows: keys.length,
      'API n/d': `${+sum(got, 'numerator').toFixed(3)} / ${sum(got, 'denominator')}`,
      'SQL n/d': `${+sum(want, 'numerator').toFixed(3)} / ${sum(want, 'denominator')}`,
      result: wrong.length ? `MISMATCH in ${wrong.length} row(s): ${wrong.slice(0, 3).join(', ')}` : 'ok',
    });
  }
  return out;
}

/**
 * 100,000 samples (2 statements of 50,000) with the triggers on, then off (DISABLE TRIGGER USER keeps
 * the foreign-key triggers), twice, interleaved; the fold drains in between and is timed too.
 */
async function writeCost(db: Client, generator: IndicatorDataGenerator, firstSample: number): Promise<Record<string, string | number>[]> {
  const out: Record<string, string | number>[] = [];
  let next = firstSample;
  for (const round of [1, 2]) {
    for (const triggers of ['on', 'off'] as const) {
      if (triggers === 'off') await db.query('ALTER TABLE samples DISABLE TRIGGER USER');
      const seconds = await generator.appendSamples(next, WRITE_SAMPLES, WRITE_SAMPLES / 2);
      next += WRITE_SAMPLES;
      if (triggers === 'off') await db.query('ALTER TABLE samples ENABLE TRIGGER USER');
      const fold = await waitForFold(db);
      out.push({
        round, triggers, 'statement 1 s': seconds[0].toFixed(2), 'statement 2 s': seconds[1].toFixed(2),
        'total s': seconds.reduce((a, b) => a + b, 0).toFixed(2), 'fold after s': triggers === 'on' ? fold.toFixed(1) : '',
      });
    }
  }
  return out;
}

async function bench(api: BenchApi, db: Client): Promise<void> {
  const regulatorOrg = await regulator(api.url);
  const tokens: Record<Caller, string> = { admin: BENCH_ADMIN_TOKEN, regulator: regulatorOrg.token };
  console.log(`Generating ${DEFAULT_SIZES.samples} samples, ${DEFAULT_SIZES.batches} batches … (triggers on, fold running)`);
  const generator = new IndicatorDataGenerator(db);
  const loadStart = process.hrtime.bigint();
  await generator.generate();
  const loadSeconds = ms(loadStart) / 1000;
  const counts = await generator.counts();
  const [{ deltas }] = (await db.query(`SELECT last_value::int AS deltas FROM indicator_deltas_id_seq`)).rows as { deltas: number }[];
  console.log(`\nLoaded in ${loadSeconds.toFixed(1)} s:\n${table([counts])}\n\n${table(generator.steps.map((s) => ({ ...s, seconds: s.seconds.toFixed(1) })))}`);
  const foldSeconds = await waitForFold(db);
  const [agg] = (await db.query(`SELECT (SELECT count(*) FROM indicator_cells)::int AS cells, (SELECT count(*) FROM indicator_rollup)::int AS rollup`)).rows as { cells: number; rollup: number }[];
  console.log(`\nFold drained ${foldSeconds.toFixed(1)} s after the load (${deltas} delta rows written; ${agg.cells} cells, ${agg.rollup} rollup rows)`);

  const { counties, cities } = sichuanRegions();
  const categories = ((await db.query('SELECT path FROM food_categories ORDER BY path')).rows as { path: string }[]).map((r) => r.path);
  const requests = indicatorRequests({ counties, cities, categories, regulatorCity: REGULATOR_CITY }, QUERIES);
  await run(api.url, requests.slice(0, WARM_UP), tokens, 1); // JIT, plans and caches warm; not measured
  // Straight after the load the aggregates carry the dead rows of ~1M folded deltas and of the
  // rollup's upserts; every read scans indicator_deltas (it has no index). Autovacuum clears that in
  // production; where it is off (this machine's PostgreSQL), the bench vacuums itself after one pass.
  const [{ autovacuum }] = (await db.query('SHOW autovacuum')).rows as { autovacuum: string }[];
  const asLoaded = await run(api.url, requests, tokens, 1);
  const vacuumStart = process.hrtime.bigint();
  await db.query('VACUUM (ANALYZE) indicator_deltas, indicator_cells, indicator_rollup');
  const vacuumSeconds = ms(vacuumStart) / 1000;
  const sizes = (await db.query(`SELECT relname AS table, n_live_tup AS "live rows", pg_size_pretty(pg_relation_size(relid)) AS size
    FROM pg_stat_user_tables WHERE relname LIKE 'indicator%' ORDER BY relname`)).rows as Record<string, string | number>[];
  const asLoadedStats = stats(asLoaded.filter((t) => t.status === 200).map((t) => t.ms));
  console.log(`\nStraight after the load (autovacuum ${autovacuum}): ${QUERIES} queries sequentially p50 ${asLoadedStats.p50} ms, p95 ${asLoadedStats.p95} ms, `
    + `p99 ${asLoadedStats.p99} ms, max ${asLoadedStats.max} ms. VACUUM (ANALYZE) of the three aggregate tables: ${vacuumSeconds.toFixed(1)} s; then:\n${table(sizes)}`);
  // Other work on the machine shows up in the tails: the load average says how much there was.
  const loadBefore = loadavg()[0];
  const sequential = await run(api.url, requests, tokens, 1);
  const concurrent = await run(api.url, requests, tokens, CONCURRENCY);
  const load = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, on ${cpus().length} cores`;
  console.log(`\nIndicator queries over HTTP (${QUERIES} random queries, sequential; then ${CONCURRENCY} in flight; ${load}):\n${table(latencyTable(sequential, concurrent))}`);
  const slowest = [...sequential].sort((a, b) => b.ms - a.ms).slice(0, 8);
  console.log(`\nSlowest sequential queries:\n${table(slowest.map((t) => ({ ms: t.ms.toFixed(1), as: t.request.caller, rows: t.rows, query: decodeURIComponent(t.request.path) })))}`);

  const checks = await verify(api, db, tokens);
  console.log(`\nAnswers vs brute-force SQL over the source tables:\n${table(checks)}`);
  const dashboard = await dashboardRenderTimes(api.url, db, regulatorOrg.organizationId);
  console.log(`\nDashboard pages as the 成都市 regulator (console session), server render + transfer:\n${table(dashboard.rows)}`);
  const writes = await writeCost(db, generator, DEFAULT_SIZES.samples + 1);
  console.log(`\nWrite cost: ${WRITE_SAMPLES} samples in 2 statements, triggers on vs off:\n${table(writes)}`);

  const all = stats(sequential.filter((t) => t.status === 200).map((t) => t.ms));
  const errors = [...asLoaded, ...sequential, ...concurrent].filter((t) => t.status !== 200).length;
  const worst = latencyTable(sequential, concurrent).slice(0, -3).sort((a, b) => Number(b['p95 ms']) - Number(a['p95 ms']))[0];
  const meanTotal = (on: string) => writes.filter((w) => w.triggers === on).reduce((s, w) => s + Number(w['total s']), 0) / 2;
  console.log(`\n${table([
    { figure: 'load (all source rows, triggers on)', value: `${loadSeconds.toFixed(0)} s`, target: '' },
    { figure: 'fold drained after the load', value: `${foldSeconds.toFixed(1)} s`, target: '' },
    { figure: `indicator query p95, straight after the load (autovacuum ${autovacuum})`, value: `${asLoadedStats.p95} ms`, target: '≤ 50 ms' },
    { figure: `indicator query p95, all (${QUERIES}), after VACUUM (${load})`, value: `${all.p95} ms`, target: '≤ 50 ms' },
    { figure: `indicator query p95, all, ${CONCURRENCY} in flight, after VACUUM`, value: `${stats(concurrent.filter((t) => t.status === 200).map((t) => t.ms)).p95} ms`, target: '' },
    { figure: `indicator query p95, worst groupBy (${worst.groupBy})`, value: `${worst['p95 ms']} ms`, target: '≤ 50 ms' },
    { figure: 'indicator queries not answering 200', value: String(errors), target: '0' },
    { figure: 'answers checked against brute-force SQL', value: `${checks.filter((c) => c.result === 'ok').length}/${checks.length} ok`, target: 'all' },
    dashboard.overviewMs.length
      ? { figure: '/app/dashboard render, 5 filters', value: `p50 ${pct(dashboard.overviewMs, 50).toFixed(0)} ms, p95 ${pct(dashboard.overviewMs, 95).toFixed(0)} ms`, target: '≤ 300 ms' }
      : { figure: '/app/dashboard render', value: String(dashboard.rows[0].note), target: '≤ 300 ms' },
    { figure: `insert ${WRITE_SAMPLES} samples, triggers on / off`, value: `${meanTotal('on').toFixed(2)} s / ${meanTotal('off').toFixed(2)} s`, target: '' },
  ])}`);
  if (errors) console.error(`\n${errors} indicator queries did not answer 200 (see above); they are left out of the latencies.`);
  if (errors || checks.some((c) => c.result !== 'ok')) process.exitCode = 1;
}

runBench(() => withApi({ PUBLIC_RATE_LIMIT_MAX: '10000000' }, async (api) => {
  const db = new Client({ connectionString: api.databaseUrl });
  db.on('error', () => undefined); // the scratch database is dropped with FORCE at the end
  await db.connect();
  try {
    await bench(api, db);
  } finally {
    await db.end().catch(() => undefined);
  }
}));
