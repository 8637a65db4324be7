import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of inspections (巡查检查), each with its HTTP status. Add a code here to throw it. */
export const INSPECTIONS_ERRORS = {
  /** A published checklist version is immutable: create a new version. */
  TEMPLATE_PUBLISHED: 409,
  /** Inspections use published checklist versions only. */
  TEMPLATE_NOT_PUBLISHED: 422,
  INVALID_CHECKLIST: 422,
  INVALID_INSPECTION: 422,
  /** Labs and regulators are not inspected organisations. */
  NOT_INSPECTABLE: 422,
  /** A re-inspection closes only open findings of the organisation it re-inspects. */
  FINDING_NOT_OPEN: 409,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof INSPECTIONS_ERRORS> {}
}
