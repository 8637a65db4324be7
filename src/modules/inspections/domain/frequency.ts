/**
 * Inspection frequency by risk grade (巡查频次, DOMAIN.md §11): a published risk grade sets how often
 * an organisation is inspected. The intervals are data (inspection_frequency_rules, with source and
 * verified flag); `ungraded` applies to an organisation without a published grade. These are the
 * pure rules: when the next inspection falls due, and whether it is due on a day.
 */
export const FREQUENCY_GRADES = ['high', 'medium', 'low', 'ungraded'] as const;
export type FrequencyGrade = (typeof FREQUENCY_GRADES)[number];

/** The platform's defaults (unverified: no regulation read here fixes them; a province changes the rows). */
export const DEFAULT_INTERVAL_MONTHS: Record<FrequencyGrade, number> = { high: 3, medium: 6, low: 12, ungraded: 12 };

/** `day` plus `months` calendar months; a day past the month's end falls on its last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export type DueState =
  /** Never inspected: due now, whatever the grade. */
  | { due: true; reason: 'never_inspected'; dueOn: null }
  /** The last inspection is older than the grade's interval: due since `dueOn`. */
  | { due: true; reason: 'interval_passed'; dueOn: string }
  | { due: false; reason: 'within_interval'; dueOn: string };

/** Whether an organisation last inspected on `lastOn` (null: never) is due for inspection on `today`. */
export function inspectionDue(lastOn: string | null, intervalMonths: number, today: string): DueState {
  if (lastOn === null) return { due: true, reason: 'never_inspected', dueOn: null };
  const dueOn = addMonths(lastOn, intervalMonths);
  return today >= dueOn ? { due: true, reason: 'interval_passed', dueOn } : { due: false, reason: 'within_interval', dueOn };
}
