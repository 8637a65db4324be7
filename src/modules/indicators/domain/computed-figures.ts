import { INDICATORS } from './indicator-definitions';
import type { Figure } from './indicator-figures';
import { buckets } from './indicator-figures';
import type { IndicatorSpec } from './indicator-query';
import type { IndicatorKey } from './indicator-types';
import { Month, monthIndex } from './months';

/**
 * Indicators that cannot be kept as month sums of a numerator and a denominator, computed from the
 * records at query time (same periods, scope and drill-down as the others):
 * - consumer_report_reply_hours: the median hours from a report to the producer's first reply
 *   (numerator: replied reports, denominator: reports; the rate is the median, not n ÷ d);
 * - sampling_density_per_1000: samples taken in the period per 1,000 inhabitants of the region
 *   (numerator: samples, denominator: the population from the data table; a region without a
 *   population figure has no rate and is marked `populationMissing`, never 0).
 */
export const COMPUTED_INDICATORS = ['consumer_report_reply_hours', 'sampling_density_per_1000'] as const satisfies readonly IndicatorKey[];
export type ComputedIndicator = (typeof COMPUTED_INDICATORS)[number];

export function isComputed(key: IndicatorKey): key is ComputedIndicator {
  return (COMPUTED_INDICATORS as readonly string[]).includes(key);
}

/** What a feature hands over: one record per fact (a report with its reply hours, or a count of samples). */
export interface ComputedRecord {
  month: Month;
  regionCode: string;
  categoryPath: string;
  organizationId: string;
  /** Reply hours of a replied report (null: not replied); unused for counts. */
  value: number | null;
  /** How many facts the record stands for (1 for a report). */
  count: number;
}

/** The filter a source applies (China dates, region code prefix, category path prefix). */
export interface ComputedQuery {
  from: string;
  to: string;
  regionPrefix: string | null;
  categoryPath: string;
  organizationId: string | null;
}

export type ComputedFigure = Figure & { populationMissing?: boolean };

const MICRO = 1_000_000n;

/** The prefix of every code inside a region (51 / 5101 / the county). */
function prefixOf(code: string): string {
  return code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
}

/** The split key of a record under the spec ('' unsplit), or null when the record is outside the scope. */
export function splitKey(spec: IndicatorSpec, r: ComputedRecord): string | null {
  if (spec.region && !r.regionCode.startsWith(prefixOf(spec.region.code))) return null;
  if (spec.category && r.categoryPath !== spec.category && !r.categoryPath.startsWith(`${spec.category}>`)) return null;
  if (spec.organizationId && r.organizationId !== spec.organizationId) return null;
  switch (spec.split) {
    case null: return '';
    case 'organization': return r.organizationId;
    case 'gi': return null;
    case 'category': {
      if (r.categoryPath === spec.category) return spec.category;
      const depth = spec.category === '' ? 0 : spec.category.split('>').length;
      return r.categoryPath.split('>').slice(0, depth + 1).join('>');
    }
    case 'region': {
      const parent = spec.region;
      if (!parent) return `${r.regionCode.slice(0, 2)}0000`;
      if (r.regionCode === parent.code) return parent.code;
      return parent.level === 'province' ? `${r.regionCode.slice(0, 4)}00` : r.regionCode;
    }
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The figures of a computed indicator: per period and split key. `population` gives the inhabitants
 * of a region code (undefined: no figure) for the density; the unsplit and non-region splits use the
 * queried region's.
 */
export function computedFigures(
  spec: IndicatorSpec, indicator: ComputedIndicator, records: ComputedRecord[], population: (code: string) => number | undefined = () => undefined,
): ComputedFigure[] {
  const periods = buckets(spec);
  const groups = new Map<string, { at: number; r: ComputedRecord }[]>();
  for (const r of records) {
    const key = splitKey(spec, r);
    if (key === null) continue;
    const list = groups.get(key);
    const item = { at: monthIndex(r.month), r };
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  if (groups.size === 0 && !spec.split) groups.set('', []);
  const out: ComputedFigure[] = [];
  for (const [key, items] of groups) {
    for (const period of periods) {
      const [first, last] = [monthIndex(period.first), monthIndex(period.last)];
      const inside = items.filter((i) => i.at >= first && i.at <= last).map((i) => i.r);
      const base = { indicator, key, detail: '', period: spec.period ? period : null, previousRate: null, met: null };
      if (indicator === 'consumer_report_reply_hours') {
        const hours = inside.flatMap((r) => (r.value === null ? [] : [r.value]));
        const m = median(hours);
        out.push({ ...base, numerator: BigInt(hours.length) * MICRO, denominator: BigInt(inside.reduce((s, r) => s + r.count, 0)) * MICRO, rate: m === null ? null : Math.round(m * 10) / 10 });
      } else {
        const samples = inside.reduce((s, r) => s + r.count, 0);
        const code = spec.split === 'region' ? key : spec.region?.code;
        // Figures recorded at a parent region itself (本级) have no population of their own.
        const people = code === undefined || (spec.split === 'region' && key === spec.region?.code) ? undefined : population(code);
        const per = INDICATORS[indicator].per ?? 1;
        out.push({
          ...base, numerator: BigInt(samples) * MICRO, denominator: BigInt(people ?? 0) * MICRO,
          rate: people ? Math.round((samples * per / people) * 10_000) / 10_000 : null, ...(people ? {} : { populationMissing: true }),
        });
      }
    }
  }
  return out;
}
