import { generateKeyPairSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PartitionedAuditLog1796442451995 as AuditMigration } from '../src/database/migrations/1796442451995-PartitionedAuditLog';
import { signAuditHead, verifyAuditCheckpoint } from '../src/modules/audit/audit-checkpoints';
import { sealPendingAuditNow, verifyAuditLog } from '../src/modules/audit/audit-log';
import { PartitionedScansAndCodes1796432056374 as Migration } from '../src/database/migrations/1796432056374-PartitionedScansAndCodes';
import { PartitionedEpcisEvents1796441177466 as EventsMigration } from '../src/database/migrations/1796441177466-PartitionedEpcisEvents';
import { eventsThroughKeys } from '../src/modules/events/event-keys';
import { EventRow, EventsService } from '../src/modules/events/events.service';
import { ScanRecorder } from '../src/modules/scan/scan-recorder';
import { ScanPartitions } from '../src/modules/scan/scan-partitions';
import { auth, createBatch, createOrg, createProduct, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

/** A node of a JSON query plan (the fields read here). */
interface PlanNode { 'Relation Name'?: string; 'Actual Loops'?: number; Plans?: PlanNode[] }

/**
 * Issue 21: trace_codes (HASH on code), scan_events (RANGE on scanned_at, by month in China
 * time, with a default partition), epcis_events (RANGE on record_time, by month, with its
 * unique keys in epcis_event_ids) and audit_log (RANGE on at, by month) as partitioned tables — lookups, inserts across a month
 * boundary, the partitions made ahead, the retention drop, and the migrations converting populated
 * tables both ways without losing a row. The database is this file's own.
 */
describe('partitioned trace_codes, scan_events, epcis_events and audit_log', () => {
  let t: TestApp;
  let db: DataSource;
  let batchId: string;
  let codes: string[];
  let farm: OrgWithKey;
  let market: OrgWithKey;
  let shipmentId: string;

  const partitionOf = async (table: string, where: string, params: unknown[]) =>
    ((await db.query(`SELECT tableoid::regclass::text AS part FROM ${table} WHERE ${where}`, params)) as { part: string }[]).map((r) => r.part);
  const insertScan = (code: string, at: string) => db.query(
    `INSERT INTO scan_events (code, batch_id, scanned_at, via, device, os, app) VALUES ($1, $2, $3, 't', 'mobile', 'ios', 'wechat') RETURNING id`,
    [code, batchId, at],
  );
  const maintain = (keepMonths: number, now: string) =>
    new ScanPartitions(db, { ...t.config, scanPartitionsAhead: 2, scanRetentionMonths: keepMonths }).maintain(new Date(now));

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const org = await createOrg(t, { name: '蒲江县分区合作社' });
    farm = org;
    const batch = await createBatch(t, org.token, { quantity: { value: '100', unit: 'kg' } });
    batchId = batch.id;
    const run = (await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 40 }).expect(201)).body as { id: string };
    // A shipment received as an inbound lot: events referenced by shipments and lot_links.
    market = await createOrg(t, { name: '成都分区批发市场', kind: 'market', regionCode: '510117', uscc: uniqueUscc('91', '510117') });
    const marketProduct = await createProduct(t, market.token, { name: '猕猴桃（批发）' });
    const marketSite = await createSite(t, market.token, { name: '郫都区分区冷库', regionCode: '510117' });
    shipmentId = ((await t.http().post('/api/v1/shipments').set(auth(org.token))
      .send({ batchId, toOrganizationId: market.id, quantity: { value: '30', unit: 'kg' } }).expect(201)).body as { id: string }).id;
    await t.http().post(`/api/v1/shipments/${shipmentId}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id, quantity: { value: '30', unit: 'kg' } }).expect(201);
    codes = ((await db.query('SELECT code FROM trace_codes WHERE print_run_id = $1 ORDER BY serial', [run.id])) as { code: string }[]).map((r) => r.code);
  });
  afterAll(() => t.close());

  it('are partitioned tables: trace_codes by hash of the code, scan_events by range of the scan time', async () => {
    const rows = await db.query(
      `SELECT c.relname, p.partstrat, (SELECT count(*)::int FROM pg_inherits i WHERE i.inhparent = c.oid) AS parts
       FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname IN ('trace_codes', 'scan_events') ORDER BY c.relname`,
    ) as { relname: string; partstrat: string; parts: number }[];
    expect(rows.map((r) => [r.relname, r.partstrat])).toEqual([['scan_events', 'r'], ['trace_codes', 'h']]);
    expect(rows[1].parts).toBe(16);
    // The default partition plus the current month and the months made ahead.
    expect(rows[0].parts).toBeGreaterThanOrEqual(1 + 1 + t.config.scanPartitionsAhead);
  });

  it('a lookup by code reads one partition of trace_codes, and the codes spread over the partitions', async () => {
    const [{ 'QUERY PLAN': plan }] = await db.query(`EXPLAIN (FORMAT JSON) SELECT batch_id FROM trace_codes WHERE code = '${codes[0]}'`) as { 'QUERY PLAN': unknown }[];
    const relations = JSON.stringify(plan).match(/"Relation Name":"[^"]+"/g) ?? [];
    expect(relations).toHaveLength(1);
    expect(relations[0]).toMatch(/trace_codes_p\d\d/);
    const parts = new Set(await partitionOf('trace_codes', 'code = ANY($1)', [codes]));
    expect(parts.size).toBeGreaterThan(4);
    // The scan page still resolves the codes (the partitioned table behind the resolver).
    const page = await t.http().get(`/t/${codes[0]}`).expect(200);
    expect(page.text).toContain(codes[0]);
    await t.app.get(ScanRecorder).flush();
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM scan_events WHERE code = $1', [codes[0]]);
    expect(n).toBe(1);
    expect(await partitionOf('scan_events', 'code = $1', [codes[0]])).toEqual([expect.stringMatching(/^scan_events_y\d{4}m\d{2}$/)]);
  });

  it('scans on either side of a month boundary (China time) land in their months; a month made later takes its rows from the default partition', async () => {
    // 2026-10-31 23:59:59.999 and 2026-11-01 00:00 in China: no partitions for them yet (made from the migration month on).
    await insertScan(codes[1], '2026-10-31T15:59:59.999Z');
    await insertScan(codes[1], '2026-10-31T16:00:00.000Z');
    expect(await partitionOf('scan_events', 'code = $1', [codes[1]])).toEqual(['scan_events_default', 'scan_events_default']);
    const result = await maintain(0, '2026-10-15T04:00:00Z');
    expect(result.created).toEqual(expect.arrayContaining(['scan_events_y2026m10', 'scan_events_y2026m11']));
    const rows = await db.query(`SELECT scanned_at, tableoid::regclass::text AS part FROM scan_events WHERE code = $1 ORDER BY scanned_at`, [codes[1]]) as { part: string }[];
    expect(rows.map((r) => r.part)).toEqual(['scan_events_y2026m10', 'scan_events_y2026m11']);
    // Made ahead already: a second run changes nothing.
    expect(await maintain(0, '2026-10-15T04:00:00Z')).toEqual({ created: [], dropped: [], deletedFromDefault: 0 });
  });

  it('the retention drops whole months past it (and older rows of the default partition), nothing newer', async () => {
    await insertScan(codes[2], '2025-01-10T02:00:00Z'); // no partition: default
    const before = await db.query('SELECT count(*)::int AS n FROM scan_events WHERE scanned_at >= $1', ['2026-11-01T00:00:00+08:00']) as { n: number }[];
    // Keep one whole month before December 2026: October 2026 and older go.
    const result = await maintain(1, '2026-12-20T04:00:00Z');
    expect(result.dropped).toEqual(['scan_events_y2026m10']);
    expect(result.deletedFromDefault).toBe(1);
    expect(await db.query('SELECT 1 FROM scan_events WHERE code = ANY($1) AND scanned_at < $2', [[codes[1], codes[2]], '2026-11-01T00:00:00+08:00'])).toEqual([]);
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM scan_events WHERE scanned_at >= $1', ['2026-11-01T00:00:00+08:00']) as { n: number }[];
    expect(n).toBe(before[0].n);
    expect(await db.query(`SELECT to_regclass('scan_events_y2026m10') AS r`)).toEqual([{ r: null }]);
  });

  it('the migration converts populated tables back and forth without losing a row or counting codes twice', async () => {
    const snapshot = async () => ({
      codes: await db.query('SELECT * FROM trace_codes ORDER BY code'),
      scans: await db.query('SELECT * FROM scan_events ORDER BY id'),
      triggers: await db.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'trace_codes'::regclass AND NOT tgisinternal ORDER BY tgname`),
    });
    const before = await snapshot();
    expect(before.codes.length).toBeGreaterThanOrEqual(40);
    expect(before.triggers).toHaveLength(3);
    const runner = db.createQueryRunner();
    /** Runs one direction in a transaction; the indicator deltas it wrote (the copy must write none). */
    const inTransaction = async (step: () => Promise<void>) => {
      await runner.startTransaction();
      await step();
      const [{ n }] = await runner.query('SELECT count(*)::int AS n FROM indicator_deltas WHERE xmin::text = txid_current()::text') as { n: number }[];
      await runner.commitTransaction();
      return n;
    };
    try {
      expect(await inTransaction(() => new Migration().down(runner))).toBe(0);
      expect(await db.query(`SELECT relkind FROM pg_class WHERE relname IN ('trace_codes', 'scan_events') ORDER BY relname`)).toEqual([{ relkind: 'r' }, { relkind: 'r' }]);
      expect(await inTransaction(() => new Migration().up(runner))).toBe(0);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await snapshot()).toEqual(before);
    // New rows after the round trip: ids continue, triggers still fire once.
    const [{ id }] = await insertScan(codes[3], new Date().toISOString()) as { id: string }[];
    expect(Number(id)).toBeGreaterThan(Math.max(...before.scans.map((s: { id: string }) => Number(s.id))));
  });

  /** An event recorded at a given instant (the API records at now()): its key row and its event row. */
  const recordAt = async (eventId: string, recordedBy: string, at: string) => {
    const [{ id }] = await db.query(
      `WITH k AS (INSERT INTO epcis_event_ids (event_id, recorded_by, record_time) VALUES ($1, $2, $3) RETURNING id, record_time)
       INSERT INTO epcis_events (id, record_time, event_id, hash_id, event_type, event_time, source, document, recorded_by, organization_ids)
       SELECT id, record_time, $1, $1, 'ObjectEvent', $3, 'capture', '{}', $2, ARRAY[$2::uuid] FROM k RETURNING id`,
      [eventId, recordedBy, at],
    ) as { id: string }[];
    return id;
  };
  const eventRow = (eventId: string, recordedBy: string): EventRow => ({
    eventId, hashId: eventId, eventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition: null,
    eventTime: '2025-03-20T02:00:00.000Z', bizLocation: null, epcs: [], epcClasses: [], recordedBy, batchIds: [],
    organizationIds: [recordedBy], regionCodes: [], source: 'capture', captureId: null, document: { type: 'ObjectEvent' },
  });

  it('epcis_events is partitioned by month of record_time, with a default partition and months made ahead; its keys are a plain table', async () => {
    const [row] = await db.query(
      `SELECT p.partstrat, (SELECT count(*)::int FROM pg_inherits i WHERE i.inhparent = c.oid) AS parts,
         (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = p.partattrs[0]) AS key
       FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'epcis_events'`,
    ) as { partstrat: string; parts: number; key: string }[];
    expect(row).toMatchObject({ partstrat: 'r', key: 'record_time' });
    expect(row.parts).toBeGreaterThanOrEqual(1 + 1 + t.config.scanPartitionsAhead);
    expect(await db.query(`SELECT relkind FROM pg_class WHERE relname = 'epcis_event_ids'`)).toEqual([{ relkind: 'r' }]);
    // The shipment's and the receipt's (lot link's) events: this month's partition, one key row each, referenced by the shipment.
    const events = await db.query(
      `SELECT e.tableoid::regclass::text AS part, k.record_time = e.record_time AS same FROM epcis_events e JOIN epcis_event_ids k ON k.id = e.id
       WHERE e.id IN (SELECT ship_event_id FROM shipments WHERE id = $1 UNION SELECT event_id FROM lot_links WHERE from_batch_id = $2)`, [shipmentId, batchId],
    ) as { part: string; same: boolean }[];
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toEqual({ part: expect.stringMatching(/^epcis_events_y\d{4}m\d{2}$/), same: true });
    const refs = await db.query(`SELECT conrelid::regclass::text AS t FROM pg_constraint WHERE confrelid = 'epcis_event_ids'::regclass AND contype = 'f' AND conparentid = 0 ORDER BY 1`);
    expect(refs).toEqual([{ t: 'epcis_events' }, { t: 'lot_links' }, { t: 'shipments' }, { t: 'shipments' }]);
  });

  it('events on either side of a month boundary land in their months; an eventID stays unique per recorder across months; keys hold', async () => {
    const march = await recordAt('urn:uuid:partition-march', farm.id, '2025-03-31T15:59:59.999Z');
    const april = await recordAt('urn:uuid:partition-april', farm.id, '2025-03-31T16:00:00.000Z');
    expect(await partitionOf('epcis_events', 'id = ANY($1)', [[march, april]])).toEqual(['epcis_events_default', 'epcis_events_default']);
    const result = await maintain(0, '2025-03-15T04:00:00Z');
    expect(result.created).toEqual(expect.arrayContaining(['epcis_events_y2025m03', 'epcis_events_y2025m04', 'epcis_events_y2025m05']));
    const rows = await db.query(`SELECT tableoid::regclass::text AS part FROM epcis_events WHERE id = ANY($1) ORDER BY record_time`, [[march, april]]) as { part: string }[];
    expect(rows.map((r) => r.part)).toEqual(['epcis_events_y2025m03', 'epcis_events_y2025m04']);

    // Recorded again now (another month, another partition): the recorder's repeat is skipped, another recorder's is kept.
    const events = t.app.get(EventsService);
    const again = await db.transaction((m) => events.insertRows(m, [eventRow('urn:uuid:partition-march', farm.id), eventRow('urn:uuid:partition-march', market.id),
      eventRow('urn:uuid:partition-march', market.id)]));
    expect(again).toEqual([{ id: expect.any(String), eventId: 'urn:uuid:partition-march' }]);
    const recorders = await db.query(`SELECT recorded_by FROM epcis_events WHERE event_id = 'urn:uuid:partition-march' ORDER BY record_time`) as { recorded_by: string }[];
    expect(recorders.map((r) => r.recorded_by)).toEqual([farm.id, market.id]);
    // No event row without its key row, and an id cannot appear in a second month.
    await expect(db.query(`INSERT INTO epcis_events (event_id, hash_id, event_type, event_time, source, document) VALUES ('urn:uuid:keyless', 'x', 'ObjectEvent', now(), 'capture', '{}')`))
      .rejects.toMatchObject({ code: '23503' });
    await expect(db.query(`INSERT INTO epcis_events (id, record_time, event_id, hash_id, event_type, event_time, source, document)
      SELECT id, now(), event_id, hash_id, event_type, event_time, source, document FROM epcis_events WHERE id = $1`, [march])).rejects.toMatchObject({ code: '23503' });
    // Shipments reference the keys.
    await expect(db.query(`UPDATE shipments SET ship_event_id = '00000000-0000-4000-8000-000000000000' WHERE id = $1`, [shipmentId])).rejects.toMatchObject({ code: '23503' });
  });

  it('an event looked up by id or by eventID, through its key row, is read from its own month only', async () => {
    await maintain(0, '2025-07-15T04:00:00Z');
    const july = await recordAt('urn:uuid:pruned-july', farm.id, '2025-07-10T04:00:00Z');
    await recordAt('urn:uuid:pruned-august', farm.id, '2025-08-10T04:00:00Z');
    /** The epcis_events partitions a statement actually read (EXPLAIN ANALYZE: scans that ran at least once). */
    const monthsRead = async (sql: string, params: unknown[]) => {
      const [{ 'QUERY PLAN': [plan] }] = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
      const read: string[] = [];
      const walk = (n: PlanNode) => {
        if (n['Relation Name']?.startsWith('epcis_events_') && (n['Actual Loops'] ?? 0) > 0) read.push(n['Relation Name']);
        n.Plans?.forEach(walk);
      };
      walk(plan.Plan);
      return read;
    };
    expect(await monthsRead(`SELECT e.document FROM ${eventsThroughKeys('k', 'e')} WHERE k.id = $1`, [july])).toEqual(['epcis_events_y2025m07']);
    expect(await monthsRead(`SELECT e.document FROM ${eventsThroughKeys('k', 'e')} WHERE k.event_id = ANY($1::varchar[])`, [['urn:uuid:pruned-august']]))
      .toEqual(['epcis_events_y2025m08']);
    // Without the key row, every month is searched.
    expect((await monthsRead('SELECT document FROM epcis_events WHERE id = $1', [july])).length).toBeGreaterThan(3);
    // What EventsService reads by eventID goes through the keys: the same events, from their months.
    const recorded = await db.transaction((m) => t.app.get(EventsService).recordedUnder(m, ['urn:uuid:pruned-july', 'urn:uuid:pruned-august']));
    expect(recorded.map((r) => r.eventId).sort()).toEqual(['urn:uuid:pruned-august', 'urn:uuid:pruned-july']);
  });

  it('the epcis_events migration converts a populated table back and forth without losing a row', async () => {
    const snapshot = async () => ({
      events: await db.query('SELECT * FROM epcis_events ORDER BY id'),
      keys: await db.query('SELECT * FROM epcis_event_ids ORDER BY id'),
      shipments: await db.query('SELECT * FROM shipments ORDER BY id'),
      links: await db.query('SELECT * FROM lot_links ORDER BY id'),
    });
    const before = await snapshot();
    expect(before.events.length).toBeGreaterThanOrEqual(5);
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await new EventsMigration().down(runner);
      await runner.commitTransaction();
      expect(await db.query(`SELECT relname, relkind FROM pg_class WHERE relname IN ('epcis_events', 'epcis_event_ids')`)).toEqual([{ relname: 'epcis_events', relkind: 'r' }]);
      const plain = await db.query('SELECT * FROM epcis_events ORDER BY id') as Record<string, unknown>[];
      expect(plain).toEqual(before.events);
      await runner.startTransaction();
      await new EventsMigration().up(runner);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await snapshot()).toEqual(before);
    expect(await partitionOf('epcis_events', 'event_id = $1', ['urn:uuid:partition-april'])).toEqual(['epcis_events_y2025m04']);
    // Recording goes on: a new shipment and its event.
    await t.http().post('/api/v1/shipments').set(auth(farm.token)).send({ batchId, toOrganizationId: market.id, quantity: { value: '1', unit: 'kg' } }).expect(201);
  });

  it('audit_log is partitioned by month of at; the chain and a signed checkpoint verify across the migration both ways, and sealing goes on', async () => {
    const [row] = await db.query(
      `SELECT p.partstrat, (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = p.partattrs[0]) AS key
       FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'audit_log'`,
    ) as { partstrat: string; key: string }[];
    expect(row).toEqual({ partstrat: 'r', key: 'at' });
    await sealPendingAuditNow(db.manager);
    const parts = await db.query('SELECT DISTINCT tableoid::regclass::text AS part FROM audit_log') as { part: string }[];
    expect(parts.length).toBeGreaterThan(0);
    for (const { part } of parts) expect(part).toMatch(/^audit_log_y\d{4}m\d{2}$/);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = await signAuditHead(db.manager, privateKey);
    if (signed.kind !== 'created') throw new Error(`no checkpoint: ${signed.kind}`);
    const entries = async () => await db.query('SELECT * FROM audit_log ORDER BY seq');
    const before = await entries();
    expect(before.length).toBeGreaterThan(10);

    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await new AuditMigration().down(runner);
      await runner.commitTransaction();
      expect(await db.query(`SELECT relkind FROM pg_class WHERE relname = 'audit_log'`)).toEqual([{ relkind: 'r' }]);
      expect(await entries()).toEqual(before);
      expect((await verifyAuditLog(db.manager)).valid).toBe(true);
      await runner.startTransaction();
      await new AuditMigration().up(runner);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await entries()).toEqual(before);
    expect(await verifyAuditCheckpoint(db.manager, signed.checkpoint, publicKey)).toMatchObject({ valid: true, firstBreak: null });
    // Audited writes go on: sealed after the tail, the whole chain verifies.
    await t.http().post('/api/v1/shipments').set(auth(farm.token)).send({ batchId, toOrganizationId: market.id, quantity: { value: '1', unit: 'kg' } }).expect(201);
    await sealPendingAuditNow(db.manager);
    const result = await verifyAuditLog(db.manager);
    expect(result).toMatchObject({ valid: true, firstBreak: null });
    expect(result.head!.seq).toBeGreaterThan(Number((before.at(-1) as { seq: string }).seq));
  });
});
