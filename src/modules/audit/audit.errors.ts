import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of the audit log, each with its HTTP status. Add a code here to throw it. */
export const AUDIT_ERRORS = {
  INVALID_CHECKPOINT: 400,
  AUDIT_LOG_EMPTY: 409,
  AUDIT_CHAIN_BROKEN: 409,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof AUDIT_ERRORS> {}
}
