import type { Declared, ErrorStatuses } from '../errors';

/**
 * The error codes of the code library (USCC, ID numbers, GTIN, lots, Digital Links, trace codes),
 * each with its HTTP status. Add a code here to throw it.
 */
export const CODES_ERRORS = {
  INVALID_USCC: 400,
  INVALID_ID_NUMBER: 400,
  INVALID_GTIN: 400,
  INVALID_GLN: 400,
  INVALID_SSCC: 400,
  INVALID_GS1_COMPANY_PREFIX: 400,
  INVALID_LOT_CODE: 400,
  INVALID_DIGITAL_LINK: 400,
  INVALID_TRACE_CODE: 400,
  INVALID_TRACE_CODE_COUNT: 422,
} as const satisfies ErrorStatuses;

declare module '../errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof CODES_ERRORS> {}
}
