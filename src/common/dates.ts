import { isISO8601, ValidateBy, ValidationOptions } from 'class-validator';
import { chinaDate, isCalendarDate } from '../../libs/codes/calendar-date';
import { DomainError } from '../../libs/errors';

/** A date (YYYY-MM-DD) in the future is a typo; one day of slack covers time zones. */
export function assertNotFuture(date: string, field: string): void {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  if (date > tomorrow) throw new DomainError('VALIDATION_FAILED', `${field} cannot be in the future`, { field, rule: 'not_future' });
}

/** The date (YYYY-MM-DD) in China at an instant; by default now (libs/codes/calendar-date is the one implementation). */
export const todayInChina = chinaDate;

/** The month (YYYY-MM) in China at an instant; by default now. */
export function thisMonthInChina(at: Date | number = Date.now()): string {
  return todayInChina(at).slice(0, 7);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD naming a day that exists, in years 0001–9999 (PostgreSQL has no year 0; `2026-02-30` is no day). */
export function isRealDate(value: unknown): value is string {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  return m !== null && Number(m[1]) >= 1 && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * An ISO 8601 date or date-time (strict: real days and times) in years 0001–9999: what IsISO8601
 * lets through and PostgreSQL then refuses (year 0000, week and ordinal dates) is refused here.
 */
export function isRealInstant(value: unknown): value is string {
  return typeof value === 'string' && isRealDate(value.slice(0, 10)) && (value.length === 10 || value[10] === 'T')
    && isISO8601(value, { strict: true, strictSeparator: true });
}

/** class-validator rule: a real calendar date YYYY-MM-DD. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: isRealDate, defaultMessage: (args) => `${args?.property ?? 'value'} must be a real calendar date YYYY-MM-DD` },
  }, options);
}

/** class-validator rule: a real ISO 8601 instant such as 2026-11-20T09:30:00+08:00. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: { validate: isRealInstant, defaultMessage: (args) => `${args?.property ?? 'value'} must be a real ISO 8601 instant such as 2026-11-20T09:30:00+08:00` },
  }, options);
}
