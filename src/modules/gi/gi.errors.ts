import type { Declared, ErrorStatuses } from '../../../libs/errors';

/**
 * The error codes of geographical indications (records, authorisations, claims, imports), each
 * with its HTTP status. Add a code here to throw it.
 */
export const GI_ERRORS = {
  INVALID_GI_REGISTRATION_NUMBER: 400,
  INVALID_GI_SPEC_REFERENCE: 400,
  INVALID_BOUNDING_BOX: 400,
  DUPLICATE_GI: 409,
  GI_ALREADY_REVOKED: 409,
  GI_AUTHORISATION_OVERLAP: 409,
  GI_AUTHORISATION_HAS_CLAIMS: 409,
  GI_QUOTA_BELOW_CLAIMED: 409,
  GI_REVOKED: 422,
  GI_NOT_YET_REGISTERED: 422,
  GI_OUTSIDE_AREA: 422,
  GI_NOT_AUTHORISED: 422,
  GI_AUTHORISATION_REVOKED: 422,
  GI_QUOTA_UNIT_MISMATCH: 422,
  GI_QUOTA_EXCEEDED: 422,
  GI_IMPORT_REJECTED: 422,
  DUPLICATE_IN_FILE: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof GI_ERRORS> {}
}
