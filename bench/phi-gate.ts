/**
 * The safe-interval gate's cost on batch creation with 1,000,000 farm records in the database
 * (issue 16: target ≤ 5 ms added at p95). 10,000 sites × 100 applications each (dated over the past
 * year, every interval elapsed, so batches pass and the gate writes its record), made with
 * set-based SQL; then POST /api/v1/batches on a site without records and on sites with 100
 * (and on one with 1,000) records, interleaved, sequential.
 *   npm run build && npx tsx bench/phi-gate.ts     (needs PostgreSQL; BENCH_SITES, BENCH_PER_SITE, BENCH_BATCHES)
 *
 * Before/after on the same database: build the other version's code into a directory under this
 * checkout (so it finds node_modules), e.g.
 *   mkdir .bench-before && git archive <commit> src libs .swcrc | tar -x -C .bench-before
 *   (cd .bench-before && npx swc src libs -d dist --copy-files --quiet)
 * and run with BENCH_BEFORE_DIST=.bench-before/dist: a second API process of that build serves the
 * same database, every batch is created on both in turn (order alternating), and the table shows
 * both and the difference; CPU ms per batch is the API process's own (/proc, both processes).
 */
import { Client } from 'pg';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_ADMIN_TOKEN, benchApiEnv, call, cpuTicks, runBench, startListening, stopProcess, table, ticksSince, waitForHealthy, withApi } from './support';

const SITES = Number(process.env.BENCH_SITES ?? 10_000);
const PER_SITE = Number(process.env.BENCH_PER_SITE ?? 100);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 300);
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

function stats(samples: number[]): { mean: string; p50: string; p95: string; p99: string } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  return { mean: (samples.reduce((s, v) => s + v, 0) / samples.length).toFixed(2), p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

runBench(() => withApi({}, async ({ url, databaseUrl, process: api }) => {
  const apiPid = api.pid!;
  const org = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '蒲江县绿源猕猴桃专业合作社', kind: 'cooperative', uscc: '91510114730209375B', regionCode: '510131' })).json;
  const token = (await call(url, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })).json.token;
  const product = (await call(url, '/api/v1/products', token, { name: '蒲江猕猴桃（红阳）', category: KIWI })).json;
  const input = (await call(url, '/api/v1/inputs', BENCH_ADMIN_TOKEN, {
    kind: 'pesticide', name: '2.5%溴氰菊酯乳油', registrationNumber: 'PD20080005', activeIngredients: [{ analyte: '溴氰菊酯' }],
    cropRules: [{ category: '水果', intervalDays: 14 }, { category: KIWI, intervalDays: 21, maxDose: { value: '40', unit: 'mL/亩' } }], verified: false, source: 'bench',
  })).json;
  const clean = (await call(url, '/api/v1/sites', token, { name: '无记录基地', regionCode: '510131' })).json;
  const heavy = (await call(url, '/api/v1/sites', token, { name: '千条记录基地', regionCode: '510131' })).json;

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let t = process.hrtime.bigint();
  await db.query(`INSERT INTO sites (organization_id, name, region_code) SELECT $1, '基地' || g, '510131' FROM generate_series(1, $2) g`, [org.id, SITES]);
  const chunk = Math.max(1, Math.floor(50_000 / PER_SITE));
  const insert = (where: string, params: unknown[], perSite: number) => db.query(
    `INSERT INTO input_applications (organization_id, site_id, region_code, input_id, input_kind, crop_category, applied_at, applied_on,
       dose_value, dose_unit, area_value, area_unit, target, operator_name, low_risk, organic)
     SELECT s.organization_id, s.id, s.region_code, $1, 'pesticide', $2, at, (at AT TIME ZONE 'Asia/Shanghai')::date, 150, 'mL', 5, '亩', '蚜虫', '基准', true, false
     FROM (SELECT * FROM sites WHERE ${where}) s CROSS JOIN generate_series(1, ${perSite}) g
     CROSS JOIN LATERAL (SELECT now() - make_interval(days => 30 + (g * 7919 % 330))) d(at)`, [input.id, KIWI, ...params]);
  const sites = (await db.query(`SELECT id FROM sites WHERE organization_id = $1 AND name LIKE '基地%' ORDER BY id`, [org.id])).rows as { id: string }[];
  for (let i = 0; i < sites.length; i += chunk) {
    await insert('id = ANY($3::uuid[])', [sites.slice(i, i + chunk).map((s) => s.id)], PER_SITE);
  }
  await insert('id = $3', [heavy.id], 1000);
  const loadMs = ms(t);
  await db.query('VACUUM ANALYZE input_applications');
  const count = Number((await db.query('SELECT count(*) FROM input_applications')).rows[0].count);
  console.log(`\n${count.toLocaleString('en')} applications on ${(SITES + 1).toLocaleString('en')} sites loaded in ${(loadMs / 1000).toFixed(1)} s (indicator triggers on)\n`);

  const body = (siteId: string) => ({ productId: product.id, siteId, quantity: { value: '100', unit: 'kg' }, producedOn: today(), harvestedOn: today() });
  const servers: { name: string; url: string; pid: number }[] = [{ name: process.env.BENCH_BEFORE_DIST ? 'after' : 'api', url, pid: apiPid }];
  const before = process.env.BENCH_BEFORE_DIST
    ? await startListening(process.execPath, [join(process.env.BENCH_BEFORE_DIST, 'src/main.js')], benchApiEnv(databaseUrl))
    : null;
  if (before) {
    await waitForHealthy(`${before.url}/health`);
    servers.unshift({ name: 'before', url: before.url, pid: before.process.pid! });
  }
  try {
    for (const server of servers) for (let i = 0; i < 20; i++) await call(server.url, '/api/v1/batches', token, body(i % 3 === 0 ? clean.id : i % 3 === 1 ? sites[i].id : heavy.id)); // warm-up
    type Kind = 'none' | 'hundred' | 'thousand';
    const samples = new Map<string, number[]>();
    const cpu = new Map<string, number>();
    const pgCpu = new Map<string, number>();
    // The database's own work per batch: the CPU of this database's backends (both APIs' pools; the
    // batches are sequential, so what they use while a batch is created is that batch's).
    const backends = ((await db.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows as { pid: number }[]).map((r) => r.pid);
    const loads: string[] = [readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')];
    for (let i = 0; i < BATCHES; i++) {
      const order: [Kind, string][] = [['none', clean.id], ['hundred', sites[(i * 37 + 100) % sites.length].id], ['thousand', heavy.id]];
      const runs = servers.flatMap((server) => order.map(([kind, siteId]) => ({ server, kind, siteId })));
      if (i % 2) runs.reverse();
      for (const { server, kind, siteId } of runs) {
        const key = `${server.name}/${kind}`;
        const ticks = cpuTicks([server.pid]).get(server.pid) ?? 0;
        const pgTicks = cpuTicks(backends);
        t = process.hrtime.bigint();
        await call(server.url, '/api/v1/batches', token, body(siteId));
        samples.set(key, [...(samples.get(key) ?? []), ms(t)]);
        cpu.set(key, (cpu.get(key) ?? 0) + (cpuTicks([server.pid]).get(server.pid) ?? 0) - ticks);
        pgCpu.set(key, (pgCpu.get(key) ?? 0) + ticksSince(pgTicks));
      }
      if (i === Math.floor(BATCHES / 2)) loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '));
    }
    loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '));
    console.log(`POST /api/v1/batches, ${BATCHES} each, sequential, interleaved (ms per batch, HTTP round trip included); load average ${loads.join(' → ')}\n`);
    const rows: Record<string, string>[] = [];
    const diff = (x: ReturnType<typeof stats>, a: ReturnType<typeof stats>) => ({
      mean: (Number(x.mean) - Number(a.mean)).toFixed(2), p50: (Number(x.p50) - Number(a.p50)).toFixed(2),
      p95: (Number(x.p95) - Number(a.p95)).toFixed(2), p99: (Number(x.p99) - Number(a.p99)).toFixed(2),
    });
    for (const server of servers) {
      const at = (kind: Kind) => stats(samples.get(`${server.name}/${kind}`)!);
      const cpuMs = (kind: Kind) => ((cpu.get(`${server.name}/${kind}`)! * 10) / BATCHES).toFixed(2);
      const pgMs = (kind: Kind) => ((pgCpu.get(`${server.name}/${kind}`)! * 10) / BATCHES).toFixed(2);
      const [a, b, c] = [at('none'), at('hundred'), at('thousand')];
      rows.push(
        { api: server.name, site: 'no records (gate: one index probe, nothing found)', ...a, 'API CPU ms': cpuMs('none'), 'PG CPU ms': pgMs('none') },
        { api: server.name, site: `${PER_SITE} records on the crop (gate reads them, passes, writes its record)`, ...b, 'API CPU ms': cpuMs('hundred'), 'PG CPU ms': pgMs('hundred') },
        { api: server.name, site: '1,000 records on the crop', ...c, 'API CPU ms': cpuMs('thousand'), 'PG CPU ms': pgMs('thousand') },
        {
          api: server.name, site: `added by ${PER_SITE} records`, ...diff(b, a),
          'API CPU ms': (Number(cpuMs('hundred')) - Number(cpuMs('none'))).toFixed(2), 'PG CPU ms': (Number(pgMs('hundred')) - Number(pgMs('none'))).toFixed(2),
        },
        {
          api: server.name, site: 'added by 1,000 records', ...diff(c, a),
          'API CPU ms': (Number(cpuMs('thousand')) - Number(cpuMs('none'))).toFixed(2), 'PG CPU ms': (Number(pgMs('thousand')) - Number(pgMs('none'))).toFixed(2),
        },
      );
    }
    console.log(table(rows));
  } finally {
    if (before) await stopProcess(before.process);
  }

  // The gate's read alone, in the database (what the index gives).
  const explain = async (siteId: string) => {
    const rows = (await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT id, input_id, crop_category, applied_on FROM input_applications
      WHERE site_id = $1 AND applied_on BETWEEN $2::date - 365 AND $2::date AND status = 'recorded'`, [siteId, today()])).rows[0]['QUERY PLAN'][0];
    return { planning: rows['Planning Time'] as number, execution: rows['Execution Time'] as number, rows: rows.Plan['Actual Rows'] as number };
  };
  const e1 = await explain(sites[5].id);
  const e2 = await explain(heavy.id);
  console.log(`\ngate read (EXPLAIN ANALYZE): ${e1.rows} rows in ${e1.execution.toFixed(2)} ms (+${e1.planning.toFixed(2)} ms planning); ${e2.rows} rows in ${e2.execution.toFixed(2)} ms (+${e2.planning.toFixed(2)} ms planning)`);
  await db.end();
}));
