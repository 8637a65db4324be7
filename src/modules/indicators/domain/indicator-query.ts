import { DomainError } from '../../../../libs/errors';
import { normalizeCategoryPath } from '../../categories/domain';
import { Region, requireRegion } from '../../regions/domain';
import { INDICATORS } from './indicator-definitions';
import { GROUP_DIMENSIONS, GroupDimension, INDICATOR_KEYS, IndicatorKey, PERIOD_DIMENSIONS, PeriodDimension } from './indicator-types';
import { Month, monthIndex, parseMonthBound } from './months';

/** The query as the HTTP API receives it (every field a string, comma lists allowed). */
export interface RawIndicatorQuery {
  indicator?: string;
  region?: string;
  category?: string;
  organization?: string;
  from?: string;
  to?: string;
  groupBy?: string;
}

export type Split = 'region' | 'category' | 'organization' | 'gi';

/** A checked query: what to count, where, when, and how to split it. */
export interface IndicatorSpec {
  indicators: IndicatorKey[];
  /** null: every region (the platform admin's view). */
  region: Region | null;
  /** '' = every category. */
  category: string;
  organizationId: string | null;
  from: Month;
  to: Month;
  period: PeriodDimension | null;
  split: Split | null;
}

export const MAX_WINDOW_MONTHS = 120;

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

function oneOf<T extends string>(values: readonly T[], value: string, field: string): T {
  if (!(values as readonly string[]).includes(value)) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be one of ${values.join(', ')}; got "${value}"`, { field, rule: 'one_of', allowed: values });
  }
  return value as T;
}

function parseIndicators(value: string | undefined): IndicatorKey[] {
  const keys = list(value).map((k) => oneOf(INDICATOR_KEYS, k, 'indicator'));
  return keys.length ? [...new Set(keys)] : [...INDICATOR_KEYS];
}

function parseGroupBy(value: string | undefined): { period: PeriodDimension | null; split: Split | null } {
  const dims = [...new Set(list(value).map((d) => oneOf(GROUP_DIMENSIONS, d, 'groupBy')))] as GroupDimension[];
  const periods = dims.filter((d): d is PeriodDimension => (PERIOD_DIMENSIONS as readonly string[]).includes(d));
  const splits = dims.filter((d): d is Split => !(PERIOD_DIMENSIONS as readonly string[]).includes(d));
  if (periods.length > 1 || splits.length > 1) {
    throw new DomainError('VALIDATION_FAILED', 'groupBy takes at most one of month/quarter/year and at most one of region/category/organization/gi', {
      field: 'groupBy', rule: 'combination',
    });
  }
  return { period: periods[0] ?? null, split: splits[0] ?? null };
}

/** Checks and normalises the query; `thisMonth` (China time) supplies the default window (this year so far). */
export function parseIndicatorQuery(raw: RawIndicatorQuery, thisMonth: Month): IndicatorSpec {
  const indicators = parseIndicators(raw.indicator);
  const { period, split } = parseGroupBy(raw.groupBy);
  const region = raw.region ? requireRegion(raw.region, 'region') : null;
  if (split === 'region' && region?.level === 'county') {
    throw new DomainError('VALIDATION_FAILED', 'A county has no sub-regions: group a county by organization instead', { field: 'groupBy', rule: 'no_sub_regions' });
  }
  if (split === 'gi' && !indicators.some((k) => INDICATORS[k].dimensions.gi)) {
    throw new DomainError('VALIDATION_FAILED', 'groupBy=gi applies to gi_claimed only', { field: 'groupBy', rule: 'dimension' });
  }
  const to = raw.to ? parseMonthBound(raw.to, 'to') : thisMonth;
  const from = raw.from ? parseMonthBound(raw.from, 'from') : `${to.slice(0, 4)}-01`;
  if (monthIndex(from) > monthIndex(to)) throw new DomainError('VALIDATION_FAILED', 'from must not be after to', { field: 'from', rule: 'order' });
  if (monthIndex(to) - monthIndex(from) + 1 > MAX_WINDOW_MONTHS) {
    throw new DomainError('VALIDATION_FAILED', `The window may span at most ${MAX_WINDOW_MONTHS} months`, { field: 'from', rule: 'max_window', max: MAX_WINDOW_MONTHS });
  }
  return {
    indicators, region, category: raw.category ? normalizeCategoryPath(raw.category) : '', organizationId: raw.organization ?? null,
    from, to, period, split,
  };
}
