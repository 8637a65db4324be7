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
