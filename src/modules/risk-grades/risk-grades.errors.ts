import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of risk grades (风险分级), each with its HTTP status. Add a code here to throw it. */
export const RISK_GRADES_ERRORS = {
  INVALID_PERIOD: 422,
  INVALID_OVERRIDE: 422,
  /** A published grade is the public record: it no longer changes. */
  GRADE_PUBLISHED: 409,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof RISK_GRADES_ERRORS> {}
}
