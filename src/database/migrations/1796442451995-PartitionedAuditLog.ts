import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Issue 21: audit_log becomes a partitioned table, by calendar month (China time) of `at` — the
 * time the audited change was made (audit_log_yYYYYmMM, plus audit_log_default) — converted in
 * place without losing a row (one transaction: rename, create the partitioned table with the same
 * columns, indexes and names, copy, drop the old one). An entry is written when it is sealed,
 * moments after its change, so inserts go to the current month, made ahead by the partitions job
 * (month_partitions_make, migration PartitionedEpcisEvents); old months are closed tables.
 *
 * The key becomes (seq, at), as a partitioned table's keys must hold its partition key. seq stays
 * unique across months by construction: its only writers (audit_seal(), and insertChained in
 * audit-log.ts) number entries tail + 1, tail + 2, … under the chain's advisory lock, and the
 * verification walks the chain by seq (a duplicate or a gap fails it). The hash chain, the
 * checkpoints and audit_seal() are unchanged: they read and write audit_log by name.
 */
const INDEXES: [string, string][] = [
  ['IDX_08e9b4cd10971ba146b6c5bf4d', '("subject_type", "subject_id")'],
  ['IDX_ba27cef5b8b2b1a756e06ebcc5', '("at")'],
  ['IDX_daaa7e49ccecba84176d6674e9', '("organization_id", "seq")'],
  ['IDX_daca2506dffb08b319ae97f561', '("region_code", "seq")'],
];

export class PartitionedAuditLog1796442451995 implements MigrationInterface {
  name = 'PartitionedAuditLog1796442451995';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_log" RENAME TO "audit_log_unpartitioned"');
    await queryRunner.query('ALTER TABLE "audit_log_unpartitioned" DROP CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e"');
    for (const [name] of INDEXES) await queryRunner.query(`DROP INDEX "${name}"`);
    await queryRunner.query('CREATE TABLE "audit_log" (LIKE "audit_log_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("at")');
    await queryRunner.query('ALTER TABLE "audit_log" ADD CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq", "at")');
    for (const [name, columns] of INDEXES) await queryRunner.query(`CREATE INDEX "${name}" ON "audit_log" ${columns}`);
    await queryRunner.query('CREATE TABLE "audit_log_default" PARTITION OF "audit_log" DEFAULT');
    await queryRunner.query(`SELECT month_partition_add('audit_log', 'at', m) FROM (SELECT DISTINCT (date_trunc('month', "at" AT TIME ZONE 'Asia/Shanghai'))::date AS m FROM "audit_log_unpartitioned") months ORDER BY m`);
    await queryRunner.query(`SELECT month_partitions_make('audit_log', 'at', 3, now())`);
    await queryRunner.query('INSERT INTO "audit_log" SELECT * FROM "audit_log_unpartitioned"');
    await queryRunner.query('DROP TABLE "audit_log_unpartitioned"');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "audit_log" RENAME TO "audit_log_partitioned"');
    await queryRunner.query('ALTER TABLE "audit_log_partitioned" DROP CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e"');
    for (const [name] of INDEXES) await queryRunner.query(`DROP INDEX "${name}"`);
    await queryRunner.query('CREATE TABLE "audit_log" (LIKE "audit_log_partitioned" INCLUDING DEFAULTS)');
    await queryRunner.query('INSERT INTO "audit_log" SELECT * FROM "audit_log_partitioned"');
    await queryRunner.query('DROP TABLE "audit_log_partitioned"');
    await queryRunner.query('ALTER TABLE "audit_log" ADD CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq")');
    for (const [name, columns] of INDEXES) await queryRunner.query(`CREATE INDEX "${name}" ON "audit_log" ${columns}`);
  }
}
