import { INDICATORS } from './indicator-definitions';
import type { IndicatorSpec } from './indicator-query';
import { IndicatorKey } from './indicator-types';
import { isoFirstDay, Month } from './months';
import { descendantsPattern } from '../../../common/sql-like';

/**
 * SQL that reads month-grain sums for a spec: `(indicator, key, detail, month, n, d)` where `key` is the
 * split's value (child region, child category or organisation id) or '', and `detail` is the GI and
 * unit of gi_claimed rows (amounts in different units are never added up) or ''. One statement, so the
 * folded aggregates and the deltas not folded yet are read from the same snapshot.
 *
 * Two shapes: without an organisation the pre-summed rollup (every region and category level) plus
 * the pending deltas; with one (a filter or groupBy=organization) the per-organisation months (or,
 * with a category, cells) plus the pending deltas. Both are small reads: the rollup is keyed by the exact region and category asked for.
 */
export interface MonthRowsQuery {
  sql: string;
  params: unknown[];
}

const LEVEL = { province: 1, prefecture: 2, county: 3 } as const;

class Params {
  readonly values: unknown[] = [];
  private readonly named = new Map<string, string>();
  add(value: unknown): string {
    this.values.push(value);
    return Array.isArray(value) ? `$${this.values.length}::text[]` : `$${this.values.length}`;
  }
  /** A parameter added on first use only (PostgreSQL cannot type a parameter no clause uses). */
  once(name: string, value: unknown): string {
    let ref = this.named.get(name);
    if (!ref) this.named.set(name, (ref = this.add(value)));
    return ref;
  }
}

/** The prefix of every code inside a region (51 / 5101 / the county), as a range usable by a btree index. */
function codeRange(code: string): [string, string] {
  const prefix = code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
  return [prefix.padEnd(6, '0'), prefix.padEnd(6, '9')];
}

function categoryDepth(path: string): number {
  return path === '' ? 0 : path.split('>').length;
}

/** Indicators that have no category (their rows all sit at ''). */
function withoutCategory(spec: IndicatorSpec): IndicatorKey[] {
  return spec.indicators.filter((k) => !INDICATORS[k].dimensions.category);
}

/** Conditions and the split key over base-grain rows (cells or deltas, alias `x`). */
function baseGrain(spec: IndicatorSpec, p: Params, noCategory: () => string): { where: string[]; key: string } {
  const where: string[] = [];
  if (spec.region) {
    const [lo, hi] = codeRange(spec.region.code);
    where.push(`x.region_code BETWEEN ${p.add(lo)} AND ${p.add(hi)}`);
  }
  if (spec.organizationId) where.push(`x.organization_id = ${p.add(spec.organizationId)}`);
  if (spec.category) {
    where.push(`(x.indicator = ANY(${noCategory()}) OR x.category_path = ${p.add(spec.category)} OR x.category_path LIKE ${p.add(descendantsPattern(spec.category))})`);
  }
  let key = "''";
  if (spec.split === 'organization') key = 'x.organization_id';
  if (spec.split === 'region') {
    const level = spec.region ? LEVEL[spec.region.level] : 0;
    key = level === 0 ? "left(x.region_code, 2) || '0000'" : level === 1 ? "left(x.region_code, 4) || '00'" : 'x.region_code';
  }
  if (spec.split === 'category') {
    const depth = categoryDepth(spec.category);
    key = `CASE WHEN x.indicator = ANY(${noCategory()}) THEN '' ELSE array_to_string((string_to_array(x.category_path, '>'))[1:${depth + 1}], '>') END`;
  }
  return { where, key };
}

/** The queried category's own row (when `withSelf`) and its children, in the rollup. */
function categoryChildren(spec: IndicatorSpec, p: Params, withSelf: boolean): string {
  const depth = categoryDepth(spec.category);
  const children = spec.category
    ? `(x.category_depth = ${depth + 1} AND x.category_path LIKE ${p.add(descendantsPattern(spec.category))})`
    : 'x.category_depth = 1';
  return withSelf ? `(x.category_path = ${p.add(spec.category)} OR ${children})` : children;
}

/**
 * Split by category, the rollup gives the queried category's total; its children are taken off it
 * again, so that what stays under the category's own key is what was recorded at the category itself
 * (the same meaning the per-organisation reads give that key).
 */
function rollupChildrenTakenOff(spec: IndicatorSpec, p: Params, region: string[], indicators: string, months: string): string {
  return `SELECT x.indicator, ${p.add(spec.category)} AS key, x.detail, x.month, -x.numerator, -x.denominator FROM indicator_rollup x
     WHERE x.indicator = ANY(${indicators}) AND ${months}${region.map((w) => ` AND ${w}`).join('')} AND ${categoryChildren(spec, p, false)}`;
}

/** Conditions and the split key over the rollup (alias `x`). */
function rollup(spec: IndicatorSpec, p: Params, noCategory: () => string): { where: string[]; regionWhere: string[]; key: string } {
  const where: string[] = [];
  const level = spec.region ? LEVEL[spec.region.level] : 0;
  let key = "''";
  if (spec.split === 'region') {
    where.push(`x.region_level = ${level + 1}`);
    if (spec.region) {
      const [lo, hi] = codeRange(spec.region.code);
      where.push(`x.region_code BETWEEN ${p.add(lo)} AND ${p.add(hi)}`);
    }
    key = 'x.region_code';
  } else if (spec.region) {
    where.push(`x.region_level = ${level}`, `x.region_code = ${p.add(spec.region.code)}`);
  } else {
    where.push('x.region_level = 1');
  }
  const categoryWhere: string[] = [];
  if (spec.split === 'category') {
    categoryWhere.push(`CASE WHEN x.indicator = ANY(${noCategory()}) THEN x.category_path = '' ELSE ${categoryChildren(spec, p, true)} END`);
    key = `CASE WHEN x.indicator = ANY(${noCategory()}) THEN '' ELSE x.category_path END`;
  } else if (spec.category) {
    // The IN list lets the (indicator, region_level, category_path, region_code, month) index narrow the read; the CASE picks per indicator.
    const category = p.add(spec.category);
    categoryWhere.push(`x.category_path IN ('', ${category})`, `x.category_path = CASE WHEN x.indicator = ANY(${noCategory()}) THEN '' ELSE ${category} END`);
  } else {
    categoryWhere.push(`x.category_path = ''`);
  }
  return { where: [...where, ...categoryWhere], regionWhere: where, key };
}

/** Where folded figures are read: the rollup, or per organisation by category only when a category is asked for. */
function foldedTable(spec: IndicatorSpec, perOrganization: boolean): string {
  if (!perOrganization) return 'indicator_rollup';
  return spec.category || spec.split === 'category' ? 'indicator_cells' : 'indicator_org_months';
}

/**
 * Each month as the end of its segment (the first of `ends` not before it). The months are our own
 * (validated YYYY-MM), so they are written as literals rather than as dozens of parameters.
 */
function segmentOf(column: string, ends: Month[]): string {
  if (!ends.every((m) => /^\d{4}-\d{2}$/.test(m))) throw new Error('segment ends must be YYYY-MM');
  return `CASE ${ends.map((m) => `WHEN ${column} <= DATE '${m}-01' THEN DATE '${m}-01'`).join(' ')} END`;
}

/**
 * Rows from `fetchFrom` to the window's end, summed into the segments ending at `ends` (see
 * segmentEnds); stock indicators (counted as of each period's end) from the beginning.
 */
export function monthRowsQuery(spec: IndicatorSpec, fetchFrom: Month, ends: Month[]): MonthRowsQuery {
  const p = new Params();
  const indicators = p.add(spec.indicators);
  const noCategory = () => p.once('noCategory', withoutCategory(spec));
  const stock = p.add(spec.indicators.filter((k) => INDICATORS[k].measure === 'stock'));
  const months = `x.month <= ${p.add(isoFirstDay(spec.to))} AND (x.indicator = ANY(${stock}) OR x.month >= ${p.add(isoFirstDay(fetchFrom))})`;
  const perOrganization = spec.organizationId !== null || spec.split === 'organization';
  const folded = perOrganization ? { ...baseGrain(spec, p, noCategory), regionWhere: [] } : rollup(spec, p, noCategory);
  const pending = perOrganization ? folded : baseGrain(spec, p, noCategory);
  const select = (table: string, part: { where: string[]; key: string }) =>
    `SELECT x.indicator, ${part.key} AS key, x.detail, x.month, x.numerator, x.denominator FROM ${table} x
     WHERE x.indicator = ANY(${indicators}) AND ${months}${part.where.map((w) => ` AND ${w}`).join('')}`;
  const parts = [select(foldedTable(spec, perOrganization), folded), select('indicator_deltas', pending)];
  if (!perOrganization && spec.split === 'category') {
    parts.push(rollupChildrenTakenOff(spec, p, folded.regionWhere, indicators, months));
  }
  // Grouped on the stored types first; text only for the few rows that come out.
  const sql = `SELECT g.indicator, g.key::text AS key, g.detail, to_char(g.segment, 'YYYY-MM') AS month,
      (g.n * 1000000)::numeric(40, 0)::text AS n, (g.d * 1000000)::numeric(40, 0)::text AS d
    FROM (SELECT u.indicator, u.key, u.detail, ${segmentOf('u.month', ends)} AS segment, sum(u.numerator) AS n, sum(u.denominator) AS d
          FROM (${parts.join('\n                UNION ALL\n                ')}) u
          GROUP BY 1, 2, 3, 4) g`;
  return { sql, params: p.values };
}
