import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of products, each with its HTTP status. Add a code here to throw it. */
export const PRODUCTS_ERRORS = {
  DUPLICATE_GTIN: 409,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof PRODUCTS_ERRORS> {}
}
