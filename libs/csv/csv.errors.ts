import type { Declared, ErrorStatuses } from '../errors';

/** The error codes of CSV files, each with its HTTP status. Add a code here to throw it. */
export const CSV_ERRORS = {
  INVALID_CSV: 400,
} as const satisfies ErrorStatuses;

declare module '../errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof CSV_ERRORS> {}
}
