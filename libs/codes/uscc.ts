import { invalid, normalizeTyped, passes, requireString } from './invalid-input';

/** GB 32100-2015 charset: digits and capitals without I, O, S, V, Z. A character's value is its index. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]*$/;
const CODE = 'INVALID_USCC';
const FIELD = 'uscc';

/** w_i = 3^(i-1) mod 31 for i = 1..17. */
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => powMod(3, i, 31));
/** GB 11714 weights over the 8 body characters of the organisation code (USCC pos 9–16). */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export interface Uscc {
  value: string;
  /** pos 1: registering authority (9 = market regulation, N = agriculture, …). */
  authority: string;
  /** pos 2: organisation type within the authority (91 enterprise, 93 cooperative, N2 village collective …). */
  orgType: string;
  /** pos 3–8: GB/T 2260 code of the registering office. */
  regionCode: string;
  /** pos 9–17: GB 11714 organisation code, its own check character included. */
  orgCode: string;
  /** false only when `acceptFailedChecks` let a failing code through. */
  checksPassed: boolean;
}

export interface ParseUsccOptions {
  /**
   * Some genuine early codes fail the checks. The organisations service may accept one when a
   * registry lookup confirms it (and audits that); structure and charset are still enforced.
   */
  acceptFailedChecks?: boolean;
}

export function parseUscc(input: unknown, options: ParseUsccOptions = {}): Uscc {
  const value = normalizeTyped(requireString(input, CODE, FIELD)).toUpperCase();
  assertShape(value, 18);
  if (!/^\d{6}$/.test(value.slice(2, 8))) {
    throw invalid(CODE, FIELD, 'region_code', 'USCC positions 3–8 must be a 6-digit region code');
  }
  const failure = checkFailure(value);
  if (failure && !options.acceptFailedChecks) throw failure;
  return {
    value,
    authority: value[0],
    orgType: value.slice(0, 2),
    regionCode: value.slice(2, 8),
    orgCode: value.slice(8, 17),
    checksPassed: failure === undefined,
  };
}

export function isValidUscc(input: unknown): boolean {
  return passes(() => parseUscc(input));
}

/** Check character (pos 18) over the first 17 characters. */
export function usccCheckCharacter(first17: string): string {
  assertShape(first17, 17);
  const sum = USCC_WEIGHTS.reduce((acc, w, i) => acc + USCC_CHARSET.indexOf(first17[i]) * w, 0);
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/**
 * GB 11714 check character over an 8-character organisation-code body. Letters count by
 * alphabet position (A=10 … Z=35), not by their USCC charset index: the two checks differ.
 */
export function orgCodeCheckCharacter(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(requireString(body8, CODE, FIELD))) {
    throw invalid(CODE, FIELD, 'charset', 'organisation code body must be 8 digits or capitals');
  }
  const sum = ORG_CODE_WEIGHTS.reduce((acc, w, i) => acc + alnumValue(body8[i]) * w, 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Appends pos 17 and 18 to 16 characters: test factories use it to make valid codes. */
export function completeUscc(first16: string): string {
  assertShape(first16, 16);
  const first17 = first16 + orgCodeCheckCharacter(first16.slice(8, 16));
  return first17 + usccCheckCharacter(first17);
}

function checkFailure(value: string) {
  const orgCheck = orgCodeCheckCharacter(value.slice(8, 16));
  if (value[16] !== orgCheck) {
    return invalid(CODE, FIELD, 'org_code_check', 'USCC organisation-code check character (pos 17) is wrong', {
      expected: orgCheck,
    });
  }
  const check = usccCheckCharacter(value.slice(0, 17));
  if (value[17] !== check) {
    return invalid(CODE, FIELD, 'check_character', 'USCC check character (pos 18) is wrong', {
      expected: check,
    });
  }
  return undefined;
}

function assertShape(value: string, length: number): void {
  requireString(value, CODE, FIELD);
  if (value.length !== length) {
    throw invalid(CODE, FIELD, 'length', `expected ${length} USCC characters`, { expectedLength: length });
  }
  if (!USCC_PATTERN.test(value)) {
    throw invalid(CODE, FIELD, 'charset', 'USCC may only contain 0-9 and capitals except I, O, S, V, Z');
  }
}

function alnumValue(ch: string): number {
  return /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
}

function powMod(base: number, exp: number, mod: number): number {
  let result = 1;
  for (let i = 0; i < exp; i++) result = (result * base) % mod;
  return result;
}
