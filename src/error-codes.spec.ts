import { COMMON_ERRORS, DomainError, type ErrorCode, mergeErrorTables } from '../libs/errors';
import { ERROR_STATUSES, isErrorCode, statusForCode } from './error-codes';

describe('error codes', () => {
  const codes = Object.keys(ERROR_STATUSES) as ErrorCode[];

  it('gives every declared code one HTTP error status', () => {
    expect(codes.length).toBeGreaterThan(100);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      const status = statusForCode(code);
      expect([status >= 400 && status < 600, code]).toEqual([true, code]);
    }
  });

  it('keeps the statuses clients know', () => {
    const known: ErrorCode[] = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'INVITE_INVALID',
      'CAPTURE_LIMIT_EXCEEDED', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'DUPLICATE_GTIN',
      // Rule refusals that had no row in the old table answered 422 and still do.
      'BATCH_NOT_ACTIVE', 'GI_QUOTA_EXCEEDED', 'LABELS_EMPTY', 'IDEMPOTENCY_KEY_REUSED'];
    expect(Object.fromEntries(known.map((code) => [code, statusForCode(code)]))).toEqual({
      VALIDATION_FAILED: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, INVITE_INVALID: 410,
      CAPTURE_LIMIT_EXCEEDED: 413, UNSUPPORTED_MEDIA_TYPE: 415, RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503, DUPLICATE_GTIN: 409,
      BATCH_NOT_ACTIVE: 422, GI_QUOTA_EXCEEDED: 422, LABELS_EMPTY: 422, IDEMPOTENCY_KEY_REUSED: 422,
    });
  });

  it('knows only declared codes', () => {
    expect(isErrorCode('NOT_FOUND')).toBe(true);
    expect(isErrorCode('NO_SUCH_CODE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('refuses a code declared by two tables, even with the same status', () => {
    expect(() => mergeErrorTables(COMMON_ERRORS, { NOT_FOUND: 404 })).toThrow('Error code NOT_FOUND is declared twice');
    expect(mergeErrorTables({ A: 400 }, { B: 409 })).toEqual({ A: 400, B: 409 });
  });

  it('does not compile a DomainError with an undeclared code', () => {
    const make = () => [
      // @ts-expect-error -- an undeclared code is not an ErrorCode
      new DomainError('NO_SUCH_CODE', 'never thrown'),
      // @ts-expect-error -- codes are case-sensitive
      new DomainError('not_found', 'never thrown'),
      // @ts-expect-error -- a string of unknown value is not an ErrorCode either
      new DomainError(String('NOT_FOUND'), 'never thrown'),
    ];
    expect(typeof make).toBe('function');
    const declared: ErrorCode = 'GI_IMPORT_REJECTED';
    expect(new DomainError(declared, 'thrown').code).toBe('GI_IMPORT_REJECTED');
  });
});

describe('error details', () => {
  it('names the first field at the top when validation lists several', () => {
    const error = new DomainError('VALIDATION_FAILED', 'from: must be a date', {
      fields: [{ field: 'from', rule: 'isDateString', message: 'must be a date' }, { field: 'to', rule: 'isDateString', message: 'must be a date' }],
    });
    expect(error.details).toEqual({
      field: 'from', rule: 'isDateString',
      fields: [{ field: 'from', rule: 'isDateString', message: 'must be a date' }, { field: 'to', rule: 'isDateString', message: 'must be a date' }],
    });
  });

  it('leaves details that already name their field as they are', () => {
    const details = { field: 'gtin', rule: 'unique', fields: [{ field: 'other', rule: 'x', message: 'x' }] };
    expect(new DomainError('DUPLICATE_GTIN', 'taken', details).details).toBe(details);
    expect(new DomainError('NOT_FOUND', 'gone').details).toBeUndefined();
    expect(new DomainError('VALIDATION_FAILED', 'empty', { fields: [] }).details).toEqual({ fields: [] });
  });
});
