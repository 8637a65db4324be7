import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Issue 21: epcis_events becomes a partitioned table, converted in place without losing a row
 * (one transaction: rename, create the partitioned table with the same columns, indexes and names,
 * copy, drop the old one).
 *
 * Partition key: record_time, by calendar month in China time (epcis_events_yYYYYmMM, plus
 * epcis_events_default). record_time is the platform's own clock at insert (EPCIS recordTime):
 * every insert lands in the current month, which the partitions job has made months ahead, so the
 * default partition stays empty in practice, and an old month is a closed, never-written table
 * (archivable, droppable one day). event_time comes from the capturing client and may be years in
 * the past or in the future: keyed on it, captures of historic events would scatter into old months
 * or the default partition and every capture could write any partition. Queries by event time
 * still use each partition's (event_time, id) index, without pruning.
 *
 * What a partitioned table cannot enforce (unique keys must hold the partition key) moves to a
 * narrow plain table, epcis_event_ids (id, event_id, recorded_by, record_time):
 * - the unique eventID per recorder (and once for the null recorder) are its unique indexes; the
 *   insert writes the key row and the event row in one statement (EventsService.insertRows), and a
 *   key that already exists skips its event (ON CONFLICT DO NOTHING, as before);
 * - shipments (ship_event_id, receive_event_id) and lot_links (event_id) reference its id — the
 *   simplest correct foreign key: no extra column on the referencing tables (a composite FK would
 *   need the event's record_time copied into each), no trigger to maintain;
 * - epcis_events (id, record_time) references epcis_event_ids (id, record_time): with its key
 *   (id, record_time) this makes each key row own exactly one event row and each event row's id
 *   unique across months.
 *
 * month_partition_add(parent, column, month) / month_partitions_make(parent, column, ahead, today)
 * are the scan_events functions made general (the scan-partitions job calls them for epcis_events).
 */
const MONTH_PARTITION_ADD = `
CREATE FUNCTION month_partition_add(parent text, key_column text, month_start date) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  first date := date_trunc('month', month_start)::date;
  part text := format('%s_y%sm%s', parent, to_char(first, 'YYYY'), to_char(first, 'MM'));
  lower_bound timestamptz := first::timestamp AT TIME ZONE 'Asia/Shanghai';
  upper_bound timestamptz := (first + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai';
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, parent);
  -- Rows of that month that landed in the default partition move to their own (attaching checks
  -- that the default partition holds none of the new range).
  EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
    parent || '_default', key_column, lower_bound, key_column, upper_bound, part);
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lower_bound, upper_bound);
  RETURN part;
END
$$`;

const MONTH_PARTITIONS_MAKE = `
CREATE FUNCTION month_partitions_make(parent text, key_column text, months_ahead integer, today timestamptz) RETURNS text[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  this_month date := date_trunc('month', coalesce(today, now()) AT TIME ZONE 'Asia/Shanghai')::date;
  created text[] := '{}';
  made text;
BEGIN
  -- One maintainer of a table at a time across the cluster (every worker may run the job).
  PERFORM pg_advisory_xact_lock(hashtext('month_partitions_make:' || parent));
  FOR i IN 0 .. greatest(months_ahead, 0) LOOP
    made := month_partition_add(parent, key_column, (this_month + make_interval(months => i))::date);
    IF made IS NOT NULL THEN
      created := created || made;
    END IF;
  END LOOP;
  RETURN created;
END
$$`;

const EVENT_INDEXES: [string, string][] = [
  ['IDX_5fbf25c9022f7d6c7d06b8f6e3', '("biz_location")'],
  ['IDX_8c1b8d9db539a0f1bf9a388b39', '("biz_step")'],
  ['ix_epcis_events_batch_ids', 'USING gin ("batch_ids")'],
  ['ix_epcis_events_epc_classes', 'USING gin ("epc_classes")'],
  ['ix_epcis_events_epcs', 'USING gin ("epcs")'],
  ['ix_epcis_events_org_ids', 'USING gin ("organization_ids")'],
  ['ix_epcis_events_time', '("event_time", "id")'],
];

/** The foreign keys that referenced epcis_events (id) and now reference epcis_event_ids (id). */
const REFERENCES: [table: string, name: string, column: string][] = [
  ['lot_links', 'FK_dc1e0fea8e43d627ad5778c47e7', 'event_id'],
  ['shipments', 'FK_88e44f43393443dce382195d1d1', 'ship_event_id'],
  ['shipments', 'FK_b8b3ce159e3b91753ed165bb9d9', 'receive_event_id'],
];

export class PartitionedEpcisEvents1796441177466 implements MigrationInterface {
  name = 'PartitionedEpcisEvents1796441177466';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The key table, filled from the events on record.
    await queryRunner.query(`CREATE TABLE "epcis_event_ids" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" character varying(300) NOT NULL, "recorded_by" uuid, "record_time" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_epcis_event_ids_id_time" UNIQUE ("id", "record_time"), CONSTRAINT "PK_468b7ffba03bcefcb920efc966f" PRIMARY KEY ("id"))`);
    await queryRunner.query('INSERT INTO "epcis_event_ids" ("id", "event_id", "recorded_by", "record_time") SELECT "id", "event_id", "recorded_by", "record_time" FROM "epcis_events"');
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_epcis_event_ids_event_unrecorded" ON "epcis_event_ids"  ("event_id") WHERE "recorded_by" IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_epcis_event_ids_event_recorder" ON "epcis_event_ids"  ("event_id", "recorded_by") `);
    await queryRunner.query(`ALTER TABLE "epcis_event_ids" ADD CONSTRAINT "FK_e298f15d7c4657ae3a2b880b09a" FOREIGN KEY ("recorded_by") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    for (const [table, name, column] of REFERENCES) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("${column}") REFERENCES "epcis_event_ids"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }

    // epcis_events by month of record_time.
    await queryRunner.query('ALTER TABLE "epcis_events" RENAME TO "epcis_events_unpartitioned"');
    await queryRunner.query('ALTER TABLE "epcis_events_unpartitioned" DROP CONSTRAINT "PK_49692f89b0bb70dfaa59d028b45"');
    await queryRunner.query('ALTER TABLE "epcis_events_unpartitioned" DROP CONSTRAINT "FK_38ae45efaaa47fc26d6704002ab"');
    for (const [name] of EVENT_INDEXES) await queryRunner.query(`DROP INDEX "${name}"`);
    await queryRunner.query('DROP INDEX "ux_epcis_events_event_recorder"');
    await queryRunner.query('DROP INDEX "ux_epcis_events_event_unrecorded"');
    await queryRunner.query('CREATE TABLE "epcis_events" (LIKE "epcis_events_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("record_time")');
    await queryRunner.query('ALTER TABLE "epcis_events" ADD CONSTRAINT "PK_49692f89b0bb70dfaa59d028b45" PRIMARY KEY ("id", "record_time")');
    for (const [name, columns] of EVENT_INDEXES) await queryRunner.query(`CREATE INDEX "${name}" ON "epcis_events" ${columns}`);
    // eventID look-ups (a correction meeting its event, the query's one-result-per-event rule).
    await queryRunner.query('CREATE INDEX "ix_epcis_events_event_id" ON "epcis_events" ("event_id")');
    await queryRunner.query(`ALTER TABLE "epcis_events" ADD CONSTRAINT "FK_38ae45efaaa47fc26d6704002ab" FOREIGN KEY ("recorded_by") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "epcis_events" ADD CONSTRAINT "fk_epcis_events_key" FOREIGN KEY ("id", "record_time") REFERENCES "epcis_event_ids"("id", "record_time") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query('CREATE TABLE "epcis_events_default" PARTITION OF "epcis_events" DEFAULT');
    await queryRunner.query(MONTH_PARTITION_ADD);
    await queryRunner.query(MONTH_PARTITIONS_MAKE);
    await queryRunner.query(`SELECT month_partition_add('epcis_events', 'record_time', m) FROM (SELECT DISTINCT (date_trunc('month', record_time AT TIME ZONE 'Asia/Shanghai'))::date AS m FROM "epcis_events_unpartitioned") months ORDER BY m`);
    await queryRunner.query(`SELECT month_partitions_make('epcis_events', 'record_time', 3, now())`);
    await queryRunner.query('INSERT INTO "epcis_events" SELECT * FROM "epcis_events_unpartitioned"');
    await queryRunner.query('DROP TABLE "epcis_events_unpartitioned"');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Back to a plain table holding its own unique keys, rows kept.
    await queryRunner.query('DROP FUNCTION month_partitions_make(text, text, integer, timestamptz)');
    await queryRunner.query('DROP FUNCTION month_partition_add(text, text, date)');
    await queryRunner.query('ALTER TABLE "epcis_events" RENAME TO "epcis_events_partitioned"');
    await queryRunner.query('ALTER TABLE "epcis_events_partitioned" DROP CONSTRAINT "fk_epcis_events_key"');
    await queryRunner.query('ALTER TABLE "epcis_events_partitioned" DROP CONSTRAINT "FK_38ae45efaaa47fc26d6704002ab"');
    await queryRunner.query('ALTER TABLE "epcis_events_partitioned" DROP CONSTRAINT "PK_49692f89b0bb70dfaa59d028b45"');
    for (const [name] of EVENT_INDEXES) await queryRunner.query(`DROP INDEX "${name}"`);
    await queryRunner.query('DROP INDEX "ix_epcis_events_event_id"');
    await queryRunner.query('CREATE TABLE "epcis_events" (LIKE "epcis_events_partitioned" INCLUDING DEFAULTS)');
    await queryRunner.query('INSERT INTO "epcis_events" SELECT * FROM "epcis_events_partitioned"');
    await queryRunner.query('DROP TABLE "epcis_events_partitioned"');
    await queryRunner.query('ALTER TABLE "epcis_events" ADD CONSTRAINT "PK_49692f89b0bb70dfaa59d028b45" PRIMARY KEY ("id")');
    for (const [name, columns] of EVENT_INDEXES) await queryRunner.query(`CREATE INDEX "${name}" ON "epcis_events" ${columns}`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_epcis_events_event_unrecorded" ON "epcis_events"  ("event_id") WHERE "recorded_by" IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_epcis_events_event_recorder" ON "epcis_events"  ("event_id", "recorded_by") `);
    await queryRunner.query(`ALTER TABLE "epcis_events" ADD CONSTRAINT "FK_38ae45efaaa47fc26d6704002ab" FOREIGN KEY ("recorded_by") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    for (const [table, name, column] of REFERENCES) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("${column}") REFERENCES "epcis_events"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }
    await queryRunner.query('DROP TABLE "epcis_event_ids"');
  }
}
