import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Indicators of markets and online listings (issue 18): market_entry_verified_rate (entries whose
 * admitted lots all came in on a valid certificate or trace code), market_entry_refusals (lots refused
 * at the gate ÷ lots checked, at the origin's county: refusals per origin) and listing_certified_rate
 * (listings whose current batches all have a valid certificate; a stock). Indicator keys grow past 24
 * characters. Capture triggers as in IndicatorAggregates (snapshotted here, not imported).
 */

const DELTA_COLUMNS = 'indicator, detail, organization_id, region_code, category_path, month, numerator, denominator';

interface Capture {
  table: string;
  watched: string[];
  projection: string;
}

const CAPTURES: Capture[] = [
  {
    table: 'market_entries', watched: ['organization_id', 'region_code', 'entered_on', 'verified'],
    projection: `SELECT 'market_entry_verified_rate', '', c.organization_id, c.region_code, '', indicator_month(c.entered_on), c.sign * c.verified::int, c.sign
      FROM changed c`,
  },
  {
    table: 'market_entry_items', watched: ['organization_id', 'origin_region_code', 'category_path', 'entered_on', 'outcome'],
    projection: `SELECT 'market_entry_refusals', '', c.organization_id, c.origin_region_code, c.category_path, indicator_month(c.entered_on),
        c.sign * (c.outcome = 'refused')::int, c.sign
      FROM changed c WHERE c.origin_region_code IS NOT NULL`,
  },
  {
    table: 'listings', watched: ['organization_id', 'region_code', 'category_path', 'created_at', 'certified'],
    projection: `SELECT 'listing_certified_rate', '', c.organization_id, c.region_code, c.category_path, indicator_month(c.created_at), c.sign * c.certified::int, c.sign
      FROM changed c`,
  },
];

function changedRows(op: 'INSERT' | 'UPDATE' | 'DELETE', capture: Capture): string {
  if (op === 'INSERT') return 'SELECT 1 AS sign, n.* FROM new_rows n';
  if (op === 'DELETE') return 'SELECT -1 AS sign, o.* FROM old_rows o';
  const differs = `(${capture.watched.map((c) => `n.${c}`).join(', ')}) IS DISTINCT FROM (${capture.watched.map((c) => `o.${c}`).join(', ')})`;
  return `SELECT 1 AS sign, n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE ${differs}
      UNION ALL
      SELECT -1 AS sign, o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ${differs}`;
}

function statement(op: 'INSERT' | 'UPDATE' | 'DELETE', capture: Capture): string {
  return `WITH changed AS (${changedRows(op, capture)}), facts (${DELTA_COLUMNS}) AS (${capture.projection})
    INSERT INTO indicator_deltas (${DELTA_COLUMNS})
    SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
    FROM facts GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`;
}

function install(capture: Capture): string[] {
  const fn = `indicator_capture_${capture.table}()`;
  return [
    `CREATE OR REPLACE FUNCTION ${fn} RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    IF TG_OP = 'INSERT' THEN ${statement('INSERT', capture)};
    ELSIF TG_OP = 'UPDATE' THEN ${statement('UPDATE', capture)};
    ELSE ${statement('DELETE', capture)};
    END IF;
    RETURN NULL;
  END
  $fn$`,
    `CREATE TRIGGER indicator_capture_insert AFTER INSERT ON ${capture.table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
    `CREATE TRIGGER indicator_capture_update AFTER UPDATE ON ${capture.table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
    `CREATE TRIGGER indicator_capture_delete AFTER DELETE ON ${capture.table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
    // Rows already there (none on a fresh install) count from now.
    `WITH changed AS (SELECT 1 AS sign, n.* FROM ${capture.table} n), facts (${DELTA_COLUMNS}) AS (${capture.projection})
     INSERT INTO indicator_deltas (${DELTA_COLUMNS})
     SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator), sum(denominator)
     FROM facts GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(numerator) <> 0 OR sum(denominator) <> 0`,
  ];
}

const TABLES = ['indicator_deltas', 'indicator_cells', 'indicator_org_months', 'indicator_rollup'];

export class MarketIndicators1796423248058 implements MigrationInterface {
  name = 'MarketIndicators1796423248058';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "indicator" TYPE character varying(40)`);
    for (const capture of CAPTURES) for (const sql of install(capture)) await queryRunner.query(sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const capture of CAPTURES) {
      for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS indicator_capture_${op} ON ${capture.table}`);
      await queryRunner.query(`DROP FUNCTION IF EXISTS indicator_capture_${capture.table}()`);
    }
    await queryRunner.query(`DELETE FROM indicator_deltas WHERE indicator IN ('market_entry_verified_rate', 'market_entry_refusals', 'listing_certified_rate')`);
    for (const table of ['indicator_cells', 'indicator_org_months', 'indicator_rollup']) {
      await queryRunner.query(`DELETE FROM "${table}" WHERE indicator IN ('market_entry_verified_rate', 'market_entry_refusals', 'listing_certified_rate')`);
    }
    for (const table of TABLES) await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "indicator" TYPE character varying(24)`);
  }
}
