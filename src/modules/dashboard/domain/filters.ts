import { DomainError } from '../../../../libs/errors';
import { PERIOD_DIMENSIONS, PeriodDimension } from '../../indicators/domain';
import { requireRegion } from '../../regions/domain';

/** What the dashboard's GET form asks for. Months are `YYYY-MM`, both ends included. */
export interface DashboardFilters {
  /** GB/T 2260 code; null = the actor's whole scope (a regulator's jurisdiction, a producer's own figures). */
  region: string | null;
  from: string;
  to: string;
  /** A node of the food-category tree, or null for every category. */
  category: string | null;
  period: PeriodDimension;
}

export const FILTER_FIELDS = ['region', 'from', 'to', 'category', 'period'] as const;

/** Ten years of months: more makes the trend charts unreadable and the exports pointless. */
export const MAX_WINDOW_MONTHS = 120;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function bad(field: string, rule: string, message: string): never {
  throw new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { field, rule });
}

/** One query-string value: '' when absent; a repeated parameter is a mistake, not a choice. */
function text(raw: Record<string, unknown>, field: string): string {
  const v = raw[field];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') bad(field, 'single', 'give this filter once');
  return v.trim();
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** The default window, as the indicator contract defines it: January of this year to this month. */
function defaultWindow(today: string): { from: string; to: string } {
  return { from: `${today.slice(0, 4)}-01`, to: today.slice(0, 7) };
}

/**
 * Reads and checks the filters of a dashboard URL. Problems are DomainErrors naming the field and
 * the rule (400), so the page can show them next to the form field.
 */
export function parseFilters(raw: Record<string, unknown>, today: string): DashboardFilters {
  const regionText = text(raw, 'region');
  const region = regionText ? requireRegion(regionText, 'region').code : null;
  const defaults = defaultWindow(today);
  const from = text(raw, 'from') || defaults.from;
  const to = text(raw, 'to') || defaults.to;
  if (!MONTH.test(from)) bad('from', 'month', 'a month as YYYY-MM');
  if (!MONTH.test(to)) bad('to', 'month', 'a month as YYYY-MM');
  if (to < from) bad('to', 'not_before_from', 'the last month comes before the first');
  if (monthsBetween(from, to) > MAX_WINDOW_MONTHS) bad('from', 'max_window', `at most ${MAX_WINDOW_MONTHS} months`);
  const category = text(raw, 'category') || null;
  if (category && category.length > 200) bad('category', 'maxLength', 'at most 200 characters');
  const periodText = text(raw, 'period') || 'month';
  const period = PERIOD_DIMENSIONS.find((p) => p === periodText) ?? bad('period', 'isIn', `one of ${PERIOD_DIMENSIONS.join(', ')}`);
  return { region, from, to, category, period };
}

/** First and last day of the window, for queries over dates. */
export function windowDates(f: Pick<DashboardFilters, 'from' | 'to'>): { from: string; to: string } {
  const [y, m] = f.to.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${f.from}-01`, to: `${f.to}-${String(last).padStart(2, '0')}` };
}

/** The filters as a query string (only what differs from nothing), for links that keep them. */
export function filterQuery(f: DashboardFilters, extra: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  const all: Record<string, string | null | undefined> = { region: f.region, from: f.from, to: f.to, category: f.category, period: f.period, ...extra };
  for (const [k, v] of Object.entries(all)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

const MESSAGES: Record<string, string> = {
  'region:': '请从列表中选择地区',
  'from:month': '请填写月份，如 2026-01',
  'to:month': '请填写月份，如 2026-11',
  'to:not_before_from': '截止月份不能早于起始月份',
  'from:max_window': `期间最长 ${MAX_WINDOW_MONTHS} 个月`,
  'category:': '请从列表中选择产品类别',
  'period:': '请从列表中选择',
};

/** A filter problem in plain Chinese, by field and rule (falling back to the field's message). */
export function filterMessage(field: string, rule: string): string {
  return MESSAGES[`${field}:${rule}`] ?? MESSAGES[`${field}:`] ?? (rule === 'single' ? '该条件只能填写一次' : '筛选条件不正确');
}
