import { invalid, normalizeTyped, passes, requireString } from './invalid-input';

const CODE = 'INVALID_GTIN';
const FIELD = 'gtin';
const GTIN_LENGTHS = [8, 12, 13, 14];

/** GS1 mod-10: weights 3,1,3,1… starting from the rightmost data digit. */
export function gtinCheckDigit(dataDigits: string): string {
  if (!/^\d+$/.test(requireString(dataDigits, CODE, FIELD))) throw invalid(CODE, FIELD, 'digits', 'GTIN data must be digits');
  let sum = 0;
  for (let i = dataDigits.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += Number(dataDigits[i]) * w;
  return String((10 - (sum % 10)) % 10);
}

/** Returns the GTIN-14 form (left-padded with zeros) that the database and Digital Links use. */
export function normalizeGtin(input: unknown): string {
  const value = normalizeTyped(requireString(input, CODE, FIELD));
  if (!/^\d+$/.test(value)) throw invalid(CODE, FIELD, 'digits', 'GTIN must contain digits only');
  if (!GTIN_LENGTHS.includes(value.length)) {
    throw invalid(CODE, FIELD, 'length', 'GTIN must have 8, 12, 13 or 14 digits', { allowed: GTIN_LENGTHS });
  }
  const expected = gtinCheckDigit(value.slice(0, -1));
  if (value.at(-1) !== expected) {
    throw invalid(CODE, FIELD, 'check_digit', 'GTIN check digit is wrong', { expected });
  }
  return value.padStart(14, '0');
}

export function isValidGtin(input: unknown): boolean {
  return passes(() => normalizeGtin(input));
}

/**
 * GS1 China prefixes 690–699, read on the GTIN-13 inside the GTIN-14. A GTIN-12 (UPC) or
 * GTIN-8 padded to 14 never matches: their prefixes live elsewhere. Invalid input is simply false.
 */
export function isGs1ChinaPrefix(gtin: string): boolean {
  if (!isValidGtin(gtin)) return false;
  return normalizeGtin(gtin).slice(1, 3) === '69';
}
