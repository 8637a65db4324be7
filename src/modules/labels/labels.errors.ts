import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of label print runs and renders, each with its HTTP status. Add a code here to throw it. */
export const LABEL_RUNS_ERRORS = {
  LABEL_RENDER_FAILED: 409,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof LABEL_RUNS_ERRORS> {}
}
