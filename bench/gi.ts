/**
 * GI figures: importing 10,000 authorisations from CSV (first import and an idempotent re-import),
 * and what a GI claim adds to batch creation (batches created with and without `giId`, interleaved).
 *   npm run build && npx tsx bench/gi.ts      (needs PostgreSQL; BENCH_AUTHS, BENCH_BATCHES to change the sizes)
 */
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import { BENCH_ADMIN_TOKEN, call, runBench, table, withApi } from './support';

const AUTHS = Number(process.env.BENCH_AUTHS ?? 10_000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 300);
const GIS = 5;
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

async function postCsv(base: string, path: string, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body });
  const json = await res.json();
  if (res.status >= 400) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return { status: res.status, json };
}

function stats(samples: number[]): { mean: string; p50: string; p95: string } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  return { mean: (samples.reduce((s, v) => s + v, 0) / samples.length).toFixed(2), p50: at(0.5), p95: at(0.95) };
}

runBench(() => withApi({}, async ({ url, databaseUrl }) => {
  // Organisations straight into the database (creating 2,000 over HTTP is not what is measured).
  const orgCount = AUTHS / GIS;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const orgs: { id: string; uscc: string }[] = [];
  for (let i = 0; i < orgCount; i += 500) {
    const values: string[] = [];
    const params: string[] = [];
    for (let j = i; j < Math.min(orgCount, i + 500); j++) {
      const body = `MA${Array.from({ length: 6 }, (_, k) => CHARS[Math.floor(j / CHARS.length ** (5 - k)) % CHARS.length]).join('')}`;
      params.push(`合作社${j}`, completeUscc(`93510131${body}`.slice(0, 16)));
      values.push(`($${params.length - 1}, 'cooperative', $${params.length}, 'valid', '510131')`);
    }
    const rows = await db.query(`INSERT INTO organizations (name, kind, uscc, uscc_status, region_code) VALUES ${values.join(', ')}
      ON CONFLICT DO NOTHING RETURNING id, uscc`, params);
    orgs.push(...rows.rows as { id: string; uscc: string }[]);
  }
  await db.end();

  const holder = completeUscc('5151013100000000');
  const numbers = Array.from({ length: GIS }, (_, i) => `AGI9${String(i).padStart(4, '0')}`);
  const records = ['regime,registration_number,product_name,holder_uscc,area_codes',
    ...numbers.map((n, i) => `agi,${n},基准产品${i},${holder},510100`)].join('\n');
  await postCsv(url, '/api/v1/gi/records.csv', records);

  const lines = ['regime,registration_number,organization,valid_from,valid_to,quota_value,quota_unit'];
  orgs.forEach((o, i) => numbers.forEach((n, k) => {
    lines.push(`agi,${n},${(i + k) % 2 ? o.uscc : o.id},2026-01-01,2028-12-31,${k % 2 ? '500' : ''},${k % 2 ? 't' : ''}`);
  }));
  const csv = lines.join('\n');
  const rows: Record<string, string | number>[] = [];
  let t = process.hrtime.bigint();
  const first = await postCsv(url, '/api/v1/gi/authorisations.csv', csv);
  let elapsed = ms(t);
  rows.push({ step: `import ${first.json.created} authorisations (${(csv.length / 1e6).toFixed(2)} MB CSV)`, ms: Math.round(elapsed), 'rows/s': Math.round((lines.length - 1) / (elapsed / 1000)) });
  t = process.hrtime.bigint();
  const again = await postCsv(url, '/api/v1/gi/authorisations.csv', csv);
  elapsed = ms(t);
  rows.push({ step: `re-import the same file (${again.json.unchanged} unchanged)`, ms: Math.round(elapsed), 'rows/s': Math.round((lines.length - 1) / (elapsed / 1000)) });
  t = process.hrtime.bigint();
  const exported = await fetch(`${url}/api/v1/gi/authorisations.csv`, { headers: { Authorization: `Bearer ${BENCH_ADMIN_TOKEN}` } }).then((r) => r.text());
  elapsed = ms(t);
  rows.push({ step: `export (${exported.split('\n').length - 2} rows)`, ms: Math.round(elapsed), 'rows/s': Math.round((lines.length - 1) / (elapsed / 1000)) });
  console.log(`\nGI authorisations CSV, PostgreSQL, one API process\n`);
  console.log(table(rows));

  // Batch creation with and without a claim, interleaved so both see the same database state.
  const org = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '蒲江县绿源猕猴桃专业合作社', kind: 'cooperative', uscc: '91510114730209375B', regionCode: '510131' })).json;
  const token = (await call(url, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })).json.token;
  const product = (await call(url, '/api/v1/products', token, { name: '蒲江猕猴桃（红阳）', category: '水果' })).json;
  const site = (await call(url, '/api/v1/sites', token, { name: '西来镇猕猴桃基地', regionCode: '510131', location: { lat: 30.2358, lng: 103.4661 } })).json;
  const gis = (await call(url, `/api/v1/gi?registrationNumber=${numbers[1]}`, token)).json.items as { id: string }[];
  await call(url, `/api/v1/gi/${gis[0].id}/authorisations`, BENCH_ADMIN_TOKEN, { organizationId: org.id, validFrom: '2026-01-01', yearlyQuota: { value: '100000', unit: 't' } });
  const body = { productId: product.id, siteId: site.id, quantity: { value: '100', unit: 'kg' }, producedOn: '2026-10-08' };
  for (let i = 0; i < 20; i++) await call(url, '/api/v1/batches', token, i % 2 ? body : { ...body, giId: gis[0].id }); // warm-up
  const plain: number[] = [];
  const claimed: number[] = [];
  for (let i = 0; i < BATCHES; i++) {
    for (const withGi of i % 2 ? [false, true] : [true, false]) {
      t = process.hrtime.bigint();
      await call(url, '/api/v1/batches', token, withGi ? { ...body, giId: gis[0].id } : body);
      (withGi ? claimed : plain).push(ms(t));
    }
  }
  const a = stats(plain);
  const b = stats(claimed);
  console.log(`\nPOST /api/v1/batches, ${BATCHES} each, sequential, interleaved (ms per batch, HTTP round trip included)\n`);
  console.log(table([
    { variant: 'without giId', ...a },
    { variant: 'with giId (claim checked + recorded, authorisation row locked)', ...b },
    { variant: 'difference', mean: (Number(b.mean) - Number(a.mean)).toFixed(2), p50: (Number(b.p50) - Number(a.p50)).toFixed(2), p95: (Number(b.p95) - Number(a.p95)).toFixed(2) },
  ]));
}));
