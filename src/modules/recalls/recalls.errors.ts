import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of recalls, each with its HTTP status. Add a code here to throw it. */
export const RECALLS_ERRORS = {
  /** Close-out while an affected organisation has not accounted for what it received. */
  RECALL_NOT_BALANCED: 409,
  RECALL_CLOSED: 409,
  /** Confirmations and close-out belong to live recalls, not mock ones. */
  RECALL_NOT_LIVE: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof RECALLS_ERRORS> {}
}
