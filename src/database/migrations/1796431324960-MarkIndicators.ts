import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Indicators of the quality marks (issue 17 item 6), counted like the others (IndicatorAggregates):
 * statement-level triggers append to indicator_deltas what each statement changed, and the rows
 * already there are backfilled. Snapshotted here (unit factors included), so this migration stays
 * as it ran. `detail` is the scheme (green_food, organic, regional_brand, gi), with the base unit
 * where amounts are counted: amounts in different units are never added up.
 *
 * - quality_mark_products (三品一标): a stock. Numerator: the products covered by a valid mark as of
 *   each month's end — a record counts from the month it becomes valid (+) to the month of the day
 *   after its last valid day, or of its revocation (−), with the products it covers (its listed
 *   products, at least 1; a GI is one product). Denominator: the products of every record that has
 *   become valid by then, expired and revoked ones included (the rate: how much is still valid).
 *   Quality marks count at their holder (organisation and
 *   region); GI records, which no platform organisation holds, at the region their protected area
 *   lies in, under the nil organisation id. 有机转换 is no mark a product carries: left out.
 * - mark_quantity_share: batch quantity claiming each scheme ÷ all batch quantity in the same base
 *   unit (by the batch's organisation, region, category and production month). A batch that claims
 *   two marks of one scheme counts once.
 * - mark_claim_refusals: refused claims ÷ claim attempts (accepted claims and refusals), per scheme.
 */

const DELTA_COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';
const NIL = "'00000000-0000-0000-0000-000000000000'::uuid";
const SCHEMES = "ARRAY['green_food', 'organic', 'regional_brand', 'gi']";

interface Capture {
  table: string;
  watched: string[];
  projection: string;
}

/** libs/quantity's units as of this migration: masses in kg, a counted unit is its own base. */
const BASE_UNIT = (unit: string) => `(CASE WHEN ${unit} IN ('kg', 'g', 't', '斤') THEN 'kg' ELSE ${unit} END)`;
const BASE_AMOUNT = (value: string, unit: string) =>
  `(${value} * CASE ${unit} WHEN 'g' THEN 0.001 WHEN 't' THEN 1000 WHEN '斤' THEN 0.5 ELSE 1 END)`;

/** The first day a record no longer counts: the day after its last valid day, or its revocation; null: open. */
const MARK_END = "least(c.valid_to + 1, CASE WHEN c.status = 'revoked' THEN c.revoked_on END)";
const MARK_PRODUCTS = 'greatest(1, jsonb_array_length(c.product_ids) + jsonb_array_length(c.product_names))';

const MARK_RECORDS: Capture = {
  table: 'mark_records',
  watched: ['scheme', 'holder_organization_id', 'holder_region_code', 'valid_from', 'valid_to', 'status', 'revoked_on', 'product_ids', 'product_names'],
  projection: `SELECT 'quality_mark_products', c.scheme, coalesce(c.holder_organization_id, ${NIL}), c.holder_region_code, '', indicator_month(c.valid_from),
        c.sign * ${MARK_PRODUCTS}, c.sign * ${MARK_PRODUCTS}
      FROM changed c WHERE c.scheme <> 'organic_conversion' AND (${MARK_END} IS NULL OR ${MARK_END} > c.valid_from)
    UNION ALL
    SELECT 'quality_mark_products', c.scheme, coalesce(c.holder_organization_id, ${NIL}), c.holder_region_code, '', indicator_month(${MARK_END}),
        -c.sign * ${MARK_PRODUCTS}, 0
      FROM changed c WHERE c.scheme <> 'organic_conversion' AND ${MARK_END} > c.valid_from`,
};

/** A GI counts from its announcement (else from when it was recorded) to its revocation. */
const GI_START = "coalesce(c.announced_on, (c.created_at AT TIME ZONE 'Asia/Shanghai')::date)";
const GI_END = "CASE WHEN c.status = 'revoked' THEN c.revoked_on END";
/** The region a protected area lies in: its one code, else the prefecture or province all its codes share. */
const GI_REGION = `(SELECT CASE WHEN count(*) = 1 THEN min(a) WHEN min(left(a, 4)) = max(left(a, 4)) THEN min(left(a, 4)) || '00' ELSE min(left(a, 2)) || '0000' END
      FROM jsonb_array_elements_text(c.area_codes) a)`;

const GI_RECORDS: Capture = {
  table: 'gi_records',
  watched: ['area_codes', 'announced_on', 'created_at', 'status', 'revoked_on'],
  projection: `SELECT 'quality_mark_products', 'gi', ${NIL}, ${GI_REGION}, '', indicator_month(${GI_START}), c.sign, c.sign
      FROM changed c WHERE ${GI_END} IS NULL OR ${GI_END} > ${GI_START}
    UNION ALL
    SELECT 'quality_mark_products', 'gi', ${NIL}, ${GI_REGION}, '', indicator_month(${GI_END}), -c.sign, 0
      FROM changed c WHERE ${GI_END} > ${GI_START}`,
};

/** Every batch's quantity is the denominator of each scheme's share, in its base unit. */
const batchShares = (from: string, sign: string, category: string) => `
    SELECT 'mark_quantity_share', s.scheme || '|' || ${BASE_UNIT('b.quantity_unit')}, b.organization_id, b.region_code, ${category},
        indicator_month(b.produced_on), 0, ${sign} * ${BASE_AMOUNT('b.quantity_value', 'b.quantity_unit')}
      FROM ${from} CROSS JOIN unnest(${SCHEMES}) s(scheme)`;

/** Mark claims: each batch's quantity once per scheme it claims, and one attempt per claim. */
const markClaimFacts = (from: string, sign: string, category: string) => `
    SELECT DISTINCT ON (m.batch_id, m.scheme) 'mark_quantity_share', m.scheme || '|' || m.base_unit, m.organization_id, m.region_code, ${category},
        indicator_month(m.claimed_on), ${sign} * m.base_amount, 0
      FROM ${from}`;

const BATCHES: Capture = {
  table: 'batches',
  watched: ['organization_id', 'region_code', 'produced_on', 'quantity_value', 'quantity_unit', 'product_id'],
  projection: batchShares('changed b JOIN products p ON p.id = b.product_id', 'b.sign', 'p.category_path'),
};

const MARK_CLAIMS: Capture = {
  table: 'mark_claims',
  watched: ['batch_id', 'mark_id', 'scheme', 'organization_id', 'region_code', 'claimed_on', 'base_amount', 'base_unit'],
  projection: `${markClaimFacts('changed m JOIN batches b ON b.id = m.batch_id JOIN products p ON p.id = b.product_id', 'm.sign', 'p.category_path')}
    UNION ALL
    SELECT 'mark_claim_refusals', c.scheme, c.organization_id, c.region_code, '', indicator_month(c.claimed_on), 0, c.sign FROM changed c`,
};

const GI_CLAIMS: Capture = {
  table: 'gi_claims',
  watched: ['batch_id', 'organization_id', 'region_code', 'produced_on', 'base_amount', 'base_unit'],
  projection: `SELECT 'mark_quantity_share', 'gi|' || c.base_unit, c.organization_id, c.region_code, p.category_path, indicator_month(c.produced_on), c.sign * c.base_amount, 0
      FROM changed c JOIN batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id
    UNION ALL
    SELECT 'mark_claim_refusals', 'gi', c.organization_id, c.region_code, '', indicator_month(c.produced_on), 0, c.sign FROM changed c`,
};

const MARK_REFUSALS: Capture = {
  table: 'mark_claim_refusals',
  watched: ['scheme', 'organization_id', 'region_code', 'claimed_on'],
  projection: `SELECT 'mark_claim_refusals', c.scheme, c.organization_id, c.region_code, '', indicator_month(c.claimed_on), c.sign, c.sign FROM changed c`,
};

const GI_REFUSALS: Capture = {
  table: 'gi_claim_refusals',
  watched: ['organization_id', 'region_code', 'produced_on'],
  projection: `SELECT 'mark_claim_refusals', 'gi', c.organization_id, c.region_code, '', indicator_month(c.produced_on), c.sign, c.sign FROM changed c`,
};

/** A product's category is its batches' (and their claims'): when it changes, their shares move. */
const PRODUCTS: Capture = {
  table: 'products',
  watched: ['category_path'],
  projection: `${batchShares('changed c JOIN batches b ON b.product_id = c.id', 'c.sign', 'c.category_path')}
    UNION ALL${markClaimFacts('changed c JOIN batches b ON b.product_id = c.id JOIN mark_claims m ON m.batch_id = b.id', 'c.sign', 'c.category_path')}
    UNION ALL
    SELECT 'mark_quantity_share', 'gi|' || g.base_unit, g.organization_id, g.region_code, c.category_path, indicator_month(g.produced_on), c.sign * g.base_amount, 0
      FROM changed c JOIN batches b ON b.product_id = c.id JOIN gi_claims g ON g.batch_id = b.id`,
};

const CAPTURES = [MARK_RECORDS, GI_RECORDS, BATCHES, MARK_CLAIMS, GI_CLAIMS, MARK_REFUSALS, GI_REFUSALS, PRODUCTS];

function changedRows(op: 'INSERT' | 'UPDATE' | 'DELETE', capture: Capture): string {
  if (op === 'INSERT') return 'SELECT 1 AS sign, n.* FROM new_rows n';
  if (op === 'DELETE') return 'SELECT -1 AS sign, o.* FROM old_rows o';
  const differs = `(${capture.watched.map((c) => `n.${c}`).join(', ')}) IS DISTINCT FROM (${capture.watched.map((c) => `o.${c}`).join(', ')})`;
  return `SELECT 1 AS sign, n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ${differs}
      UNION ALL
      SELECT -1 AS sign, o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${differs}`;
}

function statement(changed: string, capture: Capture): string {
  return `WITH changed AS (${changed}), facts (${DELTA_COLUMNS}) AS (${capture.projection})
    INSERT INTO indicator_deltas (${DELTA_COLUMNS})
    SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
    FROM facts GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;
}

const fn = (capture: Capture) => `mark_indicator_capture_${capture.table}`;

function install(capture: Capture): string[] {
  return [
    `CREATE OR REPLACE FUNCTION ${fn(capture)}() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN ${statement(changedRows('INSERT', capture), capture)};
    ELSIF TG_OP = 'UPDATE' THEN ${statement(changedRows('UPDATE', capture), capture)};
    ELSE ${statement(changedRows('DELETE', capture), capture)};
    END IF;
    RETURN NULL;
  END
  $fn$`,
    `CREATE TRIGGER mark_indicator_capture_insert AFTER INSERT ON ${capture.table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn(capture)}()`,
    `CREATE TRIGGER mark_indicator_capture_update AFTER UPDATE ON ${capture.table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn(capture)}()`,
    `CREATE TRIGGER mark_indicator_capture_delete AFTER DELETE ON ${capture.table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn(capture)}()`,
  ];
}

/** The rows already there (a product's category is replayed through its batches and claims, not again). */
const BACKFILL = CAPTURES.filter((c) => c !== PRODUCTS).map((capture) => statement(`SELECT 1 AS sign, n.* FROM ${capture.table} n`, capture));

const INDICATORS = "('quality_mark_products', 'mark_quantity_share', 'mark_claim_refusals')";

export class MarkIndicators1796431324960 implements MigrationInterface {
  name = 'MarkIndicators1796431324960';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [...CAPTURES.flatMap(install), ...BACKFILL]) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const capture of CAPTURES) {
      for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS mark_indicator_capture_${op} ON ${capture.table}`);
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${fn(capture)}()`);
    }
    await queryRunner.query(`DELETE FROM indicator_deltas WHERE indicator IN ${INDICATORS}`);
    for (const table of ['indicator_cells', 'indicator_org_months', 'indicator_rollup']) {
      await queryRunner.query(`DELETE FROM "${table}" WHERE indicator IN ${INDICATORS}`);
    }
  }
}
