import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of Idempotency-Key handling, each with its HTTP status. Add a code here to throw it. */
export const IDEMPOTENCY_ERRORS = {
  IDEMPOTENCY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof IDEMPOTENCY_ERRORS> {}
}
