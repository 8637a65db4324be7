import { DomainError } from '../../libs/errors';

/** A date (YYYY-MM-DD) in the future is a typo; one day of slack covers time zones. */
export function assertNotFuture(date: string, field: string): void {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  if (date > tomorrow) throw new DomainError('VALIDATION_FAILED', `${field} cannot be in the future`, { field, rule: 'not_future' });
}
