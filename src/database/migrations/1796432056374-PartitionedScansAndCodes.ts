import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Issue 21: the two tables that grow with every printed label and every consumer scan become
 * partitioned tables, converted in place without losing a row (rename, create the partitioned
 * table with the same columns, keys, indexes and names, copy, drop the old one; one transaction).
 *
 * trace_codes: HASH on code, 16 partitions — a lookup by code (the scan page, the resolver) reads
 * one partition's index. The key stays (code). Its foreign keys (batches, print_runs) are kept; no
 * table references trace_codes. The indicator triggers (statement triggers with transition tables,
 * allowed on a partitioned table) are re-created after the copy so the copy is not counted twice.
 *
 * scan_events: RANGE on scanned_at by calendar month in China time, partitions
 * scan_events_yYYYYmMM plus scan_events_default for anything outside them; the key becomes
 * (id, scanned_at), as keys of a partitioned table must hold its partition key (nothing references
 * scan_events). scan_events_add_month(date) adds a month's partition (moving any of its rows out of
 * the default partition first); scan_events_maintain(ahead, keep) keeps `ahead` months made ahead
 * and, when keep > 0, drops the partitions (and default rows) older than `keep` whole months. The
 * application runs it daily (scan-partitions job: SCAN_PARTITIONS_AHEAD, SCAN_RETENTION_MONTHS).
 *
 * epcis_events and audit_log stay as they are (see the issue note): their keys are referenced
 * (shipments, lot_links) or must stay contiguous, and a time partition key would have to join both
 * those references and the unique event-id guard.
 */
const HASH_PARTITIONS = 16;

const ADD_MONTH = `
CREATE FUNCTION scan_events_add_month(month_start date) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  first date := date_trunc('month', month_start)::date;
  part text := format('scan_events_y%sm%s', to_char(first, 'YYYY'), to_char(first, 'MM'));
  lower_bound timestamptz := first::timestamp AT TIME ZONE 'Asia/Shanghai';
  upper_bound timestamptz := (first + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai';
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE scan_events INCLUDING DEFAULTS)', part);
  -- Rows of that month that landed in the default partition move to their own (attaching checks
  -- that the default partition holds none of the new range).
  EXECUTE format('WITH moved AS (DELETE FROM scan_events_default WHERE scanned_at >= %L AND scanned_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
    lower_bound, upper_bound, part);
  EXECUTE format('ALTER TABLE scan_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lower_bound, upper_bound);
  RETURN part;
END
$$`;

const MAINTAIN = `
CREATE FUNCTION scan_events_maintain(months_ahead integer, keep_months integer) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  -- now(), unless the caller pins the day (SET LOCAL scan_partitions.now: tests, a catch-up run).
  this_month date := date_trunc('month', coalesce(nullif(current_setting('scan_partitions.now', true), '')::timestamptz, now()) AT TIME ZONE 'Asia/Shanghai')::date;
  created text[] := '{}';
  dropped text[] := '{}';
  made text;
  part record;
  cutoff timestamptz;
  deleted bigint := 0;
BEGIN
  -- One maintainer at a time across the cluster (every worker may run the job).
  PERFORM pg_advisory_xact_lock(hashtext('scan_events_maintain'));
  FOR i IN 0 .. greatest(months_ahead, 0) LOOP
    made := scan_events_add_month((this_month + make_interval(months => i))::date);
    IF made IS NOT NULL THEN
      created := created || made;
    END IF;
  END LOOP;
  IF keep_months > 0 THEN
    cutoff := (this_month - make_interval(months => keep_months))::timestamp AT TIME ZONE 'Asia/Shanghai';
    FOR part IN
      SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'scan_events'::regclass AND c.relname ~ '^scan_events_y[0-9]{4}m[0-9]{2}$' ORDER BY c.relname
    LOOP
      IF (to_date(substr(part.name, 14, 4) || substr(part.name, 19, 2), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai' <= cutoff THEN
        EXECUTE format('DROP TABLE %I', part.name);
        dropped := dropped || part.name;
      END IF;
    END LOOP;
    DELETE FROM scan_events_default WHERE scanned_at < cutoff;
    GET DIAGNOSTICS deleted = ROW_COUNT;
  END IF;
  RETURN jsonb_build_object('created', to_jsonb(created), 'dropped', to_jsonb(dropped), 'deletedFromDefault', deleted);
END
$$`;

export class PartitionedScansAndCodes1796432056374 implements MigrationInterface {
  name = 'PartitionedScansAndCodes1796432056374';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // trace_codes by hash of the code.
    const triggers = await queryRunner.query(
      `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'trace_codes'::regclass AND NOT tgisinternal ORDER BY tgname`,
    ) as { def: string }[];
    await queryRunner.query('ALTER TABLE "trace_codes" RENAME TO "trace_codes_unpartitioned"');
    for (const name of ['indicator_capture_delete', 'indicator_capture_insert', 'indicator_capture_update']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${name} ON "trace_codes_unpartitioned"`);
    }
    await queryRunner.query(`ALTER TABLE "trace_codes_unpartitioned" DROP CONSTRAINT "FK_1fc35b5e68a818aeb471704a602"`);
    await queryRunner.query(`ALTER TABLE "trace_codes_unpartitioned" DROP CONSTRAINT "FK_409ea93e2f1a0a28217cad59065"`);
    await queryRunner.query(`ALTER TABLE "trace_codes_unpartitioned" DROP CONSTRAINT "PK_f388c00997a5fe7011a089c1fe5"`);
    await queryRunner.query(`DROP INDEX "IDX_1fc35b5e68a818aeb471704a60"`);
    await queryRunner.query(`DROP INDEX "IDX_8c79b8c8e3ed75cb85a303ff8c"`);
    await queryRunner.query('CREATE TABLE "trace_codes" (LIKE "trace_codes_unpartitioned" INCLUDING DEFAULTS) PARTITION BY HASH ("code")');
    await queryRunner.query(`ALTER TABLE "trace_codes" ADD CONSTRAINT "PK_f388c00997a5fe7011a089c1fe5" PRIMARY KEY ("code")`);
    await queryRunner.query(`CREATE INDEX "IDX_1fc35b5e68a818aeb471704a60" ON "trace_codes" ("batch_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_8c79b8c8e3ed75cb85a303ff8c" ON "trace_codes" ("print_run_id", "serial")`);
    await queryRunner.query(`ALTER TABLE "trace_codes" ADD CONSTRAINT "FK_1fc35b5e68a818aeb471704a602" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trace_codes" ADD CONSTRAINT "FK_409ea93e2f1a0a28217cad59065" FOREIGN KEY ("print_run_id") REFERENCES "print_runs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    for (let i = 0; i < HASH_PARTITIONS; i++) {
      const name = `trace_codes_p${String(i).padStart(2, '0')}`;
      await queryRunner.query(`CREATE TABLE "${name}" PARTITION OF "trace_codes" FOR VALUES WITH (MODULUS ${HASH_PARTITIONS}, REMAINDER ${i})`);
    }
    await queryRunner.query('INSERT INTO "trace_codes" SELECT * FROM "trace_codes_unpartitioned"');
    await queryRunner.query('DROP TABLE "trace_codes_unpartitioned"');
    for (const { def } of triggers) await queryRunner.query(def);

    // scan_events by month of the scan.
    await queryRunner.query('ALTER TABLE "scan_events" RENAME TO "scan_events_unpartitioned"');
    await queryRunner.query(`ALTER TABLE "scan_events_unpartitioned" DROP CONSTRAINT "PK_e88c46e9720e5169f9c20faef39"`);
    await queryRunner.query(`DROP INDEX "IDX_f0a25e152ec337c6b9c4a6a685"`);
    await queryRunner.query(`DROP INDEX "IDX_f958a1bf8ffd32ec500eca9348"`);
    await queryRunner.query('CREATE TABLE "scan_events" (LIKE "scan_events_unpartitioned" INCLUDING DEFAULTS INCLUDING IDENTITY) PARTITION BY RANGE ("scanned_at")');
    await queryRunner.query(`ALTER TABLE "scan_events" ADD CONSTRAINT "PK_c28beb23ac61b374d0332ee08c2" PRIMARY KEY ("id", "scanned_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_f0a25e152ec337c6b9c4a6a685" ON "scan_events" ("batch_id", "scanned_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_f958a1bf8ffd32ec500eca9348" ON "scan_events" ("code", "scanned_at")`);
    await queryRunner.query('CREATE TABLE "scan_events_default" PARTITION OF "scan_events" DEFAULT');
    await queryRunner.query(ADD_MONTH);
    await queryRunner.query(MAINTAIN);
    await queryRunner.query(`SELECT scan_events_add_month(m) FROM (SELECT DISTINCT (date_trunc('month', scanned_at AT TIME ZONE 'Asia/Shanghai'))::date AS m FROM "scan_events_unpartitioned") months ORDER BY m`);
    await queryRunner.query('SELECT scan_events_maintain(3, 0)');
    await queryRunner.query('INSERT INTO "scan_events" SELECT * FROM "scan_events_unpartitioned"');
    await queryRunner.query(`SELECT setval(pg_get_serial_sequence('scan_events', 'id'), coalesce((SELECT max(id) FROM "scan_events"), 0) + 1, false)`);
    await queryRunner.query('DROP TABLE "scan_events_unpartitioned"');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Back to plain tables, rows kept.
    await queryRunner.query('DROP FUNCTION scan_events_maintain(integer, integer)');
    await queryRunner.query('DROP FUNCTION scan_events_add_month(date)');
    await queryRunner.query('ALTER TABLE "scan_events" RENAME TO "scan_events_partitioned"');
    await queryRunner.query(`ALTER TABLE "scan_events_partitioned" DROP CONSTRAINT "PK_c28beb23ac61b374d0332ee08c2"`);
    await queryRunner.query(`DROP INDEX "IDX_f0a25e152ec337c6b9c4a6a685"`);
    await queryRunner.query(`DROP INDEX "IDX_f958a1bf8ffd32ec500eca9348"`);
    await queryRunner.query('CREATE TABLE "scan_events" (LIKE "scan_events_partitioned" INCLUDING DEFAULTS INCLUDING IDENTITY)');
    await queryRunner.query('INSERT INTO "scan_events" SELECT * FROM "scan_events_partitioned"');
    await queryRunner.query(`SELECT setval(pg_get_serial_sequence('scan_events', 'id'), coalesce((SELECT max(id) FROM "scan_events"), 0) + 1, false)`);
    await queryRunner.query('DROP TABLE "scan_events_partitioned"');
    await queryRunner.query(`ALTER TABLE "scan_events" ADD CONSTRAINT "PK_e88c46e9720e5169f9c20faef39" PRIMARY KEY ("id")`);
    await queryRunner.query(`CREATE INDEX "IDX_f0a25e152ec337c6b9c4a6a685" ON "scan_events" ("batch_id", "scanned_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_f958a1bf8ffd32ec500eca9348" ON "scan_events" ("code", "scanned_at")`);

    const triggers = await queryRunner.query(
      `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'trace_codes'::regclass AND NOT tgisinternal AND tgparentid = 0 ORDER BY tgname`,
    ) as { def: string }[];
    await queryRunner.query('ALTER TABLE "trace_codes" RENAME TO "trace_codes_partitioned"');
    for (const name of ['indicator_capture_delete', 'indicator_capture_insert', 'indicator_capture_update']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${name} ON "trace_codes_partitioned"`);
    }
    await queryRunner.query('CREATE TABLE "trace_codes" (LIKE "trace_codes_partitioned" INCLUDING DEFAULTS)');
    await queryRunner.query('INSERT INTO "trace_codes" SELECT * FROM "trace_codes_partitioned"');
    await queryRunner.query('DROP TABLE "trace_codes_partitioned"');
    await queryRunner.query(`ALTER TABLE "trace_codes" ADD CONSTRAINT "PK_f388c00997a5fe7011a089c1fe5" PRIMARY KEY ("code")`);
    await queryRunner.query(`CREATE INDEX "IDX_1fc35b5e68a818aeb471704a60" ON "trace_codes" ("batch_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_8c79b8c8e3ed75cb85a303ff8c" ON "trace_codes" ("print_run_id", "serial")`);
    await queryRunner.query(`ALTER TABLE "trace_codes" ADD CONSTRAINT "FK_1fc35b5e68a818aeb471704a602" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trace_codes" ADD CONSTRAINT "FK_409ea93e2f1a0a28217cad59065" FOREIGN KEY ("print_run_id") REFERENCES "print_runs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    for (const { def } of triggers) await queryRunner.query(def);
  }
}
