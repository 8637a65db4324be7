import { DomainError, type ErrorCode, type ErrorDetails } from '../errors';

/**
 * Every rejection in this library goes through here so that `details` always names the
 * field and the rule: the HTTP layer shows them to the user, and tests assert on them.
 * Callers must never put the rejected value in `extra` when it may be personal data.
 */
export function invalid(
  code: ErrorCode,
  field: string,
  rule: string,
  message: string,
  extra: ErrorDetails = {},
): DomainError {
  return new DomainError(code, message, { field, rule, ...extra });
}

/** Values arrive from JSON bodies and query strings: a number or null must be a 4xx, not a TypeError. */
export function requireString(value: unknown, code: ErrorCode, field: string): string {
  if (typeof value !== 'string') throw invalid(code, field, 'type', `${field} must be a string`);
  return value;
}

/**
 * People copy codes from documents typed with a Chinese IME, which produces full-width
 * characters (Ｂ, ６) and ideographic spaces. NFKC folds those to ASCII; it leaves ASCII alone.
 */
export function normalizeTyped(value: string): string {
  return value.normalize('NFKC').trim();
}

/** Runs a check and turns its DomainError into a boolean, for the `isValid…` helpers. */
export function passes(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}
