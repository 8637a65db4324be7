/**
 * Trace, recall and EPCIS capture on a large synthetic supply chain.
 *   npm run build && npx tsx bench/trace.ts     (needs PostgreSQL; BENCH_LOTS / BENCH_EVENTS to change the size)
 *
 * The data are made with SQL generate_series straight in the scratch database (not through the API):
 * - BENCH_LOTS lots (default 1,000,000). Most sit in chains of 11 generations (depth 10): each lot
 *   came from the one before it, and every 5th lot also from the previous generation of the
 *   neighbouring chain (mixing), so graphs branch and merge. The last 10,001 lots form one tree whose
 *   root reaches 10,000 downstream lots (10 → 100 → 1,000 → 8,890).
 * - BENCH_EVENTS EPCIS events (default 3,000,000): one per lot link, a commissioning event per lot,
 *   and inspection events for the rest, with lot URIs, GIN-indexed arrays and small JSON-LD documents.
 * Then, over HTTP against the built API: trace p50/p95/p99 on random lots (both directions, depth 10),
 * SimpleEventQuery as an organisation (newest page, one lot's events), a mock recall and its
 * HTML/CSV/XLSX reports for the 10,000-lot tree, the live recall of it, and an EPCIS capture of
 * 10,000 events (hash IDs computed) from POST to finished job.
 */
import { Client } from 'pg';
import { BENCH_ADMIN_TOKEN, call, runBench, table, withApi } from './support';

const LOTS = Number(process.env.BENCH_LOTS ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3_000_000);
const TREE = 10_001;
const CHAIN_LOTS = LOTS - TREE;
const CAPTURE_EVENTS = Number(process.env.BENCH_CAPTURE ?? 10_000);
const TRACE_SAMPLES = 1000;
const ORGS = 10;

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** A lot's id from its index: md5 shaped as a version-4 UUID (the API checks ids are UUIDs). */
const LOT_ID_SQL = (expr: string) => `overlay(overlay(md5('lot' || (${expr})) placing '4' from 13) placing '8' from 17)::uuid`;

/** Parent of a tree lot by its index inside the tree (0 = root). */
const TREE_PARENT_SQL = `CASE WHEN t <= 10 THEN 0 WHEN t <= 110 THEN 1 + (t - 11) / 10 WHEN t <= 1110 THEN 11 + (t - 111) / 10 ELSE 111 + (t - 1111) % 1000 END`;

async function generate(db: Client, orgs: { org: string; product: string; site: string }[]): Promise<void> {
  const orgArr = `ARRAY[${orgs.map((o) => `'${o.org}'::uuid`).join(',')}]`;
  const prodArr = `ARRAY[${orgs.map((o) => `'${o.product}'::uuid`).join(',')}]`;
  const siteArr = `ARRAY[${orgs.map((o) => `'${o.site}'::uuid`).join(',')}]`;
  const lotId = (expr: string) => LOT_ID_SQL(expr);
  const step = async (label: string, sql: string) => {
    const t = process.hrtime.bigint();
    await db.query(sql);
    console.log(`  ${label}: ${(ms(t) / 1000).toFixed(1)} s`);
  };
  console.log(`Generating ${LOTS} lots and ${EVENTS} events with generate_series …`);
  await step('drop secondary indexes', `
    DROP INDEX IF EXISTS ix_epcis_events_epcs, ix_epcis_events_epc_classes, ix_epcis_events_batch_ids, ix_epcis_events_org_ids;
    ALTER TABLE lot_links DROP CONSTRAINT IF EXISTS "FK_320be3fa38707a9f749673a0dc0", DROP CONSTRAINT IF EXISTS "FK_b12e934b54d8513be17e0b0255b",
      DROP CONSTRAINT IF EXISTS "FK_dc1e0fea8e43d627ad5778c47e7";
    ALTER TABLE epcis_events DROP CONSTRAINT IF EXISTS fk_epcis_events_key`);
  await step('batches', `
    INSERT INTO batches (id, organization_id, product_id, site_id, region_code, lot_code, quantity_value, quantity_unit, produced_on, trace_code)
    SELECT ${lotId('i')}, (${orgArr})[1 + i % ${ORGS}], (${prodArr})[1 + i % ${ORGS}], (${siteArr})[1 + i % ${ORGS}], '510131',
           'B' || i, 1000, 'kg', date '2026-01-01' + (i % 300), 'S' || lpad(i::text, 11, '0')
    FROM generate_series(0, ${LOTS - 1}) i`);
  // Link k: chain lot i (generation i % 11 > 0) from i - 1; extra mixing links from the neighbouring chain; tree links.
  await step('lot_links', `
    INSERT INTO lot_links (from_batch_id, to_batch_id, event_id, kind, quantity_value, quantity_unit, event_time)
    SELECT ${lotId('p')}, ${lotId('c')}, md5('ev' || c || '-' || p)::uuid, 'shipment', 100, 'kg', timestamp '2026-01-01' + (c % 300) * interval '1 day'
    FROM (
      SELECT i - 1 AS p, i AS c FROM generate_series(0, ${CHAIN_LOTS - 1}) i WHERE i % 11 > 0
      UNION ALL
      SELECT ((i / 11 + 1) % (${CHAIN_LOTS} / 11)) * 11 + (i % 11) - 1, i FROM generate_series(0, ${CHAIN_LOTS - 1}) i
        WHERE i % 11 > 0 AND i % 5 = 0 AND ((i / 11 + 1) % (${CHAIN_LOTS} / 11)) * 11 + (i % 11) - 1 < ${CHAIN_LOTS}
      UNION ALL
      SELECT ${CHAIN_LOTS} + ${TREE_PARENT_SQL}, ${CHAIN_LOTS} + t FROM generate_series(1, ${TREE - 1}) t
    ) l`);
  const [{ n: linkCount }] = (await db.query('SELECT count(*)::int AS n FROM lot_links')).rows as { n: number }[];
  const filler = Math.max(0, EVENTS - linkCount - LOTS);
  await step(`epcis_events (${linkCount} link events, ${LOTS} commissioning, ${filler} inspections)`, `
    INSERT INTO epcis_events (id, event_id, hash_id, event_type, action, biz_step, disposition, event_time, biz_location,
      epcs, epc_classes, batch_ids, organization_ids, region_codes, source, document)
    SELECT id, 'ni:///sha-256;' || encode(sha256(id::text::bytea), 'hex') || '?ver=CBV2.0', 'x', 'ObjectEvent', action, step, disp, at,
      'https://trace.example.cn/site/' || s, '{}', ARRAY['https://trace.example.cn/t/S' || lpad(lot::text, 11, '0')], ARRAY[${lotId('lot')}],
      ARRAY[(${orgArr})[1 + lot % ${ORGS}]], ARRAY['510131'], 'platform',
      jsonb_build_object('type', 'ObjectEvent', 'action', action, 'bizStep', step, 'eventTime', at, 'eventTimeZoneOffset', '+08:00',
        'quantityList', jsonb_build_array(jsonb_build_object('epcClass', 'https://trace.example.cn/t/S' || lpad(lot::text, 11, '0'), 'quantity', 100, 'uom', 'KGM')))
    FROM (
      SELECT event_id AS id, 'ADD' AS action, 'receiving' AS step, 'in_progress' AS disp, event_time AS at,
             ('x' || substr(to_batch_id::text, 1, 8))::bit(32)::int & 1023 AS s, 0 AS lot FROM lot_links
      UNION ALL
      SELECT md5('co' || i)::uuid, 'ADD', 'commissioning', 'active', timestamp '2026-01-01' + (i % 300) * interval '1 day', i % 1000, i
        FROM generate_series(0, ${LOTS - 1}) i
      UNION ALL
      SELECT md5('in' || i)::uuid, 'OBSERVE', 'inspecting', 'conformant', timestamp '2026-01-02' + (i % 300) * interval '1 day', i % 1000, i % ${LOTS}
        FROM generate_series(1, ${filler}) i
    ) e`);
  // Their key rows (epcis_event_ids: the unique eventID per recorder, what lot_links reference).
  await step('epcis_event_ids', `
    INSERT INTO epcis_event_ids (id, event_id, recorded_by, record_time) SELECT id, event_id, recorded_by, record_time FROM epcis_events`);
  await step('recreate GIN indexes and foreign keys', `
    CREATE INDEX ix_epcis_events_org_ids ON epcis_events USING gin (organization_ids);
    CREATE INDEX ix_epcis_events_batch_ids ON epcis_events USING gin (batch_ids);
    CREATE INDEX ix_epcis_events_epc_classes ON epcis_events USING gin (epc_classes);
    CREATE INDEX ix_epcis_events_epcs ON epcis_events USING gin (epcs);
    ALTER TABLE lot_links ADD CONSTRAINT "FK_320be3fa38707a9f749673a0dc0" FOREIGN KEY (from_batch_id) REFERENCES batches(id),
      ADD CONSTRAINT "FK_b12e934b54d8513be17e0b0255b" FOREIGN KEY (to_batch_id) REFERENCES batches(id),
      ADD CONSTRAINT "FK_dc1e0fea8e43d627ad5778c47e7" FOREIGN KEY (event_id) REFERENCES epcis_event_ids(id);
    ALTER TABLE epcis_events ADD CONSTRAINT fk_epcis_events_key FOREIGN KEY (id, record_time) REFERENCES epcis_event_ids (id, record_time)`);
  await step('analyze', 'ANALYZE batches; ANALYZE lot_links; ANALYZE epcis_events; ANALYZE epcis_event_ids');
}

async function timed(url: string, path: string, token: string, body?: unknown): Promise<{ ms: number; json: any; bytes: number }> {
  const t = process.hrtime.bigint();
  const res = await call(url, path, token, body);
  return { ms: ms(t), json: res.json, bytes: res.bytes };
}

runBench(() => withApi({}, async ({ url, databaseUrl }) => {
  const orgs: { org: string; product: string; site: string }[] = [];
  for (let i = 0; i < ORGS; i++) {
    const org = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: `农户${i}`, kind: 'individual', regionCode: '510131' })).json;
    const token = (await call(url, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })).json.token;
    const product = (await call(url, '/api/v1/products', token, { name: `猕猴桃${i}`, category: '水果' })).json;
    const site = (await call(url, '/api/v1/sites', token, { name: `基地${i}`, regionCode: '510131' })).json;
    orgs.push({ org: org.id, product: product.id, site: site.id });
  }
  const db = new Client({ connectionString: databaseUrl });
  db.on('error', () => undefined); // the scratch database is dropped with FORCE at the end
  await db.connect();
  try {
    await measure(url, db, orgs);
  } finally {
    await db.end().catch(() => undefined);
  }
}));

async function measure(url: string, db: Client, orgs: { org: string; product: string; site: string }[]): Promise<void> {
  await generate(db, orgs);
  const [{ lots, links, events }] = (await db.query(`SELECT (SELECT count(*) FROM batches)::int AS lots,
    (SELECT count(*) FROM lot_links)::int AS links, (SELECT count(*) FROM epcis_events)::int AS events`)).rows as { lots: number; links: number; events: number }[];
  const lotId = async (i: number) => ((await db.query(`SELECT ${LOT_ID_SQL('$1::text')} AS id`, [i])).rows[0] as { id: string }).id;
  const rows: Record<string, string | number>[] = [];

  // warm-up, then trace on random chain lots
  for (let i = 0; i < 20; i++) await timed(url, `/api/v1/batches/${await lotId(i * 11)}/trace?direction=both&depth=10`, BENCH_ADMIN_TOKEN);
  const times: number[] = [];
  let nodes = 0;
  for (let i = 0; i < TRACE_SAMPLES; i++) {
    const id = await lotId(Math.floor(Math.random() * CHAIN_LOTS));
    const r = await timed(url, `/api/v1/batches/${id}/trace?direction=both&depth=10`, BENCH_ADMIN_TOKEN);
    times.push(r.ms);
    nodes += (r.json as { lots: unknown[] }).lots.length;
  }
  times.sort((a, b) => a - b);
  rows.push({ measure: `trace both/depth 10, ${TRACE_SAMPLES} random lots (avg ${Math.round(nodes / TRACE_SAMPLES)} lots each)`, p50: pct(times, 50).toFixed(1), p95: pct(times, 95).toFixed(1), p99: pct(times, 99).toFixed(1), target: 'p95 ≤ 50 ms' });

  // SimpleEventQuery as an organisation (a tenth of the events are its own): the newest page, and one lot's events
  const orgToken = (await call(url, `/api/v1/organizations/${orgs[0].org}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'operator' })).json.token as string;
  for (const [label, query] of [['newest 50', () => 'perPage=50'], ['MATCH_epcClass of a random lot', () => `MATCH_epcClass=${encodeURIComponent(`https://trace.example.cn/t/S${String(Math.floor(Math.random() * (CHAIN_LOTS / ORGS)) * ORGS).padStart(11, '0')}`)}`]] as const) {
    const queryTimes: number[] = [];
    for (let i = 0; i < 200; i++) queryTimes.push((await timed(url, `/api/v1/events?${query()}`, orgToken)).ms);
    queryTimes.sort((a, b) => a - b);
    rows.push({ measure: `GET /api/v1/events as an organisation, ${label} (200 queries)`, p50: pct(queryTimes, 50).toFixed(1), p95: pct(queryTimes, 95).toFixed(1), p99: pct(queryTimes, 99).toFixed(1), target: '' });
  }

  const root = await lotId(CHAIN_LOTS);
  const treeTrace = await timed(url, `/api/v1/batches/${root}/trace?direction=down&depth=10`, BENCH_ADMIN_TOKEN);
  rows.push({ measure: `trace down of the tree root (${(treeTrace.json as { lots: unknown[] }).lots.length} lots)`, p50: treeTrace.ms.toFixed(0), p95: '', p99: '', target: '' });

  const mock = await timed(url, '/api/v1/recalls', BENCH_ADMIN_TOKEN, { batchId: root, reason: '基准测试 模拟召回', mock: true });
  const recall = mock.json as { id: string; lotCount: number; eventCount: number; durationMs: number; affectedOrganizations: unknown[] };
  rows.push({ measure: `mock recall: ${recall.lotCount - 1} downstream lots, ${recall.eventCount} report rows (server says ${recall.durationMs} ms)`, p50: mock.ms.toFixed(0), p95: '', p99: '', target: 'full report ≤ 2 s' });
  for (const format of ['html', 'csv', 'xlsx']) {
    const r = await timed(url, `/api/v1/recalls/${recall.id}/report.${format}?sort=date`, BENCH_ADMIN_TOKEN);
    rows.push({ measure: `  report.${format} (${(r.bytes / 1e6).toFixed(1)} MB)`, p50: r.ms.toFixed(0), p95: '', p99: '', target: '' });
  }
  const live = await timed(url, '/api/v1/recalls', BENCH_ADMIN_TOKEN, { batchId: root, reason: '基准测试 召回' });
  rows.push({ measure: `live recall of the same lots (${(live.json as { recalledLotCount: number }).recalledLotCount} marked recalled, EPCIS event)`, p50: live.ms.toFixed(0), p95: '', p99: '', target: '' });

  // EPCIS capture: one document of CAPTURE_EVENTS events without eventIDs, hash IDs computed by the job
  const eventList = Array.from({ length: CAPTURE_EVENTS }, (_, i) => ({
    type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit',
    eventTime: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(), eventTimeZoneOffset: '+08:00',
    epcList: [`https://id.partner.example/01/09521234543213/21/${i}`],
    quantityList: [{ epcClass: `https://id.partner.example/01/09521234543213/10/P${i % 500}`, quantity: 12.5, uom: 'KGM' }],
    readPoint: { id: 'https://id.partner.example/414/9521234000006' },
    bizTransactionList: [{ type: 'po', bizTransaction: `https://id.partner.example/po/${i}` }],
  }));
  const document = JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0',
    creationDate: new Date().toISOString(), epcisBody: { eventList },
  });
  const org0 = orgs[0].org;
  const token0 = (await call(url, `/api/v1/organizations/${org0}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'operator' })).json.token as string;
  const t = process.hrtime.bigint();
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { Authorization: `Bearer ${token0}`, 'content-type': 'application/ld+json' }, body: document });
  const accepted = ms(t);
  if (res.status !== 202) throw new Error(`capture: ${res.status} ${await res.text()}`);
  const location = res.headers.get('location')!;
  let job: { running: boolean; capturedCount: number; success: boolean };
  do {
    await new Promise((r) => setTimeout(r, 50));
    job = (await call(url, location, token0)).json;
  } while (job.running);
  const total = ms(t);
  rows.push({ measure: `EPCIS capture of ${CAPTURE_EVENTS} events (${(document.length / 1e6).toFixed(1)} MB; 202 after ${accepted.toFixed(0)} ms; ${job.capturedCount} stored)`, p50: total.toFixed(0), p95: '', p99: '', target: `${Math.round(CAPTURE_EVENTS / (total / 1000))} events/s (≥ 2,000)` });

  console.log(`\nTrace, recall and capture on ${lots} lots, ${links} lot links, ${events} EPCIS events (PostgreSQL, jobs in-process), times in ms\n`);
  console.log(table(rows));
}
