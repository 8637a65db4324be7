import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of organisations, each with its HTTP status. Add a code here to throw it. */
export const ORGANIZATIONS_ERRORS = {
  DUPLICATE_USCC: 409,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof ORGANIZATIONS_ERRORS> {}
}
