import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of consumer reports (问题反馈), each with its HTTP status. Add a code here to throw it. */
export const CONSUMER_REPORTS_ERRORS = {
  /** A photo of the wrong type, too large, or not a readable image. */
  INVALID_PHOTO: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof CONSUMER_REPORTS_ERRORS> {}
}
