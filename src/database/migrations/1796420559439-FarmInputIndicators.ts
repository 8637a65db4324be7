import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The farm-input indicators (issue 16), counted like the others (IndicatorAggregates): statement-level
 * triggers append to indicator_deltas what each statement changed, and the rows already there are
 * backfilled. Snapshotted here, so this migration stays as it ran.
 *
 * - low_risk_pesticide_share: recorded pesticide applications with a low-risk input ÷ recorded
 *   pesticide applications (by the application's crop, site region and month).
 * - organic_fertiliser_share: the same for organic fertiliser among fertiliser applications.
 * - input_record_coverage: batches of organisations the law obliges to keep production records
 *   (农产品生产企业 and 农民专业合作社: kinds enterprise and cooperative) whose harvest the farm
 *   records concern (a gate record with applications) ÷ those batches. No category: the law's
 *   obligation does not depend on it.
 * - phi_violations: gate judgements refused or passed by a regulator's override ÷ gate judgements
 *   on batches the records concern (by the gate record's crop, region and harvest month).
 */

const DELTA_COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';
const RECORD_KEEPERS = "('enterprise', 'cooperative')";

interface Capture {
  table: string;
  key: string;
  watched: string[];
  projection: string;
}

const APPLICATIONS: Capture = {
  table: 'input_applications', key: 'id',
  watched: ['status', 'input_kind', 'low_risk', 'organic', 'organization_id', 'region_code', 'crop_category', 'applied_on'],
  projection: `SELECT CASE c.input_kind WHEN 'pesticide' THEN 'low_risk_pesticide_share' ELSE 'organic_fertiliser_share' END, '', c.organization_id, c.region_code,
      c.crop_category, indicator_month(c.applied_on), c.sign * (CASE c.input_kind WHEN 'pesticide' THEN c.low_risk ELSE c.organic END)::int, c.sign
    FROM changed c WHERE c.status = 'recorded' AND c.input_kind IN ('pesticide', 'fertiliser')`,
};

/** A batch's coverage fact; the numerator asks whether its gate found records. */
const BATCHES: Capture = {
  table: 'batches', key: 'id', watched: ['organization_id', 'region_code', 'produced_on'],
  projection: `SELECT 'input_record_coverage', '', b.organization_id, b.region_code, '', indicator_month(b.produced_on),
      b.sign * (EXISTS (SELECT 1 FROM phi_gate_records g WHERE g.batch_id = b.id AND cardinality(g.application_ids) > 0))::int, b.sign
    FROM changed b JOIN organizations o ON o.id = b.organization_id WHERE o.kind IN ${RECORD_KEEPERS}`,
};

/** Gate records: violations, and the coverage numerator of the batch they belong to (written after the batch). */
const GATE_RECORDS: Capture = {
  table: 'phi_gate_records', key: 'id', watched: ['outcome', 'batch_id', 'organization_id', 'region_code', 'category_path', 'harvested_on', 'application_ids'],
  projection: `SELECT 'phi_violations', '', c.organization_id, c.region_code, c.category_path, indicator_month(c.harvested_on),
      c.sign * (c.outcome IN ('refused', 'overridden'))::int, c.sign
    FROM changed c
    UNION ALL
    SELECT 'input_record_coverage', '', b.organization_id, b.region_code, '', indicator_month(b.produced_on), c.sign, 0
    FROM changed c JOIN batches b ON b.id = c.batch_id JOIN organizations o ON o.id = b.organization_id
    WHERE o.kind IN ${RECORD_KEEPERS} AND cardinality(c.application_ids) > 0
      AND NOT EXISTS (SELECT 1 FROM phi_gate_records g WHERE g.batch_id = c.batch_id AND g.id <> c.id AND cardinality(g.application_ids) > 0)`,
};

function changedRows(op: 'INSERT' | 'UPDATE' | 'DELETE', capture: Capture): string {
  if (op === 'INSERT') return 'SELECT 1 AS sign, n.* FROM new_rows n';
  if (op === 'DELETE') return 'SELECT -1 AS sign, o.* FROM old_rows o';
  const differs = `(${capture.watched.map((c) => `n.${c}`).join(', ')}) IS DISTINCT FROM (${capture.watched.map((c) => `o.${c}`).join(', ')})`;
  return `SELECT 1 AS sign, n.* FROM new_rows n JOIN old_rows o ON o.${capture.key} = n.${capture.key} WHERE ${differs}
      UNION ALL
      SELECT -1 AS sign, o.* FROM old_rows o JOIN new_rows n ON n.${capture.key} = o.${capture.key} WHERE ${differs}`;
}

function captureStatement(op: 'INSERT' | 'UPDATE' | 'DELETE', capture: Capture): string {
  return `WITH changed AS (${changedRows(op, capture)}),
    facts (${DELTA_COLUMNS}) AS (${capture.projection})
    INSERT INTO indicator_deltas (${DELTA_COLUMNS})
    SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
    FROM facts GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;
}

const fn = (capture: Capture) => `farm_input_capture_${capture.table}`;

function install(capture: Capture): string[] {
  const name = fn(capture);
  return [
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        ${captureStatement('INSERT', capture)};
      ELSIF TG_OP = 'UPDATE' THEN
        ${captureStatement('UPDATE', capture)};
      ELSE
        ${captureStatement('DELETE', capture)};
      END IF;
      RETURN NULL;
    END
    $fn$`,
    `CREATE TRIGGER farm_input_capture_insert AFTER INSERT ON ${capture.table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
    `CREATE TRIGGER farm_input_capture_update AFTER UPDATE ON ${capture.table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
    `CREATE TRIGGER farm_input_capture_delete AFTER DELETE ON ${capture.table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
  ];
}

const CAPTURES = [APPLICATIONS, BATCHES, GATE_RECORDS];

/** Existing batches enter the coverage denominator (the new tables are empty). */
const BACKFILL = `WITH changed AS (SELECT 1 AS sign, n.* FROM batches n), facts (${DELTA_COLUMNS}) AS (${BATCHES.projection})
  INSERT INTO indicator_deltas (${DELTA_COLUMNS})
  SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
  FROM facts GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;

export class FarmInputIndicators1796420559439 implements MigrationInterface {
  name = 'FarmInputIndicators1796420559439';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [...CAPTURES.flatMap(install), BACKFILL]) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const capture of CAPTURES) {
      for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER farm_input_capture_${op} ON ${capture.table}`);
      await queryRunner.query(`DROP FUNCTION ${fn(capture)}()`);
    }
    await queryRunner.query(`DELETE FROM indicator_deltas WHERE indicator IN ('low_risk_pesticide_share', 'organic_fertiliser_share', 'input_record_coverage', 'phi_violations')`);
  }
}
