/**
 * The FSMA 204 sortable spreadsheet (issue 15: 10,000 lots in ≤ 2 s). BENCH_LOTS lots of one product
 * (harvest, cooling and packing data) each shipped once, loaded with set-based SQL; then
 * GET /api/v1/fsma204/records for the whole range as CSV, XLSX and JSON, BENCH_RUNS times each.
 *   npm run build && npx tsx bench/fsma204.ts     (needs PostgreSQL; BENCH_LOTS, BENCH_RUNS)
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import { BENCH_ADMIN_TOKEN, call, runBench, table, withApi } from './support';

const LOTS = Number(process.env.BENCH_LOTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GTIN = '06901234567892';
const FORMATS = (process.env.BENCH_FORMATS ?? 'csv,xlsx,json').split(',');

/** CPU seconds (user + system) the API process has used: a figure the machine's other load does not inflate. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

runBench(() => withApi({}, async ({ url, databaseUrl, process: api }) => {
  const org = async (body: Record<string, unknown>) => {
    const o = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, body)).json;
    return { id: o.id as string, token: (await call(url, `/api/v1/organizations/${o.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })).json.token as string };
  };
  const farm = await org({ name: '蒲江县猕猴桃专业合作社', kind: 'cooperative', uscc: completeUscc('93510131MA6C1234'), regionCode: '510131', address: '蒲江县鹤山街道 8 号' });
  const market = await org({ name: '成都农产品中心批发市场', kind: 'cooperative', uscc: completeUscc('91510106MA6C5678'), regionCode: '510106', address: '成都市金牛区天回镇' });
  const product = (await call(url, '/api/v1/products', farm.token, { name: '蒲江猕猴桃', category: '水果', gtin: GTIN })).json;
  const site = (await call(url, '/api/v1/sites', farm.token, { name: '西来镇果园', regionCode: '510131', address: '西来镇铁牛村' })).json;
  const first = (await call(url, '/api/v1/batches', farm.token, { productId: product.id, siteId: site.id, quantity: { value: '1200', unit: 'kg' }, producedOn: '2026-10-08' })).json;
  const shipment = (await call(url, '/api/v1/shipments', farm.token, { batchId: first.id, toOrganizationId: market.id, quantity: { value: '1', unit: 'kg' } })).json;

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const load = process.hrtime.bigint();
  await db.query(
    `INSERT INTO batches (organization_id, product_id, site_id, region_code, lot_code, quantity_value, quantity_unit, produced_on, harvested_on,
       variety, growing_area, harvester_name, harvester_phone, cooled_at, cooling_site_id, tlc_source_site_id)
     SELECT $1, $2, $3, '510131', 'F' || lpad(i::text, 8, '0'), 500, 'kg', date '2026-10-01' + (i % 28), date '2026-09-30' + (i % 28),
       '红阳', '铁牛村 ' || (i % 40) || ' 号地块', '西来镇采收服务队', '028-88001234', timestamptz '2026-10-01 02:00+00' + (i % 28) * interval '1 day', $3, $3
     FROM generate_series(1, $4) AS i`, [farm.id, product.id, site.id, LOTS]);
  const [{ id: eventId }] = (await db.query('SELECT ship_event_id AS id FROM shipments WHERE id = $1', [shipment.id])).rows;
  await db.query(
    `INSERT INTO shipments (from_organization_id, from_batch_id, to_organization_id, quantity_value, quantity_unit, reference_document, reference_document_type, shipped_at, ship_event_id)
     SELECT $1, b.id, $2, 200, 'kg', 'BOL-' || b.lot_code, 'bill_of_lading', b.produced_on + time '10:00', $3 FROM batches b WHERE b.product_id = $4 AND b.lot_code LIKE 'F%'`,
    [farm.id, market.id, eventId, product.id]);
  await db.query('ANALYZE batches; ANALYZE shipments');
  await db.end();
  console.log(`loaded ${LOTS} lots and ${LOTS} shipments in ${(Number(process.hrtime.bigint() - load) / 1e9).toFixed(1)} s`);

  const rows: Record<string, string | number>[] = [];
  for (const format of FORMATS) {
    const times: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const c = cpuSeconds(api.pid!);
      const t = process.hrtime.bigint();
      const res = await fetch(`${url}/api/v1/fsma204/records?gtin=${GTIN}&from=2026-09-01&to=2026-11-30&format=${format}`, { headers: { Authorization: `Bearer ${farm.token}` } });
      bytes = (await res.arrayBuffer()).byteLength;
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      cpu.push((cpuSeconds(api.pid!) - c) * 1000);
      if (res.status !== 200) throw new Error(`${format}: ${res.status}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const cpuSorted = [...cpu].sort((a, b) => a - b);
    rows.push({ format, runs: RUNS, MB: (bytes / 1048576).toFixed(1), 'first ms': times[0].toFixed(0), 'median ms': sorted[Math.floor(sorted.length / 2)].toFixed(0), 'max ms': sorted.at(-1)!.toFixed(0),
      'API CPU ms (median)': cpuSorted[Math.floor(cpuSorted.length / 2)].toFixed(0) });
  }
  console.log(`FSMA 204 spreadsheet, ${LOTS + 1} lots (harvesting, cooling, initial packing and shipping rows each), whole range:`);
  console.log(table(rows));
  console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
}));
