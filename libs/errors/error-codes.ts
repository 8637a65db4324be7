/**
 * Error codes are declared, each with its one HTTP status, next to the code that throws them:
 * the codes every layer shares below (COMMON_ERRORS), each lib's in `libs/<lib>/<lib>.errors.ts`,
 * each feature's in `src/modules/<feature>/<feature>.errors.ts`.
 *
 * Why a registry interface: `DomainError` lives here in libs/, which must not import src/, yet
 * its constructor has to accept a feature's codes and nothing else. Each errors file therefore
 * adds its table to `ErrorCodeRegistry` by declaration merging (`declare module` … `extends
 * Declared<typeof TABLE>`); `ErrorCode` is the union of every merged key, so throwing an undeclared
 * code does not compile, and two declarations giving one code different statuses do not compile
 * either. The runtime table (src/error-codes.ts) is typed as a complete `Record<ErrorCode, …>`,
 * so a declared table that is not listed there does not compile.
 *
 * Adding a code is one line in the thrower's errors file: `MY_NEW_CODE: 409,`. A feature without
 * one copies an existing errors file (table + `declare module` block) and adds the table to
 * src/error-codes.ts; the compiler points at whichever of the two is missing.
 */

/** The statuses an error may answer with: 4xx when the caller can fix it, 5xx when we must. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503;

/** A table of codes (UPPER_SNAKE, stable: clients branch on them) and their statuses. */
export type ErrorStatuses = Readonly<Record<string, ErrorStatus>>;

/** Heritage-clause helper: an interface may extend a named type but not a `typeof` directly. */
export type Declared<T extends ErrorStatuses> = T;

/** Codes any layer may use: transport problems, authentication, and the generic refusals. */
export const COMMON_ERRORS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  INVALID_CURSOR: 400,
  // A value input validation let through but PostgreSQL refused (NUL, bad encoding, impossible date): never a 500.
  UNSTORABLE_VALUE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies ErrorStatuses;

/** Every declared code → its status. Errors files extend this interface; see the header. */
export interface ErrorCodeRegistry extends Declared<typeof COMMON_ERRORS> {}

export type ErrorCode = keyof ErrorCodeRegistry;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * Joins declared tables into one. A code declared twice is refused here even when both
 * declarations agree (the compiler only catches disagreeing ones): each code has one owner.
 */
export function mergeErrorTables<T extends ErrorStatuses[]>(...tables: T): UnionToIntersection<T[number]> {
  const merged: Record<string, ErrorStatus> = {};
  for (const table of tables) {
    for (const [code, status] of Object.entries(table)) {
      if (code in merged) throw new Error(`Error code ${code} is declared twice`);
      merged[code] = status;
    }
  }
  return Object.freeze(merged) as UnionToIntersection<T[number]>;
}
