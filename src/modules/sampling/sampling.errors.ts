import type { Declared, ErrorStatuses } from '../../../libs/errors';

/**
 * The error codes of sampling plans, samples and their results, each with its HTTP status. Add a
 * code here to throw it.
 */
export const SAMPLING_ERRORS = {
  INVALID_SAMPLE_TRANSITION: 409,
  RESULTS_ALREADY_SUBMITTED: 409,
  RECHECK_NOT_ALLOWED: 409,
  RECHECK_WINDOW_CLOSED: 409,
  RECHECK_NOT_JUDGED: 409,
  RECHECK_ALREADY_DECIDED: 409,
  PERIOD_OUTSIDE_PLAN: 422,
  REGION_OUTSIDE_JURISDICTION: 422,
  LAB_NOT_FOUND: 422,
  NOT_A_RECHECK: 422,
  DUPLICATE_ANALYTE: 422,
  INVALID_RESULTS_FILE: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof SAMPLING_ERRORS> {}
}
