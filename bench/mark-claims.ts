/**
 * Quality-mark figures: importing 10,000 mark records from CSV (first import, idempotent re-import,
 * export), and what claiming marks adds to batch creation with those 10,000 records in the registry
 * (batches created without marks, with one 绿色食品 claim, and with an organic + a brand claim,
 * interleaved).
 * Each CSV step also prints the CPU time it took in the API process and in its PostgreSQL backends
 * (from /proc), and rows per CPU-second: on a shared, loaded machine the wall figure mostly
 * measures the queue for a core. The load average is printed with each table.
 *   npm run build && npx tsx bench/mark-claims.ts   (needs PostgreSQL; BENCH_MARKS, BENCH_BATCHES change the sizes)
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import { BENCH_ADMIN_TOKEN, call, cpuTicks, runBench, table, ticksSince, withApi } from './support';

const MARKS = Number(process.env.BENCH_MARKS ?? 10_000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 300);
const SKIP_BATCHES = process.env.BENCH_SKIP_BATCHES === '1';
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

async function postCsv(base: string, path: string, body: string): Promise<any> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body });
  const json = await res.json();
  if (res.status >= 400) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

function stats(samples: number[]): { mean: string; p50: string; p95: string } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  return { mean: (samples.reduce((s, v) => s + v, 0) / samples.length).toFixed(2), p50: at(0.5), p95: at(0.95) };
}

const holderUscc = (i: number) => completeUscc(`93510131MA${Array.from({ length: 6 }, (_, k) => CHARS[Math.floor(i / CHARS.length ** (5 - k)) % CHARS.length]).join('')}`);

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

runBench(() => withApi({}, async ({ url, databaseUrl, process: api }) => {
  // The API's PostgreSQL backends (its pool, kept open): their CPU is the import's database work.
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const backends = async () => (await db.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map((r) => Number(r.pid));
  const measure = async <T>(step: (r: T) => string, run: () => Promise<T>): Promise<Record<string, string | number>> => {
    const before = { api: cpuTicks([api.pid!]), pg: cpuTicks(await backends()) };
    const t0 = process.hrtime.bigint();
    const result = await run();
    const elapsed = ms(t0);
    // Backends opened during the step count from zero.
    const pgNow = cpuTicks(await backends());
    const pgTicks = [...pgNow].reduce((sum, [pid, now]) => sum + now - (before.pg.get(pid) ?? 0), 0);
    const apiMs = ticksSince(before.api) * 10;
    const pgMs = pgTicks * 10;
    return {
      step: step(result), ms: Math.round(elapsed), 'rows/s': Math.round(MARKS / (elapsed / 1000)), 'api cpu ms': apiMs, 'pg cpu ms': pgMs,
      'rows/cpu-s': apiMs + pgMs > 0 ? Math.round(MARKS / ((apiMs + pgMs) / 1000)) : '-', load: loadavg(),
    };
  };
  const header = 'scheme,number,holder_uscc,holder_name,product_names,category_paths,area_codes,valid_from,valid_to,quota_value,quota_unit';
  const lines = [header];
  for (let i = 0; i < MARKS; i++) {
    const serial = String(i).padStart(5, '0');
    lines.push(i % 2
      ? `green_food,LB-15-25015${serial}A,${holderUscc(i)},合作社${i},猕猴桃;柑橘,水果,510131,2025-03-01,2028-02-29,500,t`
      : `organic,124OP25${serial},${holderUscc(i)},合作社${i},猕猴桃,,,2026-01-01,2026-12-31,,`);
  }
  const csv = lines.join('\n');
  const rows: Record<string, string | number>[] = [];
  rows.push(await measure((r: any) => `dry run: read and check ${r.created} rows, write nothing`, () => postCsv(url, '/api/v1/marks/records.csv?dryRun=true', csv)));
  rows.push(await measure((r: any) => `import ${r.created} marks (${(csv.length / 1e6).toFixed(2)} MB CSV)`, () => postCsv(url, '/api/v1/marks/records.csv', csv)));
  rows.push(await measure((r: any) => `re-import the same file (${r.unchanged} unchanged)`, () => postCsv(url, '/api/v1/marks/records.csv', csv)));
  rows.push(await measure((r: string) => `export (${r.split('\n').length - 2} rows)`, () => fetch(`${url}/api/v1/marks/records.csv`).then((r) => r.text())));
  console.log(`\nMark records CSV, PostgreSQL, one API process (cpu: ticks of 10 ms from /proc; load = /proc/loadavg after the step)\n`);
  console.log(table(rows));

  if (SKIP_BATCHES) return db.end();
  // A cooperative holding a 绿色食品 and an organic certificate, licensed for a regional brand.
  const uscc = completeUscc('93510131MB000001');
  const org = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '蒲江县绿源猕猴桃专业合作社', kind: 'cooperative', uscc, regionCode: '510131' })).json;
  const token = (await call(url, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })).json.token;
  const product = (await call(url, '/api/v1/products', token, { name: '蒲江猕猴桃（红阳）', category: '水果' })).json;
  const site = (await call(url, '/api/v1/sites', token, { name: '西来镇猕猴桃基地', regionCode: '510131' })).json;
  const mark = async (body: Record<string, unknown>) => {
    const res = await call(url, '/api/v1/marks', BENCH_ADMIN_TOKEN, { holderUscc: uscc, productIds: [product.id], siteIds: [site.id], ...body });
    if (res.status !== 201) throw new Error(JSON.stringify(res.json));
    return res.json.id as string;
  };
  const green = await mark({ scheme: 'green_food', number: 'LB-15-2601519999A', validFrom: '2025-03-01', validTo: '2028-02-29', yearlyQuota: { value: '100000', unit: 't' } });
  const organic = await mark({ scheme: 'organic', number: '124OP2699999', validFrom: '2026-01-01', validTo: '2026-12-31' });
  const brand = await mark({ scheme: 'regional_brand', number: '天府粮仓-BENCH', holderUscc: completeUscc('12510000MB000002'), validFrom: '2025-01-01' });
  await call(url, `/api/v1/marks/${brand}/licences`, BENCH_ADMIN_TOKEN, { organizationId: org.id, validFrom: '2026-01-01', yearlyQuota: { value: '100000', unit: 't' } });
  const body = { productId: product.id, siteId: site.id, quantity: { value: '100', unit: 'kg' }, producedOn: '2026-10-08' };
  const variants = [
    { name: 'without marks', body },
    { name: 'marks: 绿色食品 (quota)', body: { ...body, marks: [{ markId: green }] } },
    { name: 'marks: 有机 + brand licence (conversion check, two quotas)', body: { ...body, marks: [{ markId: organic }, { markId: brand }] } },
  ];
  for (let i = 0; i < 30; i++) {
    const res = await call(url, '/api/v1/batches', token, variants[i % 3].body); // warm-up
    if (res.status !== 201) throw new Error(JSON.stringify(res.json));
  }
  const samples = variants.map(() => [] as number[]);
  // CPU (API process + its PostgreSQL backends) per variant: ticks of 10 ms, summed over all its calls.
  const cpuTicksOf = variants.map(() => 0);
  const pids = [api.pid!, ...await backends()];
  for (let i = 0; i < BATCHES; i++) {
    for (let k = 0; k < variants.length; k++) {
      const v = (i + k) % variants.length; // rotate the order
      const before = cpuTicks(pids);
      const t = process.hrtime.bigint();
      await call(url, '/api/v1/batches', token, variants[v].body);
      samples[v].push(ms(t));
      cpuTicksOf[v] += ticksSince(before);
    }
  }
  await db.end();
  const s = samples.map((x, k) => ({ ...stats(x), 'cpu ms': ((cpuTicksOf[k] * 10) / x.length).toFixed(2) }));
  const diff = (k: number) => ({
    variant: `added by "${variants[k].name}"`,
    mean: (Number(s[k].mean) - Number(s[0].mean)).toFixed(2), p50: (Number(s[k].p50) - Number(s[0].p50)).toFixed(2), p95: (Number(s[k].p95) - Number(s[0].p95)).toFixed(2),
    'cpu ms': (Number(s[k]['cpu ms']) - Number(s[0]['cpu ms'])).toFixed(2),
  });
  console.log(`\nPOST /api/v1/batches with ${MARKS + 3} mark records, ${BATCHES} each, sequential, interleaved (ms per batch, HTTP round trip included; cpu ms = API + its PostgreSQL backends per batch; load ${loadavg()})\n`);
  console.log(table([...variants.map((v, k) => ({ variant: v.name, ...s[k] })), diff(1), diff(2)]));
}));
