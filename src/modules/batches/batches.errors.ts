import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of batches, each with its HTTP status. Add a code here to throw it. */
export const BATCHES_ERRORS = {
  DUPLICATE_LOT_CODE: 409,
  INVALID_STATUS_TRANSITION: 422,
  BATCH_NOT_ACTIVE: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof BATCHES_ERRORS> {}
}
