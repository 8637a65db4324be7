import type { Declared, ErrorStatuses } from '../../../libs/errors';

/**
 * The error codes of the limit tables (GB 2763 / GB 31650) and verdicts, each with its HTTP
 * status. Add a code here to throw it.
 */
export const LIMITS_ERRORS = {
  INVALID_DECIMAL: 400,
  UNKNOWN_ANALYTE: 422,
  UNKNOWN_FOOD: 422,
  UNIT_NOT_CONVERTIBLE: 422,
  INVALID_LIMIT_FILE: 422,
  LIMIT_IMPORT_REJECTED: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof LIMITS_ERRORS> {}
}
