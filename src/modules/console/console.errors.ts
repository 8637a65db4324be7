import type { Declared, ErrorStatuses } from '../../../libs/errors';

/**
 * The error codes of the console (people signing in with a password), each with its HTTP status.
 * Add a code here to throw it.
 */
export const CONSOLE_ERRORS = {
  LOGIN_FAILED: 401,
  CSRF_FAILED: 403,
  LOGIN_NAME_TAKEN: 409,
  INVITE_INVALID: 410,
  ACCOUNT_LOCKED: 429,
  WEAK_PASSWORD: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof CONSOLE_ERRORS> {}
}
