/**
 * Brute-force answers for bench/indicators.ts: each indicator counted straight from the source tables
 * (samples, batches, certificates, print runs, trace codes, products, organisations, GI claims), with
 * none of the aggregates, so the bench proves the fast answers are the right ones.
 *
 * The definitions follow DOMAIN.md §6 and the rules the IndicatorAggregates migration states: samples
 * by collection month (China time), rechecks counted through the sample they recheck, no_limit counted
 * as qualified; batch indicators by production month at the batch's site; certificate issuance over
 * mandatory categories (food_categories.certificate_required, the seeded reference data) of
 * organisations other than individual farmers; stock indicators (GTIN, USCC) as of the window's end,
 * products at their owner's region; USCC over organisations other than farmers and regulators.
 */
import { Client } from 'pg';

export interface Scope {
  /** GB/T 2260 code, or null for everything. */
  region: string | null;
  category: string;
  from: string;
  to: string;
}

export interface Figure {
  numerator: number;
  denominator: number;
  /** gi_claimed: the GI id and base unit. */
  detail?: string;
}

export function regionPrefix(code: string | null): string {
  if (!code) return '';
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** $1 region prefix, $2 category ('' = all), $3 first month (date), $4 last month (date). */
const IN_CATEGORY = (column: string) => `($2 = '' OR ${column} = $2 OR ${column} LIKE $2 || '>%')`;
const MONTH = (expr: string) => `date_trunc('month', ${expr})::date BETWEEN $3::date AND $4::date`;

const SAMPLES = (stream: string) => `
  SELECT count(*) FILTER (WHERE verdict <> 'fail') AS n, count(*) AS d FROM samples
  WHERE stream = '${stream}' AND status = 'judged' AND verdict IS NOT NULL AND recheck_of IS NULL
    AND region_code LIKE $1 || '%' AND ${IN_CATEGORY('category_path')}
    AND ${MONTH("coalesce(collected_at AT TIME ZONE 'Asia/Shanghai', judged_on)")}`;

const BATCHES = (select: string, where = 'true') => `
  SELECT ${select} FROM batches b JOIN products p ON p.id = b.product_id JOIN organizations o ON o.id = b.organization_id
  WHERE b.region_code LIKE $1 || '%' AND ${IN_CATEGORY('p.category_path')} AND ${MONTH('b.produced_on')} AND ${where}`;

const SQL: Record<string, string> = {
  routine_monitoring: SAMPLES('routine_monitoring'),
  food_sampling: SAMPLES('supervisory_sampling'),
  certificate_issuance: BATCHES(
    `count(*) FILTER (WHERE EXISTS (SELECT 1 FROM certificates c WHERE c.batch_id = b.id AND c.status = 'valid')) AS n, count(*) AS d`,
    `o.kind <> 'individual' AND (SELECT certificate_required FROM food_categories f WHERE f.path = p.category_path)`,
  ),
  trace_code_coverage: BATCHES('count(*) FILTER (WHERE b.trace_code IS NOT NULL) AS n, count(*) AS d'),
  label_scan_rate: BATCHES(`
    coalesce(sum((SELECT count(*) FROM trace_codes t WHERE t.batch_id = b.id AND t.print_run_id IS NOT NULL AND t.first_scanned_at IS NOT NULL)), 0) AS n,
    coalesce(sum((SELECT coalesce(sum(r.count), 0) FROM print_runs r WHERE r.batch_id = b.id)), 0) AS d`),
  gtin_coverage: `
    SELECT count(*) FILTER (WHERE p.gtin IS NOT NULL) AS n, count(*) AS d FROM products p JOIN organizations o ON o.id = p.organization_id
    WHERE o.region_code LIKE $1 || '%' AND ${IN_CATEGORY('p.category_path')}
      AND date_trunc('month', p.created_at AT TIME ZONE 'Asia/Shanghai')::date <= $4::date AND $3::date IS NOT NULL`,
  uscc_coverage: `
    SELECT count(*) FILTER (WHERE uscc_status = 'valid') AS n, count(*) AS d FROM organizations
    WHERE kind NOT IN ('individual', 'regulator') AND region_code LIKE $1 || '%' AND $2::text IS NOT NULL
      AND date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai')::date <= $4::date AND $3::date IS NOT NULL`,
  gi_claimed: `
    SELECT c.gi_id || '|' || c.base_unit AS detail, sum(c.base_amount) AS n, count(*) AS d
    FROM gi_claims c JOIN batches b ON b.id = c.batch_id JOIN products p ON p.id = b.product_id
    WHERE c.region_code LIKE $1 || '%' AND ${IN_CATEGORY('p.category_path')} AND ${MONTH('c.produced_on')}
    GROUP BY 1`,
};

/** The window's figures for one indicator (gi_claimed: one per GI and unit), counted from the source tables. */
export async function bruteForce(db: Client, indicator: string, scope: Scope): Promise<Figure[]> {
  const rows = (await db.query(SQL[indicator], [regionPrefix(scope.region), scope.category, `${scope.from}-01`, `${scope.to}-01`])).rows as
    { n: string; d: string; detail?: string }[];
  return rows.map((r) => ({ numerator: Number(r.n), denominator: Number(r.d), ...(r.detail ? { detail: r.detail } : {}) }));
}
