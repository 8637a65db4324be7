import type { ErrorCode } from './error-codes';
import { type ErrorDetails, withFirstField } from './error-details';

/**
 * The one error type that services and pure rules throw. `code` is a declared ErrorCode (see
 * error-codes.ts): clients branch on it, and the HTTP layer answers with its declared status.
 */
export class DomainError extends Error {
  readonly details?: ErrorDetails;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'DomainError';
    this.details = withFirstField(details);
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/**
 * Runs a check and reports its DomainError under the caller's field name (a library names fields
 * generically — `lot`, `qrText` — while the request said `lotCode` or `labels[12].qrText`).
 */
export function asField<T>(field: string, check: () => T, extra: ErrorDetails = {}): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError) {
      const message = error.message.startsWith(`${field}:`) ? error.message : `${field}: ${error.message}`;
      throw new DomainError(error.code, message, { ...error.details, ...extra, field });
    }
    throw error;
  }
}
