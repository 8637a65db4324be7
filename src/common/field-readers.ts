import { isCalendarDate } from '../../libs/codes/calendar-date';
import { DomainError } from '../../libs/errors';

/**
 * Readers for the loose fields of import rows and JSON bodies (GI and mark records): trimmed, checked,
 * and refused with the field and the rule named. Empty means absent.
 */
export function text(raw: unknown, field: string, max: number, required = false): string | null {
  const value = typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : null;
  if (value === null) throw new DomainError('VALIDATION_FAILED', `${field} must be text`, { field, rule: 'string' });
  if (!value) {
    if (required) throw new DomainError('VALIDATION_FAILED', `${field} is required`, { field, rule: 'required' });
    return null;
  }
  if (value.length > max) throw new DomainError('VALIDATION_FAILED', `${field} must be at most ${max} characters`, { field, rule: 'max_length' });
  return value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day `YYYY-MM-DD` from year 1 (PostgreSQL has no year 0). */
export function isRealDate(value: unknown): value is string {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  return m !== null && Number(m[1]) >= 1 && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function date(raw: unknown, field: string, required = false): string | null {
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw new DomainError('VALIDATION_FAILED', `${field} is required`, { field, rule: 'required' });
    return null;
  }
  const value = typeof raw === 'string' ? raw.trim() : raw;
  if (!isRealDate(value)) throw new DomainError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD`, { field, rule: 'date' });
  return value;
}
