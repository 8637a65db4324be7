import { DataSource } from 'typeorm';
import { PartitionedScansAndCodes1796432056374 as Migration } from '../src/database/migrations/1796432056374-PartitionedScansAndCodes';
import { ScanRecorder } from '../src/modules/scan/scan-recorder';
import { ScanPartitions } from '../src/modules/scan/scan-partitions';
import { auth, createBatch, createOrg } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 21: trace_codes (HASH on code) and scan_events (RANGE on scanned_at, by month in China
 * time, with a default partition) as partitioned tables — lookups, inserts across a month
 * boundary, the partitions made ahead, the retention drop, and the migration converting populated
 * tables both ways without losing a row. The database is this file's own.
 */
describe('partitioned trace_codes and scan_events', () => {
  let t: TestApp;
  let db: DataSource;
  let batchId: string;
  let codes: string[];

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
    const batch = await createBatch(t, org.token);
    batchId = batch.id;
    const run = (await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(org.token)).send({ count: 40 }).expect(201)).body as { id: string };
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
});
