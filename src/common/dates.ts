import { DomainError } from '../../libs/errors';

/** A date (YYYY-MM-DD) in the future is a typo; one day of slack covers time zones. */
export function assertNotFuture(date: string, field: string): void {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  if (date > tomorrow) throw new DomainError('VALIDATION_FAILED', `${field} cannot be in the future`, { field, rule: 'not_future' });
}

/** China Standard Time is UTC+8 all year (no daylight saving time). */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The date (YYYY-MM-DD) in China at an instant; by default now. */
export function todayInChina(at: Date | number = Date.now()): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The month (YYYY-MM) in China at an instant; by default now. */
export function thisMonthInChina(at: Date | number = Date.now()): string {
  return todayInChina(at).slice(0, 7);
}
