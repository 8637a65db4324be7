import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of logistic units (SSCC), each with its HTTP status. Add a code here to throw it. */
export const LOGISTICS_ERRORS = {
  NO_COMPANY_PREFIX: 422,
  SSCC_EXHAUSTED: 409,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof LOGISTICS_ERRORS> {}
}
