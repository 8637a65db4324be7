import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of API keys and roles, each with its HTTP status. Add a code here to throw it. */
export const AUTH_ERRORS = {
  ROLE_NOT_ALLOWED: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof AUTH_ERRORS> {}
}
