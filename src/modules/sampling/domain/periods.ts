import { DomainError } from '../../../../libs/errors';

export const CADENCES = ['once', 'monthly', 'quarterly'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface Period {
  key: string;
  from: string;
  to: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The plan period containing `on`: the whole plan (`once`), its calendar month, or its quarter,
 * clipped to the plan's dates. Null when `on` is outside the plan.
 */
export function periodContaining(cadence: Cadence, planFrom: string, planTo: string, on: string): Period | null {
  if (on < planFrom || on > planTo) return null;
  if (cadence === 'once') return { key: 'all', from: planFrom, to: planTo };
  const year = Number(on.slice(0, 4));
  const month = Number(on.slice(5, 7));
  const firstMonth = cadence === 'monthly' ? month : Math.floor((month - 1) / 3) * 3 + 1;
  const months = cadence === 'monthly' ? 1 : 3;
  const start = iso(new Date(Date.UTC(year, firstMonth - 1, 1)));
  const end = iso(new Date(Date.UTC(year, firstMonth - 1 + months, 0)));
  const key = cadence === 'monthly' ? on.slice(0, 7) : `${year}-Q${(firstMonth + 2) / 3}`;
  return { key, from: start < planFrom ? planFrom : start, to: end > planTo ? planTo : end };
}

export function assertPlanDates(from: string, to: string): void {
  if (to < from) throw new DomainError('VALIDATION_FAILED', 'periodTo is before periodFrom', { fields: [{ field: 'periodTo', rule: 'after_from', message: 'periodTo must not be before periodFrom' }] });
}
