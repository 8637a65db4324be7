import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * input_record_coverage, redefined (issue 16): of the batches in the categories that need a
 * 承诺达标合格证 (food_categories.certificate_required, derived from certificate_scope_rules: data a
 * regulator changes), of organisations other than individual farmers — the batches certificate_issuance
 * counts, whose certificate now rests on farm records — those with at least one application record
 * behind them (a gate record of the batch naming applications) ÷ all of them. By the product's category
 * (the indicator gains the category breakdown) and the batch's production month.
 *
 * Before: every batch of an enterprise or a cooperative, whatever its category, without a category.
 * The old facts are taken back and the new ones written (one statement each); the batch and gate-record
 * triggers are replaced, and a trigger on products moves a product's batches when its category changes.
 * A flip of a category's certificate flag moves them in the categories module's refresh, as for
 * certificate_issuance. Snapshotted here, so this migration stays as it ran.
 */

const DELTA_COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';
const OLD_KEEPERS = "('enterprise', 'cooperative')";

/** A batch `b` with product `p` and organisation `o` is in the denominator. */
const COUNTED = "o.kind <> 'individual' AND indicator_certificate_required(p.category_path)";
const HAS_RECORDS = (batch: string) => `EXISTS (SELECT 1 FROM phi_gate_records g WHERE g.batch_id = ${batch} AND cardinality(g.application_ids) > 0)`;

interface Capture {
  table: string;
  key: string;
  watched: string[];
  projection: string;
}

const BATCHES: Capture = {
  table: 'batches', key: 'id', watched: ['organization_id', 'product_id', 'region_code', 'produced_on'],
  projection: `SELECT 'input_record_coverage', '', b.organization_id, b.region_code, p.category_path, indicator_month(b.produced_on),
      b.sign * (${HAS_RECORDS('b.id')})::int, b.sign
    FROM changed b JOIN products p ON p.id = b.product_id JOIN organizations o ON o.id = b.organization_id WHERE ${COUNTED}`,
};

const GATE_RECORDS: Capture = {
  table: 'phi_gate_records', key: 'id', watched: ['outcome', 'batch_id', 'organization_id', 'region_code', 'category_path', 'harvested_on', 'application_ids'],
  projection: `SELECT 'phi_violations', '', c.organization_id, c.region_code, c.category_path, indicator_month(c.harvested_on),
      c.sign * (c.outcome IN ('refused', 'overridden'))::int, c.sign
    FROM changed c
    UNION ALL
    SELECT 'input_record_coverage', '', b.organization_id, b.region_code, p.category_path, indicator_month(b.produced_on), c.sign, 0
    FROM changed c JOIN batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id JOIN organizations o ON o.id = b.organization_id
    WHERE ${COUNTED} AND cardinality(c.application_ids) > 0
      AND NOT EXISTS (SELECT 1 FROM phi_gate_records g WHERE g.batch_id = c.batch_id AND g.id <> c.id AND cardinality(g.application_ids) > 0)`,
};

/** A product whose category changes takes its batches' coverage facts from the old category to the new one. */
const PRODUCTS: Capture = {
  table: 'products', key: 'id', watched: ['category_path', 'organization_id'],
  projection: `SELECT 'input_record_coverage', '', b.organization_id, b.region_code, c.category_path, indicator_month(b.produced_on),
      c.sign * (${HAS_RECORDS('b.id')})::int, c.sign
    FROM changed c JOIN batches b ON b.product_id = c.id JOIN organizations o ON o.id = b.organization_id
    WHERE o.kind <> 'individual' AND indicator_certificate_required(c.category_path)`,
};

/** The previous definitions (FarmInputIndicators), for `down`. */
const OLD_BATCHES: Capture = {
  table: 'batches', key: 'id', watched: ['organization_id', 'region_code', 'produced_on'],
  projection: `SELECT 'input_record_coverage', '', b.organization_id, b.region_code, '', indicator_month(b.produced_on),
      b.sign * (${HAS_RECORDS('b.id')})::int, b.sign
    FROM changed b JOIN organizations o ON o.id = b.organization_id WHERE o.kind IN ${OLD_KEEPERS}`,
};

const OLD_GATE_RECORDS: Capture = {
  ...GATE_RECORDS,
  projection: `SELECT 'phi_violations', '', c.organization_id, c.region_code, c.category_path, indicator_month(c.harvested_on),
      c.sign * (c.outcome IN ('refused', 'overridden'))::int, c.sign
    FROM changed c
    UNION ALL
    SELECT 'input_record_coverage', '', b.organization_id, b.region_code, '', indicator_month(b.produced_on), c.sign, 0
    FROM changed c JOIN batches b ON b.id = c.batch_id JOIN organizations o ON o.id = b.organization_id
    WHERE o.kind IN ${OLD_KEEPERS} AND cardinality(c.application_ids) > 0
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

function replaceFunction(capture: Capture): string {
  return `CREATE OR REPLACE FUNCTION ${fn(capture)}() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
    $fn$`;
}

/** Every batch's coverage fact under a definition, signed (`-1` takes it back). */
function restate(sign: 1 | -1, projection: string): string {
  return `WITH changed AS (SELECT ${sign} AS sign, n.* FROM batches n), facts (${DELTA_COLUMNS}) AS (${projection})
    INSERT INTO indicator_deltas (${DELTA_COLUMNS})
    SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
    FROM facts GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;
}

export class InputRecordCoverageCategories1796432523317 implements MigrationInterface {
  name = 'InputRecordCoverageCategories1796432523317';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Writers of batches, products and gate records run the triggers being replaced: none between the restatement and the new triggers.
    await queryRunner.query('LOCK TABLE batches, products, phi_gate_records IN SHARE MODE');
    await queryRunner.query(restate(-1, OLD_BATCHES.projection));
    await queryRunner.query(replaceFunction(BATCHES));
    await queryRunner.query(replaceFunction(GATE_RECORDS));
    await queryRunner.query(replaceFunction(PRODUCTS));
    await queryRunner.query(`CREATE TRIGGER farm_input_capture_update AFTER UPDATE ON products REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${fn(PRODUCTS)}()`);
    await queryRunner.query(restate(1, BATCHES.projection));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('LOCK TABLE batches, products, phi_gate_records IN SHARE MODE');
    await queryRunner.query(restate(-1, BATCHES.projection));
    await queryRunner.query('DROP TRIGGER farm_input_capture_update ON products');
    await queryRunner.query(`DROP FUNCTION ${fn(PRODUCTS)}()`);
    await queryRunner.query(replaceFunction(OLD_BATCHES));
    await queryRunner.query(replaceFunction(OLD_GATE_RECORDS));
    await queryRunner.query(restate(1, OLD_BATCHES.projection));
  }
}
