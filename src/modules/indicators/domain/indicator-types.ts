import type { RegionLevel } from '../../regions/domain';

/**
 * The plan's indicators (DOMAIN.md §6): what each one counts, its target, and the shape of the rows
 * the API, the dashboard and the exports share. Numerators and denominators are kept; a rate is only
 * ever numerator ÷ denominator of the same row (percentages are never averaged).
 */
export const INDICATOR_KEYS = [
  'routine_monitoring',
  'food_sampling',
  'certificate_issuance',
  'trace_code_coverage',
  'label_scan_rate',
  'gtin_coverage',
  'uscc_coverage',
  'gi_claimed',
  'low_risk_pesticide_share',
  'organic_fertiliser_share',
  'input_record_coverage',
  'phi_violations',
  'market_entry_verified_rate',
  'market_entry_refusals',
  'listing_certified_rate',
  'disposal_rate',
  'quality_mark_products',
  'mark_quantity_share',
  'mark_claim_refusals',
  'inspection_coverage',
  'high_risk_organizations',
  'consumer_reports_per_10k_scans',
  'recall_on_time_rate',
  'consumer_report_reply_hours',
  'sampling_density_per_1000',
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

export type IndicatorTarget = { kind: 'at_least'; value: number } | { kind: 'rising' } | null;

export interface IndicatorDefinition {
  key: IndicatorKey;
  /** zh-CN name as the plan writes it. */
  name: string;
  /** What the figure counts when that differs from what the name suggests (shown under the figure). */
  scope?: string;
  numeratorLabel: string;
  denominatorLabel: string;
  target: IndicatorTarget;
  /**
   * `flow`: counted in the period something happened (sampled, produced).
   * `stock`: the state at the end of each period (products and organisations registered by then).
   */
  measure: 'flow' | 'stock';
  /** Which dimensions make sense (USCC coverage has no product category; GI splits by GI product). */
  dimensions: { category: boolean; gi: boolean };
  /** The rate is per this many of the denominator (consumer reports per 10,000 scans); 1 when absent. */
  per?: number;
  /**
   * The rate is not numerator ÷ denominator but a value in this unit, computed from the records at
   * query time (consumer_report_reply_hours: the median in hours).
   */
  unit?: string;
  /** A quantity, not a rate: gi_claimed sums claimed amounts (numerator) over claims (denominator). */
  quantity?: boolean;
  /**
   * What a row's detail names: `gi` (`<gi id>|<unit>`) or `scheme` (a quality-mark scheme, with
   * `|<unit>` where amounts are counted). Rows of different details are never added up.
   */
  detail?: 'gi' | 'scheme';
  /** Published figures to compare against (DOMAIN.md §6), e.g. Sichuan's routine monitoring in 2024. */
  references?: { label: string; rate: number }[];
  /** What is counted, in zh-CN, where the name and labels leave room for doubt (shown with the figures). */
  description?: string;
}

export const PERIOD_DIMENSIONS = ['month', 'quarter', 'year'] as const;
export type PeriodDimension = (typeof PERIOD_DIMENSIONS)[number];
export const GROUP_DIMENSIONS = [...PERIOD_DIMENSIONS, 'region', 'category', 'organization', 'gi'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

export interface IndicatorQuery {
  /** Empty = every indicator. */
  indicators: IndicatorKey[];
  /** GB/T 2260 code at any level; defaults to the regulator's jurisdiction (or everything for admin). */
  region?: string;
  /** A node of the food-category tree at any level (`水果>柑橘类水果`). */
  category?: string;
  /** Restrict to one organisation (regulator drill-down); organisations always see only their own. */
  organizationId?: string;
  /** Month-aligned window: `YYYY-MM-DD` (first day of a month) or `YYYY-MM`; default 1 January of this year. */
  from?: string;
  /** `YYYY-MM-DD` (last day of a month) or `YYYY-MM`; default the end of this month. */
  to?: string;
  /** At most one period dimension plus at most one of region / category / organization / gi. */
  groupBy: GroupDimension[];
}

export interface IndicatorRow {
  indicator: IndicatorKey;
  name: string;
  period?: { key: string; from: string; to: string };
  /** For groupBy=region: the child regions of the queried region; `self: true` marks figures recorded at the parent itself (市本级). */
  region?: { code: string; name: string; level: RegionLevel; self?: boolean };
  /** For groupBy=category: the child categories; `self: true` marks figures recorded at the queried category itself. */
  category?: { path: string; name: string; self?: boolean };
  organization?: { id: string; name: string; regionCode: string };
  gi?: { id: string; name: string; unit: string };
  /** The quality-mark scheme of a mark indicator's row (绿色食品, 有机产品, 区域公用品牌, 地理标志), with the unit where amounts are counted. */
  scheme?: { id: string; name: string; unit?: string };
  /** Decimal strings (counts, or for gi_claimed the claimed amount in `gi.unit`). */
  numerator: string;
  denominator: string;
  /** numerator ÷ denominator (× `per` of the definition), null when the denominator is 0 (and for gi_claimed). */
  rate: number | null;
  target: IndicatorTarget;
  /** The definition's description, when it has one. */
  description?: string;
  /** sampling_density_per_1000: the region has no population figure (no rate; the denominator 0 is not a population). */
  populationMissing?: boolean;
  /** The definition's unit when the rate is a value in it (小时). */
  unit?: string;
  /** Against an `at_least` target: rate ≥ target. For `rising`: rate above the previous period's. Null when unknown. */
  met: boolean | null;
  /** For `rising` targets: the same row's rate one period earlier (or the previous window of equal length). */
  previousRate?: number | null;
}

export interface IndicatorResult {
  window: { from: string; to: string };
  scope: { region: { code: string; name: string } | null; category: string | null; organizationId: string | null };
  groupBy: GroupDimension[];
  rows: IndicatorRow[];
}
