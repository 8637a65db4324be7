/**
 * The one error type that services and pure rules throw. `code` is UPPER_SNAKE and stable:
 * clients branch on it, and the HTTP layer maps it to a status (see src/common/error-status.ts).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/**
 * Runs a check and reports its DomainError under the caller's field name (a library names fields
 * generically — `lot`, `qrText` — while the request said `lotCode` or `labels[12].qrText`).
 */
export function asField<T>(field: string, check: () => T, extra: Record<string, unknown> = {}): T {
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
