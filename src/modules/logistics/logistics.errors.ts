import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of logistic units (SSCC), each with its HTTP status. Add a code here to throw it. */
export const LOGISTICS_ERRORS = {
  NO_COMPANY_PREFIX: 422,
  SSCC_EXHAUSTED: 409,
  /** Not one of the caller's units (or, when receiving, not a unit shipped to the caller). */
  SSCC_NOT_FOUND: 404,
  /** Packing, unpacking or shipping a unit that has already left. */
  SSCC_NOT_OPEN: 409,
  SSCC_EMPTY: 422,
  LOT_ALREADY_PACKED: 409,
  LOT_NOT_PACKED: 404,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof LOGISTICS_ERRORS> {}
}
