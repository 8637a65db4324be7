import type { Declared, ErrorStatuses } from '../../../libs/errors';

/**
 * The error codes of quality marks (records, licences, claims on batches, 有机码, imports), each
 * with its HTTP status. The claim refusals are also the `reason` of a kept refusal.
 */
export const MARKS_ERRORS = {
  INVALID_MARK_NUMBER: 400,
  INVALID_ENTERPRISE_CODE: 400,
  INVALID_MARK_VALIDITY: 400,
  INVALID_MARK_SCOPE: 400,
  INVALID_ORGANIC_CODE: 400,
  DUPLICATE_MARK: 409,
  DUPLICATE_ORGANIC_CODE: 409,
  MARK_ALREADY_REVOKED: 409,
  MARK_AUTHORISATION_OVERLAP: 409,
  MARK_NOT_LICENSABLE: 422,
  MARK_EXPIRED: 422,
  MARK_NOT_YET_VALID: 422,
  MARK_OUTSIDE_SCOPE: 422,
  MARK_QUOTA_EXCEEDED: 422,
  MARK_QUOTA_UNIT_MISMATCH: 422,
  MARK_NOT_AUTHORISED: 422,
  MARK_REVOKED: 422,
  MARK_CONVERSION_PERIOD: 422,
  ORGANIC_CODES_EXHAUSTED: 409,
  MARK_IMPORT_REJECTED: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof MARKS_ERRORS> {}
}
