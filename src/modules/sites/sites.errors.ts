import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of production sites, each with its HTTP status. Add a code here to throw it. */
export const SITES_ERRORS = {
  SITE_REGION_FIXED: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof SITES_ERRORS> {}
}
