import { createHmac } from 'node:crypto';
import { chinaDate, isCalendarDate } from './calendar-date';
import { invalid, normalizeTyped, passes, requireString } from './invalid-input';

// GB 11643-1999 citizen identity number. It is personal data: errors never echo the value
// or the expected check character, so nothing leaks into logs or error bodies.
const CODE = 'INVALID_ID_NUMBER';
const FIELD = 'idNumber';
/** ISO 7064 MOD 11-2: w_i = 2^(18-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character indexed by (Σ a_i·w_i) mod 11. */
const CHECK_BY_REMAINDER = '10X98765432';

export interface ChineseIdNumber {
  value: string;
  /** GB/T 2260 code of the place of first registration. */
  regionCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** pos 17: odd for men, even for women. */
  sex: 'male' | 'female';
}

/**
 * Validates and returns the canonical 18-character number (upper-case X). Only the string comes
 * back, so callers hash and mask it without birth date and sex spreading further than needed.
 * `asOf` bounds the birth date: nobody is born in the future.
 */
export function parseChineseIdNumber(input: unknown, asOf: Date = new Date()): string {
  return describeChineseIdNumber(input, asOf).value;
}

/** The same validation, plus the fields encoded in the number, for the rare caller that needs them. */
export function describeChineseIdNumber(input: unknown, asOf: Date = new Date()): ChineseIdNumber {
  const value = normalizeTyped(requireString(input, CODE, FIELD)).toUpperCase();
  if (value.length !== 18) throw invalid(CODE, FIELD, 'length', 'ID number must have 18 characters');
  if (!/^\d{17}[\dX]$/.test(value)) {
    throw invalid(CODE, FIELD, 'charset', 'ID number must be 17 digits and a digit or X');
  }
  const birthDate = birthDateOf(value, asOf);
  if (value[17] !== idNumberCheckCharacter(value.slice(0, 17))) {
    throw invalid(CODE, FIELD, 'check_character', 'ID number check character is wrong');
  }
  return {
    value,
    regionCode: value.slice(0, 6),
    birthDate,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

export function isValidChineseIdNumber(input: unknown, asOf: Date = new Date()): boolean {
  return passes(() => parseChineseIdNumber(input, asOf));
}

export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(requireString(first17, CODE, FIELD))) throw invalid(CODE, FIELD, 'charset', 'expected 17 digits');
  const sum = WEIGHTS.reduce((acc, w, i) => acc + Number(first17[i]) * w, 0);
  return CHECK_BY_REMAINDER[sum % 11];
}

/**
 * "510104********123X": the first 6 (region) and last 4 stay, so staff can tell records apart
 * without seeing the birth date. Anything too short to keep 10 characters is masked whole.
 */
/**
 * The keyed hash an ID number is stored as (HMAC-SHA256 under SECRET_KEY, hex): it finds the same
 * person again without keeping the number. Takes the number as parsed (parseChineseIdNumber).
 */
export function idNumberHmac(secretKey: string, idNumber: string): string {
  return createHmac('sha256', secretKey).update(idNumber).digest('hex');
}

export function maskIdNumber(id: string): string {
  if (typeof id !== 'string') return '';
  const value = normalizeTyped(id);
  if (value.length <= 10) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

function birthDateOf(value: string, asOf: Date): string {
  const [y, m, d] = [value.slice(6, 10), value.slice(10, 12), value.slice(12, 14)];
  const iso = `${y}-${m}-${d}`;
  if (Number(y) < 1900 || !isCalendarDate(Number(y), Number(m), Number(d)) || iso > chinaDate(asOf)) {
    throw invalid(CODE, FIELD, 'birth_date', 'ID number birth date (pos 7–14) is not a valid past date');
  }
  return iso;
}
