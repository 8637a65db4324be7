import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Indicator aggregates (issue 6). Besides the three tables, this migration installs statement-level
 * triggers that append to indicator_deltas whatever a statement changed in a source table, in that
 * statement's transaction, and backfills the deltas from the rows already there. Each trigger compares
 * the facts its rows contributed before (old_rows, counted negative) and after (new_rows); updates that
 * change no fact cancel out and write nothing. The projections are snapshotted here, not imported, so
 * this migration stays as it ran; a change of definition needs a new migration that re-creates the
 * functions and rebuilds the aggregates.
 */

/** Columns of an indicator_deltas row, in insert order. */
const DELTA_COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';

interface Capture {
  table: string;
  key: string;
  /** Columns whose change can change a fact (an UPDATE touching none of them writes nothing). */
  watched: string[];
  /** SELECTs over `changed` (the source rows with a `sign` of +1 / -1) giving DELTA_COLUMNS, already signed. */
  projection: string;
}

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

function captureFunction(capture: Capture, before = ''): string {
  return `CREATE OR REPLACE FUNCTION indicator_capture_${capture.table}() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    ${before}
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

function captureTriggers(table: string): string[] {
  const fn = `indicator_capture_${table}()`;
  return [
    `CREATE TRIGGER indicator_capture_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
    `CREATE TRIGGER indicator_capture_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
    `CREATE TRIGGER indicator_capture_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
  ];
}

/** Month of a day or an instant, in China time. */
const HELPERS = [
  `CREATE OR REPLACE FUNCTION indicator_month(day date) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT date_trunc('month', day)::date $$`,
  `CREATE OR REPLACE FUNCTION indicator_month(at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT date_trunc('month', at AT TIME ZONE 'Asia/Shanghai')::date $$`,
  // Must match CERTIFICATE_ROOTS (src/modules/categories/domain/category-path.ts); a test compares them.
  `CREATE OR REPLACE FUNCTION indicator_certificate_required(path text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
     SELECT path = ANY (ARRAY['蔬菜', '水果', '饮料类>茶叶', '肉类', '禽蛋', '水产品'])
         OR path LIKE ANY (ARRAY['蔬菜>%', '水果>%', '饮料类>茶叶>%', '肉类>%', '禽蛋>%', '水产品>%']) $$`,
];

/** Samples: 例行监测 and 监督抽查 pass rates. A recheck counts through the sample it rechecks (whose verdict it replaces). */
const SAMPLES: Capture = {
  table: 'samples', key: 'id',
  watched: ['status', 'verdict', 'stream', 'recheck_of', 'organization_id', 'region_code', 'category_path', 'collected_at', 'judged_on'],
  projection: `SELECT CASE c.stream WHEN 'routine_monitoring' THEN 'routine_monitoring' ELSE 'food_sampling' END, '', c.organization_id, c.region_code,
      c.category_path, coalesce(indicator_month(c.collected_at), indicator_month(c.judged_on)), c.sign * (c.verdict <> 'fail')::int, c.sign
    FROM changed c
    WHERE c.status = 'judged' AND c.verdict IS NOT NULL AND c.recheck_of IS NULL AND c.stream IN ('routine_monitoring', 'supervisory_sampling')`,
};

/**
 * The facts of batches `b` (trace code, certificate-rate denominator and numerator, labels printed and
 * scanned), signed by `sign`, in category `category`: `rows` is the FROM clause giving them.
 */
function batchFacts(rows: string, sign: string, category: string): string {
  return `
    SELECT 'trace_code_coverage', '', b.organization_id, b.region_code, ${category}, indicator_month(b.produced_on),
      ${sign} * (b.trace_code IS NOT NULL)::int, ${sign}
    FROM ${rows}
    UNION ALL
    SELECT 'certificate_issuance', '', b.organization_id, b.region_code, ${category}, indicator_month(b.produced_on),
      ${sign} * (EXISTS (SELECT 1 FROM certificates x WHERE x.batch_id = b.id AND x.status = 'valid'))::int, ${sign}
    FROM ${rows} JOIN organizations o ON o.id = b.organization_id
    WHERE o.kind <> 'individual' AND indicator_certificate_required(${category})
    UNION ALL
    SELECT 'label_scan_rate', '', b.organization_id, b.region_code, ${category}, indicator_month(b.produced_on),
      ${sign} * (SELECT count(*) FROM trace_codes t WHERE t.batch_id = b.id AND t.print_run_id IS NOT NULL AND t.first_scanned_at IS NOT NULL),
      ${sign} * (SELECT coalesce(sum(r.count), 0) FROM print_runs r WHERE r.batch_id = b.id)
    FROM ${rows}`;
}

/** Batches: trace-code coverage, the certificate-rate denominator, and (when a batch moves) its labels. */
const BATCHES: Capture = {
  table: 'batches', key: 'id', watched: ['organization_id', 'product_id', 'region_code', 'produced_on', 'trace_code'],
  projection: batchFacts('changed b JOIN products p ON p.id = b.product_id', 'b.sign', 'p.category_path'),
};

/**
 * Certificates: a batch counts once however many valid certificates it has, so the projection looks at
 * each touched batch's count of valid certificates after the statement and before it (after minus
 * what the statement added plus what it removed). The trigger first locks those batches so two
 * transactions issuing for the same batch count one after the other.
 */
const CERTIFICATES: Capture = {
  table: 'certificates', key: 'id', watched: ['status', 'batch_id'],
  projection: `SELECT 'certificate_issuance', '', b.organization_id, b.region_code, p.category_path, indicator_month(b.produced_on),
      (v.after > 0)::int - (v.after - v.change > 0)::int, 0
    FROM (SELECT ch.batch_id, ch.change, (SELECT count(*) FROM certificates x WHERE x.batch_id = ch.batch_id AND x.status = 'valid') AS after
          FROM (SELECT batch_id, sum(sign * (status = 'valid')::int) AS change FROM changed GROUP BY batch_id) ch WHERE ch.change <> 0) v
    JOIN batches b ON b.id = v.batch_id JOIN products p ON p.id = b.product_id JOIN organizations o ON o.id = b.organization_id
    WHERE o.kind <> 'individual' AND indicator_certificate_required(p.category_path)`,
};
const LOCK_CERTIFICATE_BATCHES = (op: string) => `PERFORM 1 FROM batches WHERE id IN (SELECT batch_id FROM ${op}) ORDER BY id FOR NO KEY UPDATE;`;

const PRINT_RUNS: Capture = {
  table: 'print_runs', key: 'id', watched: ['batch_id', 'count'],
  projection: `SELECT 'label_scan_rate', '', b.organization_id, b.region_code, p.category_path, indicator_month(b.produced_on), 0, c.sign * c.count
    FROM changed c JOIN batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id`,
};

const TRACE_CODES: Capture = {
  table: 'trace_codes', key: 'code', watched: ['batch_id', 'print_run_id', 'first_scanned_at'],
  projection: `SELECT 'label_scan_rate', '', b.organization_id, b.region_code, p.category_path, indicator_month(b.produced_on), c.sign, 0
    FROM changed c JOIN batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id
    WHERE c.print_run_id IS NOT NULL AND c.first_scanned_at IS NOT NULL`,
};

/**
 * Products: GTIN coverage, at the owner's region, counted from the month the product was registered.
 * A product's category is also its batches' (and their GI claims') category: when it changes, their
 * facts move from the old category (old row, negative) to the new one.
 */
const PRODUCTS: Capture = {
  table: 'products', key: 'id', watched: ['organization_id', 'category_path', 'gtin', 'created_at'],
  projection: `SELECT 'gtin_coverage', '', c.organization_id, o.region_code, c.category_path, indicator_month(c.created_at), c.sign * (c.gtin IS NOT NULL)::int, c.sign
    FROM changed c JOIN organizations o ON o.id = c.organization_id
    UNION ALL${batchFacts('changed c JOIN batches b ON b.product_id = c.id', 'c.sign', 'c.category_path')}
    UNION ALL
    SELECT 'gi_claimed', g.gi_id || '|' || g.base_unit, g.organization_id, g.region_code, c.category_path, indicator_month(g.produced_on),
      c.sign * g.base_amount, c.sign
    FROM changed c JOIN batches b ON b.product_id = c.id JOIN gi_claims g ON g.batch_id = b.id`,
};

/** Organisations: USCC coverage; individual farmers (no USCC by nature) and regulators are left out. */
const ORGANIZATIONS: Capture = {
  table: 'organizations', key: 'id', watched: ['kind', 'uscc_status', 'region_code', 'created_at'],
  projection: `SELECT 'uscc_coverage', '', c.id, c.region_code, '', indicator_month(c.created_at), c.sign * (c.uscc_status = 'valid')::int, c.sign
    FROM changed c WHERE c.kind NOT IN ('individual', 'regulator')`,
};

/** GI claims: claimed amounts (base unit) and claims, per GI and unit. */
const GI_CLAIMS: Capture = {
  table: 'gi_claims', key: 'id', watched: ['gi_id', 'batch_id', 'organization_id', 'region_code', 'produced_on', 'base_amount', 'base_unit'],
  projection: `SELECT 'gi_claimed', c.gi_id || '|' || c.base_unit, c.organization_id, c.region_code, p.category_path, indicator_month(c.produced_on),
      c.sign * c.base_amount, c.sign
    FROM changed c JOIN batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id`,
};

const CAPTURES = [SAMPLES, BATCHES, CERTIFICATES, PRINT_RUNS, TRACE_CODES, PRODUCTS, ORGANIZATIONS, GI_CLAIMS];

/** For the backfill: a product's own facts (its batches' are replayed from the batches). */
const PRODUCTS_OWN: Capture = { ...PRODUCTS, projection: PRODUCTS.projection.slice(0, PRODUCTS.projection.indexOf('UNION ALL')) };

function installCaptures(): string[] {
  return CAPTURES.flatMap((capture) => {
    const fn = capture === CERTIFICATES
      ? captureFunction(capture, `IF TG_OP = 'DELETE' THEN ${LOCK_CERTIFICATE_BATCHES('old_rows')} ELSE ${LOCK_CERTIFICATE_BATCHES('new_rows')} END IF;`)
      : captureFunction(capture);
    return [fn, ...captureTriggers(capture.table)];
  });
}

/**
 * The rows already there, as deltas (the fold job then builds cells and rollup from them). A batch's
 * facts already count its certificates and labels, so those captures are not replayed, nor the
 * product capture's share for its batches.
 */
function backfill(): string[] {
  return [SAMPLES, BATCHES, PRODUCTS_OWN, ORGANIZATIONS, GI_CLAIMS].map((capture) =>
    `WITH changed AS (SELECT 1 AS sign, n.* FROM ${capture.table} n), facts (${DELTA_COLUMNS}) AS (${capture.projection})
     INSERT INTO indicator_deltas (${DELTA_COLUMNS})
     SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
     FROM facts GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`);
}


export class IndicatorAggregates1795764154461 implements MigrationInterface {
  name = 'IndicatorAggregates1795764154461';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "indicator_deltas" ("id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL, "indicator" character varying(24) NOT NULL, "detail" character varying(60) NOT NULL DEFAULT '', "organization_id" uuid NOT NULL, "region_code" character(6) NOT NULL, "category_path" character varying(200) NOT NULL DEFAULT '', "month" date NOT NULL, "numerator" numeric(24,6) NOT NULL, "denominator" numeric(24,6) NOT NULL, CONSTRAINT "PK_be63a0fcc914ed03ebfafb1adcc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "indicator_cells" ("indicator" character varying(24) NOT NULL, "region_code" character(6) NOT NULL, "organization_id" uuid NOT NULL, "detail" character varying(60) NOT NULL, "category_path" character varying(200) NOT NULL, "month" date NOT NULL, "numerator" numeric(24,6) NOT NULL, "denominator" numeric(24,6) NOT NULL, CONSTRAINT "PK_123142142503a87fe54cdeb0fbe" PRIMARY KEY ("indicator", "region_code", "organization_id", "detail", "category_path", "month"))`);
    await queryRunner.query(`CREATE INDEX "IDX_c25167d5fd5001f783666d5788" ON "indicator_cells"  ("organization_id", "indicator") `);
    await queryRunner.query(`CREATE TABLE "indicator_org_months" ("indicator" character varying(24) NOT NULL, "region_code" character(6) NOT NULL, "organization_id" uuid NOT NULL, "detail" character varying(60) NOT NULL, "month" date NOT NULL, "numerator" numeric(24,6) NOT NULL, "denominator" numeric(24,6) NOT NULL, CONSTRAINT "PK_7861179c5c57e04b91c707c96cd" PRIMARY KEY ("indicator", "region_code", "organization_id", "detail", "month"))`);
    await queryRunner.query(`CREATE INDEX "IDX_27e1e4f602d0834c519b49dd4b" ON "indicator_org_months"  ("organization_id", "indicator") `);
    await queryRunner.query(`CREATE TABLE "indicator_rollup" ("indicator" character varying(24) NOT NULL, "region_level" smallint NOT NULL, "region_code" character(6) NOT NULL, "category_path" character varying(200) NOT NULL, "month" date NOT NULL, "detail" character varying(60) NOT NULL, "category_depth" smallint NOT NULL, "numerator" numeric(24,6) NOT NULL, "denominator" numeric(24,6) NOT NULL, CONSTRAINT "PK_b2b8868edb4a9363b3ca78eba46" PRIMARY KEY ("indicator", "region_level", "region_code", "category_path", "month", "detail"))`);
    await queryRunner.query(`CREATE INDEX "IDX_264c5830c5ee19778e112d1ff7" ON "indicator_rollup"  ("indicator", "region_level", "category_path", "region_code", "month") `);
    // Deltas churn (appended by writers, deleted by every fold): vacuum them often, whatever the table's size.
    await queryRunner.query('ALTER TABLE indicator_deltas SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000)');
    for (const sql of [...HELPERS, ...installCaptures(), ...backfill()]) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table } of CAPTURES) {
      for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER indicator_capture_${op} ON ${table}`);
      await queryRunner.query(`DROP FUNCTION indicator_capture_${table}()`);
    }
    await queryRunner.query('DROP FUNCTION indicator_certificate_required(text)');
    await queryRunner.query('DROP FUNCTION indicator_month(date)');
    await queryRunner.query('DROP FUNCTION indicator_month(timestamptz)');
    await queryRunner.query(`DROP INDEX "public"."IDX_264c5830c5ee19778e112d1ff7"`);
    await queryRunner.query(`DROP TABLE "indicator_rollup"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c25167d5fd5001f783666d5788"`);
    await queryRunner.query(`DROP TABLE "indicator_cells"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_27e1e4f602d0834c519b49dd4b"`);
    await queryRunner.query(`DROP TABLE "indicator_org_months"`);
    await queryRunner.query(`DROP TABLE "indicator_deltas"`);
  }
}
