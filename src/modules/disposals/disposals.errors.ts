import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of disposals (不合格农产品处置), each with its HTTP status. Add a code here to throw it. */
export const DISPOSALS_ERRORS = {
  /** Releasing a batch from hold while a failed sample stands and no disposal answers it. */
  DISPOSAL_REQUIRED: 409,
  /** A disposal for a batch without a standing failed sample. */
  DISPOSAL_NOT_REQUIRED: 422,
  INVALID_EVIDENCE: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof DISPOSALS_ERRORS> {}
}
