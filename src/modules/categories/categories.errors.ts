import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of the food-category tree, each with its HTTP status. Add a code here to throw it. */
export const CATEGORIES_ERRORS = {
  UNKNOWN_CATEGORY: 400,
  INVALID_CATEGORY_FILE: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof CATEGORIES_ERRORS> {}
}
