import { HttpStatus } from '@nestjs/common';

/**
 * Domain error code → HTTP status. Codes not listed here answer 422 when they come from a
 * rule (the request was understood but breaks a rule) — add a row when a code needs another status.
 */
const STATUS_BY_CODE: Record<string, HttpStatus> = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  MALFORMED_JSON: HttpStatus.BAD_REQUEST,
  BAD_REQUEST: HttpStatus.BAD_REQUEST,
  INVALID_CURSOR: HttpStatus.BAD_REQUEST,
  INVALID_USCC: HttpStatus.BAD_REQUEST,
  INVALID_ID_NUMBER: HttpStatus.BAD_REQUEST,
  INVALID_GTIN: HttpStatus.BAD_REQUEST,
  INVALID_LOT_CODE: HttpStatus.BAD_REQUEST,
  INVALID_DIGITAL_LINK: HttpStatus.BAD_REQUEST,
  INVALID_TRACE_CODE: HttpStatus.BAD_REQUEST,
  INVALID_REGION_CODE: HttpStatus.BAD_REQUEST,
  UNKNOWN_CATEGORY: HttpStatus.BAD_REQUEST,
  INVALID_QUANTITY: HttpStatus.BAD_REQUEST,
  UNKNOWN_LAYOUT: HttpStatus.BAD_REQUEST,
  LAYOUT_NOT_SUPPORTED: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  METHOD_NOT_ALLOWED: HttpStatus.METHOD_NOT_ALLOWED,
  CONFLICT: HttpStatus.CONFLICT,
  DUPLICATE_USCC: HttpStatus.CONFLICT,
  DUPLICATE_GTIN: HttpStatus.CONFLICT,
  DUPLICATE_LOT_CODE: HttpStatus.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  IDEMPOTENCY_IN_PROGRESS: HttpStatus.CONFLICT,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

export function statusForCode(code: string): HttpStatus {
  return STATUS_BY_CODE[code] ?? HttpStatus.UNPROCESSABLE_ENTITY;
}
