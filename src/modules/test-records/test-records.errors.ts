import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of test records, each with its HTTP status. Add a code here to throw it. */
export const TEST_RECORDS_ERRORS = {
  INVALID_TEST_RESULT: 400,
  STREAM_NOT_SELF_DECLARED: 422,
  TEST_RECORD_NOT_FOUND: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof TEST_RECORDS_ERRORS> {}
}
