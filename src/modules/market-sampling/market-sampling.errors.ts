import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of the market regulator's sampling statistics, each with its HTTP status. Add a code here to throw it. */
export const MARKET_SAMPLING_ERRORS = {
  /** Rows with problems: nothing was imported; details list every `{ row, column, code, message }`. */
  MARKET_SAMPLING_IMPORT_REJECTED: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof MARKET_SAMPLING_ERRORS> {}
}
