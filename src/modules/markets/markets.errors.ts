import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of markets (入场查验): sellers, stalls and gate entries. Add a code here to throw it. */
export const MARKETS_ERRORS = {
  /** Sellers, stalls and entries belong to organisations of kind `market`. */
  MARKET_REQUIRED: 403,
  SELLER_DUPLICATE: 409,
  SELLER_STOPPED: 422,
  SELLER_ACTIVE: 409,
  STALL_NUMBER_TAKEN: 409,
  PROOF_REQUIRED: 422,
  /** Refusals at the gate (the entry is recorded and reported; the lot stays out). */
  TRACE_CODE_UNKNOWN: 422,
  BATCH_NOT_SELLABLE: 422,
  RAPID_TEST_FAILED: 422,
  ITEM_NOT_REFUSED: 409,
  ITEM_ALREADY_DISPOSED: 409,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof MARKETS_ERRORS> {}
}
