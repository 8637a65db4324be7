import type { Declared, ErrorStatuses } from '../errors';

/** The error codes of quantities, each with its HTTP status. Add a code here to throw it. */
export const QUANTITY_ERRORS = {
  INVALID_QUANTITY: 400,
} as const satisfies ErrorStatuses;

declare module '../errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof QUANTITY_ERRORS> {}
}
