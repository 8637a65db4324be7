import { INDICATORS } from './indicator-definitions';
import type { IndicatorSpec } from './indicator-query';
import type { IndicatorKey } from './indicator-types';
import { ratio } from './fixed';
import { Month, monthAt, monthIndex, Period, periodsIn, previousOf } from './months';

/**
 * From month-grain sums to the rows the API answers: periods (flows summed over their months,
 * stocks as of the period's last month), rates, targets and the comparison with the period before.
 * Pure; the SQL that feeds it is in indicator-sql.ts.
 */
export interface MonthRow {
  indicator: IndicatorKey;
  key: string;
  detail: string;
  month: Month;
  /** Millionths, as an integer string (the SQL scales numeric(24,6) sums): one BigInt parse per value. */
  n: string;
  d: string;
}

export interface Figure {
  indicator: IndicatorKey;
  /** The split's value ('' when not split). */
  key: string;
  /** gi_claimed: `<gi id>|<unit>`; otherwise ''. */
  detail: string;
  /** null: the whole window. */
  period: Period | null;
  numerator: bigint;
  denominator: bigint;
  rate: number | null;
  previousRate: number | null;
  met: boolean | null;
}

interface Series {
  indicator: IndicatorKey;
  key: string;
  detail: string;
  byMonth: Map<number, { n: bigint; d: bigint }>;
}

export function buckets(spec: IndicatorSpec): Period[] {
  return spec.period ? periodsIn(spec.from, spec.to, spec.period) : [{ key: '', first: spec.from, last: spec.to }];
}

/**
 * The months where the figures' spans end: each bucket's and its previous span's last month and the
 * month before each starts. Summing months into segments ending there loses nothing these figures
 * need, so the database can answer segments instead of months (a year's window is 3 rows, not 24).
 */
export function segmentEnds(spec: IndicatorSpec): Month[] {
  const ends = new Set<number>();
  for (const bucket of buckets(spec)) {
    const before = previousOf(bucket);
    for (const m of [bucket.last, before.last]) ends.add(monthIndex(m));
    for (const m of [bucket.first, before.first]) ends.add(monthIndex(m) - 1);
  }
  return [...ends].sort((a, b) => a - b).map(monthAt);
}

/** The earliest month a flow figure needs: the start of the span before the first bucket. */
export function fetchStart(spec: IndicatorSpec): Month {
  return buckets(spec).map((b) => previousOf(b).first).sort((a, b) => monthIndex(a) - monthIndex(b))[0];
}

/** The series of each indicator, in the order rows came. */
function collect(rows: MonthRow[]): Map<IndicatorKey, Series[]> {
  const byId = new Map<string, Series>();
  const byIndicator = new Map<IndicatorKey, Series[]>();
  const months = new Map<string, number>();
  for (const row of rows) {
    const id = `${row.indicator}\u0000${row.key}\u0000${row.detail}`;
    let s = byId.get(id);
    if (!s) {
      byId.set(id, (s = { indicator: row.indicator, key: row.key, detail: row.detail, byMonth: new Map() }));
      const list = byIndicator.get(row.indicator);
      if (list) list.push(s);
      else byIndicator.set(row.indicator, [s]);
    }
    let at = months.get(row.month);
    if (at === undefined) months.set(row.month, (at = monthIndex(row.month)));
    const cell = s.byMonth.get(at);
    if (cell) {
      cell.n += BigInt(row.n);
      cell.d += BigInt(row.d);
    } else {
      s.byMonth.set(at, { n: BigInt(row.n), d: BigInt(row.d) });
    }
  }
  return byIndicator;
}

/** Running totals of a series by month, so any span is two lookups (a province split by organisation has thousands of series). */
interface Running {
  months: number[];
  n: bigint[];
  d: bigint[];
}

function running(s: Series): Running {
  const months = [...s.byMonth.keys()].sort((a, b) => a - b);
  const r: Running = { months, n: [], d: [] };
  let n = 0n;
  let d = 0n;
  for (const at of months) {
    const cell = s.byMonth.get(at)!;
    r.n.push((n += cell.n));
    r.d.push((d += cell.d));
  }
  return r;
}

/** Totals of every month up to and including `at`. */
function upTo(r: Running, at: number): { n: bigint; d: bigint } {
  let lo = 0;
  let hi = r.months.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (r.months[mid] <= at) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found < 0 ? { n: 0n, d: 0n } : { n: r.n[found], d: r.d[found] };
}

/** A flow sums the span's months; a stock is everything up to the span's last month. */
function sumOver(r: Running, first: Month, last: Month, stock: boolean): { n: bigint; d: bigint } {
  const end = upTo(r, monthIndex(last));
  if (stock) return end;
  const start = upTo(r, monthIndex(first) - 1);
  return { n: end.n - start.n, d: end.d - start.d };
}

function judge(indicator: IndicatorKey, rate: number | null, previousRate: number | null): boolean | null {
  const target = INDICATORS[indicator].target;
  if (!target || rate === null) return null;
  if (target.kind === 'at_least') return rate >= target.value;
  if (previousRate === null) return null;
  return rate > previousRate || rate === 1;
}

export function figures(spec: IndicatorSpec, rows: MonthRow[]): Figure[] {
  const series = collect(rows);
  const periods = buckets(spec);
  const out: Figure[] = [];
  for (const indicator of spec.indicators) {
    const mine = (series.get(indicator) ?? []).map((s) => ({ ...s, totals: running(s) }));
    const stock = INDICATORS[indicator].measure === 'stock';
    const inWindow = mine.filter((s) => { const t = sumOver(s.totals, spec.from, spec.to, stock); return t.n !== 0n || t.d !== 0n; });
    // An indicator always answers its whole-region row, even with nothing counted yet (0 of 0).
    const shown = inWindow.length || spec.split ? inWindow : [{ indicator, key: '', detail: '', totals: { months: [], n: [], d: [] } }];
    for (const s of shown) {
      for (const period of periods) {
        const now = sumOver(s.totals, period.first, period.last, stock);
        const before = previousOf(period);
        const prev = sumOver(s.totals, before.first, before.last, stock);
        const quantity = INDICATORS[indicator].quantity === true;
        const per = BigInt(INDICATORS[indicator].per ?? 1);
        const rate = quantity ? null : ratio(now.n * per, now.d);
        const previousRate = quantity ? null : ratio(prev.n * per, prev.d);
        out.push({
          indicator, key: s.key, detail: s.detail, period: spec.period ? period : null, numerator: now.n, denominator: now.d,
          rate, previousRate, met: judge(indicator, rate, previousRate),
        });
      }
    }
  }
  return out;
}
