import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Disposals of failed products (issue 19) and the indicator disposal_rate: failed samples (first
 * samples judged fail; an accepted recheck writes its verdict onto the sample it rechecks) over the
 * denominator, those a disposal names over the numerator, in the month the pass rates use. Two
 * statement triggers feed indicator_deltas like the IndicatorAggregates ones: on samples (a sample
 * becoming or ceasing to be a standing failure) and on disposals (a sample becoming named by its
 * first disposal). Disposals of one batch are written under the batch's row lock, so two never race
 * to name the same sample first.
 */
const COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';
const MONTH = 'coalesce(indicator_month(s.collected_at), indicator_month(s.judged_on))';
const FAILED = "s.status = 'judged' AND s.verdict = 'fail' AND s.recheck_of IS NULL";
const WATCHED = ['status', 'verdict', 'recheck_of', 'organization_id', 'region_code', 'category_path', 'collected_at', 'judged_on'];

function sampleFacts(rows: string, sign: string): string {
  return `SELECT 'disposal_rate', '', s.organization_id, s.region_code, s.category_path, ${MONTH},
      ${sign} * (EXISTS (SELECT 1 FROM disposals d WHERE d.batch_id = s.batch_id AND s.id = ANY (d.sample_ids)))::int, ${sign}
    FROM ${rows} s WHERE ${FAILED}`;
}

function insertDeltas(facts: string): string {
  return `INSERT INTO indicator_deltas (${COLUMNS})
    SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
    FROM (${facts}) f (${COLUMNS}) GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;
}

const differs = `(${WATCHED.map((c) => `n.${c}`).join(', ')}) IS DISTINCT FROM (${WATCHED.map((c) => `o.${c}`).join(', ')})`;

const SAMPLES_FUNCTION = `CREATE OR REPLACE FUNCTION indicator_disposal_samples() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${insertDeltas(sampleFacts('new_rows', '1'))};
    ELSIF TG_OP = 'UPDATE' THEN
      ${insertDeltas(`${sampleFacts(`(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ${differs})`, '1')}
        UNION ALL ${sampleFacts(`(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${differs})`, '-1')}`)};
    ELSE
      ${insertDeltas(sampleFacts('old_rows', '-1'))};
    END IF;
    RETURN NULL;
  END
  $fn$`;

/** Samples named by the changed disposals and by no other disposal: their numerator moves by `sign`. */
function namedFacts(rows: string, sign: string): string {
  return `SELECT 'disposal_rate', '', s.organization_id, s.region_code, s.category_path, ${MONTH}, ${sign} * count(*), 0
    FROM samples s
    WHERE s.id IN (SELECT unnest(sample_ids) FROM ${rows}) AND ${FAILED}
      AND NOT EXISTS (SELECT 1 FROM disposals d WHERE s.id = ANY (d.sample_ids) AND d.id NOT IN (SELECT id FROM ${rows}))
    GROUP BY 1, 2, 3, 4, 5, 6`;
}

const DISPOSALS_FUNCTION = `CREATE OR REPLACE FUNCTION indicator_disposal_disposals() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      ${insertDeltas(namedFacts('new_rows', '1'))};
    ELSE
      ${insertDeltas(namedFacts('old_rows', '-1'))};
    END IF;
    RETURN NULL;
  END
  $fn$`;

const TRIGGERS = [
  'CREATE TRIGGER indicator_disposal_insert AFTER INSERT ON samples REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_disposal_samples()',
  'CREATE TRIGGER indicator_disposal_update AFTER UPDATE ON samples REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_disposal_samples()',
  'CREATE TRIGGER indicator_disposal_delete AFTER DELETE ON samples REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_disposal_samples()',
  'CREATE TRIGGER indicator_disposal_insert AFTER INSERT ON disposals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_disposal_disposals()',
  'CREATE TRIGGER indicator_disposal_delete AFTER DELETE ON disposals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_disposal_disposals()',
];

export class Disposals1796424159620 implements MigrationInterface {
  name = 'Disposals1796424159620';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "disposals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "batch_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "sample_ids" uuid array NOT NULL, "method" character varying(10) NOT NULL, "quantity_value" numeric(15,3) NOT NULL, "quantity_unit" character varying(4) NOT NULL, "disposed_on" date NOT NULL, "witness" character varying(100) NOT NULL, "note" character varying(500) NOT NULL DEFAULT '', "evidence" jsonb NOT NULL DEFAULT '[]', "recorded_by_organization_id" uuid, "recorded_by_role" character varying(20) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_18889d3bd924d5c44f1a67b1052" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_29e6792b4749670368ec18c315" ON "disposals"  ("batch_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_767acb97c55ecb00277e040c33" ON "disposals"  ("region_code", "disposed_on") `);
    await queryRunner.query(`ALTER TABLE "disposals" ADD CONSTRAINT "FK_29e6792b4749670368ec18c3152" FOREIGN KEY ("batch_id") REFERENCES "batches"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "disposals" ADD CONSTRAINT "FK_8edb769e5e1abeb975af727fb8b" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "disposals" ADD CONSTRAINT "FK_2e809b096633b90f9413d83362b" FOREIGN KEY ("recorded_by_organization_id") REFERENCES "organizations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query('LOCK TABLE samples IN SHARE MODE');
    for (const sql of [SAMPLES_FUNCTION, DISPOSALS_FUNCTION, ...TRIGGERS]) await queryRunner.query(sql);
    // Failures judged before this migration: the denominator (none is disposed yet).
    await queryRunner.query(insertDeltas(sampleFacts('samples', '1')));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER indicator_disposal_${op} ON samples`);
    for (const op of ['insert', 'delete']) await queryRunner.query(`DROP TRIGGER indicator_disposal_${op} ON disposals`);
    await queryRunner.query('DROP FUNCTION indicator_disposal_samples()');
    await queryRunner.query('DROP FUNCTION indicator_disposal_disposals()');
    await queryRunner.query(`ALTER TABLE "disposals" DROP CONSTRAINT "FK_2e809b096633b90f9413d83362b"`);
    await queryRunner.query(`ALTER TABLE "disposals" DROP CONSTRAINT "FK_8edb769e5e1abeb975af727fb8b"`);
    await queryRunner.query(`ALTER TABLE "disposals" DROP CONSTRAINT "FK_29e6792b4749670368ec18c3152"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_767acb97c55ecb00277e040c33"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_29e6792b4749670368ec18c315"`);
    await queryRunner.query(`DROP TABLE "disposals"`);
  }
}
