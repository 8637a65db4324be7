import type { Declared, ErrorStatuses } from '../errors';

/** The error codes of EPCIS documents, each with its HTTP status. Add a code here to throw it. */
export const EPCIS_ERRORS = {
  INVALID_EPCIS: 400,
} as const satisfies ErrorStatuses;

declare module '../errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof EPCIS_ERRORS> {}
}
