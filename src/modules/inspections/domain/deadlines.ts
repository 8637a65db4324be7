import { addWorkingDays, type WorkCalendar } from '../../calendar/domain';

/**
 * Rectification deadlines (整改期限). The inspector may set one; otherwise it is a number of working
 * days after the inspection by severity. These defaults are the platform's (no regulation fixes
 * them): a county changes them here, as data, not in the services.
 */
export const FINDING_SEVERITIES = { minor: '一般', serious: '严重' } as const;
export type FindingSeverity = keyof typeof FINDING_SEVERITIES;

export const DEFAULT_RECTIFICATION_WORKING_DAYS: Record<FindingSeverity, number> = { minor: 15, serious: 5 };

/** The longest deadline an inspector may set, in calendar days after the inspection. */
export const MAX_RECTIFICATION_DAYS = 90;

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

export type DeadlineOutcome = { ok: true; deadline: string } | { ok: false; rule: 'after_inspection' | 'at_most_90_days'; message: string };

/** The finding's deadline: the inspector's (after the inspection day, ≤ 90 days) or the default by severity. */
export function rectificationDeadline(inspectedOn: string, severity: FindingSeverity, calendar: WorkCalendar, explicit?: string): DeadlineOutcome {
  if (explicit === undefined) return { ok: true, deadline: addWorkingDays(inspectedOn, DEFAULT_RECTIFICATION_WORKING_DAYS[severity], calendar) };
  const days = dayNumber(explicit) - dayNumber(inspectedOn);
  if (days < 1) return { ok: false, rule: 'after_inspection', message: 'deadline must be after the inspection day' };
  if (days > MAX_RECTIFICATION_DAYS) return { ok: false, rule: 'at_most_90_days', message: `deadline may be at most ${MAX_RECTIFICATION_DAYS} days after the inspection` };
  return { ok: true, deadline: explicit };
}

/** A finding is overdue from the day after its deadline while it stays open. */
export function isOverdue(deadline: string, today: string, closed: boolean): boolean {
  return !closed && today > deadline;
}
