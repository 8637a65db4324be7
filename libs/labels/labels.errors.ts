import type { Declared, ErrorStatuses } from '../errors';

/** The error codes of the label renderers, each with its HTTP status. Add a code here to throw it. */
export const LABELS_ERRORS = {
  UNKNOWN_LAYOUT: 400,
  LAYOUT_NOT_SUPPORTED: 400,
  LABELS_EMPTY: 422,
  LABEL_FIELD_INVALID: 422,
  LABEL_OPTION_INVALID: 422,
  QR_OPTION_INVALID: 422,
  QR_TEXT_EMPTY: 422,
  QR_TEXT_INVALID: 422,
  QR_TEXT_TOO_LONG: 422,
} as const satisfies ErrorStatuses;

declare module '../errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof LABELS_ERRORS> {}
}
