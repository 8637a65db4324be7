import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of stored files, each with its HTTP status. Add a code here to throw it. */
export const FILES_ERRORS = {
  /** A photo (inspection, consumer report) of the wrong type, too large, or not a readable image. */
  INVALID_PHOTO: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof FILES_ERRORS> {}
}
