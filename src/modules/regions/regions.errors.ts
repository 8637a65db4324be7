import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of administrative regions, each with its HTTP status. Add a code here to throw it. */
export const REGIONS_ERRORS = {
  INVALID_REGION_CODE: 400,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof REGIONS_ERRORS> {}
}
