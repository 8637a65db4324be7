import type { Declared, ErrorStatuses } from '../../../libs/errors';

/**
 * The error codes of EPCIS capture and the supply chain (shipments, transformations), each with
 * its HTTP status. Add a code here to throw it.
 */
export const EVENTS_ERRORS = {
  CAPTURE_LIMIT_EXCEEDED: 413,
  EVENT_ID_CONFLICT: 422,
  EVENT_NOT_OWNED: 422,
  UNKNOWN_LOT: 422,
  UNKNOWN_ORGANIZATION: 422,
  TRANSFORMATION_CYCLE: 422,
  INSUFFICIENT_QUANTITY: 422,
  UNIT_MISMATCH: 422,
  YIELD_EXCEEDED: 422,
  SHIPMENT_NOT_FOUND: 422,
  SHIPMENT_ALREADY_RECEIVED: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof EVENTS_ERRORS> {}
}
