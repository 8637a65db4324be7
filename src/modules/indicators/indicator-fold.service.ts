import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Moves pending deltas into the per-organisation cells and months and the rollup, in one statement
 * per batch of deltas: delete them, add them to the cells and (all categories together) the
 * organisation months, expand each to its three region levels and every ancestor category, add those
 * to the rollup. One folder at a time (a transaction-level advisory
 * lock), so folds never deadlock on the rollup's hot rows; writers only ever append deltas.
 *
 * The batch is an id range (the oldest `$1` ids), not `id IN (subquery)`: the deltas table swings
 * from empty to a million rows between statistics updates, and with stale statistics PostgreSQL
 * planned the IN as a nested loop that ran for minutes. A range is an index scan whatever the
 * statistics say. Rows of transactions still open are invisible here and wait for the next fold.
 */
const FOLD_SQL = `
WITH moved AS (
  DELETE FROM indicator_deltas
  WHERE id <= coalesce((SELECT id FROM indicator_deltas ORDER BY id OFFSET $1 - 1 LIMIT 1), (SELECT max(id) FROM indicator_deltas))
  RETURNING indicator, detail, organization_id, region_code, category_path, month, numerator, denominator
), grouped AS (
  SELECT indicator, detail, organization_id, region_code, category_path, month, sum(numerator) AS n, sum(denominator) AS d
  FROM moved GROUP BY 1, 2, 3, 4, 5, 6
), cells AS (
  INSERT INTO indicator_cells AS t (indicator, region_code, organization_id, detail, category_path, month, numerator, denominator)
  SELECT indicator, region_code, organization_id, detail, category_path, month, n, d FROM grouped
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (indicator, region_code, organization_id, detail, category_path, month)
  DO UPDATE SET numerator = t.numerator + excluded.numerator, denominator = t.denominator + excluded.denominator
  RETURNING 1
), org_months AS (
  INSERT INTO indicator_org_months AS t (indicator, region_code, organization_id, detail, month, numerator, denominator)
  SELECT indicator, region_code, organization_id, detail, month, sum(n), sum(d) FROM grouped
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (indicator, region_code, organization_id, detail, month)
  DO UPDATE SET numerator = t.numerator + excluded.numerator, denominator = t.denominator + excluded.denominator
  RETURNING 1
), expanded AS (
  SELECT g.indicator, lv.level, lv.code, cat.path, cat.depth, g.month, g.detail, sum(g.n) AS n, sum(g.d) AS d
  FROM grouped g
  CROSS JOIN LATERAL (VALUES (1, left(g.region_code, 2) || '0000'), (2, left(g.region_code, 4) || '00'), (3, g.region_code::text)) AS lv(level, code)
  CROSS JOIN LATERAL (
    SELECT array_to_string(parts[1:k], '>') AS path, k AS depth
    FROM (SELECT string_to_array(g.category_path, '>') AS parts) s, generate_series(0, coalesce(cardinality(s.parts), 0)) AS k
  ) AS cat
  GROUP BY 1, 2, 3, 4, 5, 6, 7
), rolled AS (
  INSERT INTO indicator_rollup AS t (indicator, region_level, region_code, category_path, month, detail, category_depth, numerator, denominator)
  SELECT indicator, level, code, path, month, detail, depth, n, d FROM expanded
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (indicator, region_level, region_code, category_path, month, detail)
  DO UPDATE SET numerator = t.numerator + excluded.numerator, denominator = t.denominator + excluded.denominator
  RETURNING 1
)
SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT count(*) FROM cells)::int AS cells,
  (SELECT count(*) FROM org_months)::int AS org_months, (SELECT count(*) FROM rolled)::int AS rolled`;

const FOLD_BATCH = 50_000;
const VACUUM_AFTER = 5_000;

@Injectable()
export class IndicatorFoldService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Deltas waiting to be folded (every read adds them up, so a backlog costs reads, not correctness):
   * the id range, not count(*), so a scrape stays an index lookup however large the backlog.
   */
  async pending(): Promise<number> {
    const [row] = await this.dataSource.query('SELECT coalesce(max(id) - min(id) + 1, 0)::float8 AS n FROM indicator_deltas') as { n: number }[];
    return row.n;
  }

  /**
   * Folds up to `limit` deltas. With `wait: false` (the scheduler) it answers 0 at once when another
   * process is folding; with `wait: true` it queues behind it.
   */
  foldOnce(limit = FOLD_BATCH, wait = false): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      if (wait) {
        await manager.query("SELECT pg_advisory_xact_lock(hashtext('tianfu:indicator-fold'))");
      } else {
        const [{ locked }] = (await manager.query("SELECT pg_try_advisory_xact_lock(hashtext('tianfu:indicator-fold')) AS locked")) as { locked: boolean }[];
        if (!locked) return 0;
      }
      const [result] = (await manager.query(FOLD_SQL, [limit])) as { moved: number }[];
      return result.moved;
    });
  }

  /**
   * Folds until nothing is pending (or, without `wait`, another folder holds the lock); returns how
   * many moved. After a large fold the deltas table is vacuumed: every read scans it, and dead rows
   * would otherwise stay until autovacuum (which may be off, or slow to notice a small table).
   */
  async foldAll(limit = FOLD_BATCH, wait = false): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.foldOnce(limit, wait);
      total += moved;
      if (moved < limit) break;
    }
    if (total >= VACUUM_AFTER) await this.dataSource.query('VACUUM indicator_deltas');
    return total;
  }
}
