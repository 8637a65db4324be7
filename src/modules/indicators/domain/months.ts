import { DomainError } from '../../../../libs/errors';

/**
 * Months as `YYYY-MM` strings and the periods built from them. Aggregates are kept per month, so
 * every window is a whole number of months.
 */
export type Month = string;

export function monthIndex(month: Month): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthAt(index: number): Month {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function addMonths(month: Month, n: number): Month {
  return monthAt(monthIndex(month) + n);
}

export function lastDayOf(month: Month): string {
  const next = addMonths(month, 1);
  return new Date(Date.parse(`${next}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * Reads a window bound: `YYYY-MM`, or a date on the month's edge (`from`: the 1st; `to`: the last
 * day). A date inside a month is refused rather than silently widened.
 */
export function parseMonthBound(value: string, field: 'from' | 'to'): Month {
  const m = /^(\d{4})-(0[1-9]|1[0-2])(?:-(\d{2}))?$/.exec(value);
  if (!m) throw new DomainError('VALIDATION_FAILED', `${field} must be YYYY-MM or YYYY-MM-DD`, { field, rule: 'month' });
  const month = `${m[1]}-${m[2]}`;
  if (m[3] !== undefined) {
    const edge = field === 'from' ? `${month}-01` : lastDayOf(month);
    if (value !== edge) {
      throw new DomainError('VALIDATION_FAILED', `${field} must be ${field === 'from' ? 'the first' : 'the last'} day of a month (figures are kept per month): ${edge}`, {
        field, rule: 'month_aligned', expected: edge,
      });
    }
  }
  return month;
}

export type PeriodUnit = 'month' | 'quarter' | 'year';

export interface Period {
  key: string;
  first: Month;
  last: Month;
}

function periodOf(month: Month, unit: PeriodUnit): Period {
  const year = month.slice(0, 4);
  if (unit === 'month') return { key: month, first: month, last: month };
  if (unit === 'year') return { key: year, first: `${year}-01`, last: `${year}-12` };
  const q = Math.floor((Number(month.slice(5, 7)) - 1) / 3);
  const first = `${year}-${String(q * 3 + 1).padStart(2, '0')}`;
  return { key: `${year}-Q${q + 1}`, first, last: addMonths(first, 2) };
}

/** The periods of `unit` that touch the window, clipped to it (a window starting in February has a partial Q1). */
export function periodsIn(from: Month, to: Month, unit: PeriodUnit): Period[] {
  const periods: Period[] = [];
  for (let at = from; monthIndex(at) <= monthIndex(to);) {
    const p = periodOf(at, unit);
    const last = monthIndex(p.last) > monthIndex(to) ? to : p.last;
    periods.push({ key: p.key, first: at, last });
    at = addMonths(last, 1);
  }
  return periods;
}

/** The same span one step earlier: the previous period of the same length. */
export function previousOf(period: Period): Period {
  const length = monthIndex(period.last) - monthIndex(period.first) + 1;
  return { key: '', first: addMonths(period.first, -length), last: addMonths(period.last, -length) };
}

export function isoFirstDay(month: Month): string {
  return `${month}-01`;
}
