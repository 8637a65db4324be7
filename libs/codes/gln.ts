import { gtinCheckDigit } from './gtin';
import { invalid, normalizeTyped, passes, requireString } from './invalid-input';

const CODE = 'INVALID_GLN';

/**
 * GS1 Global Location Number: 13 digits, the last a GS1 mod-10 check digit (the same algorithm as the
 * GTIN's). Identifies a party (AI 417) or a location (AI 414). Full-width digits are folded.
 */
export function normalizeGln(input: unknown, field = 'gln'): string {
  const value = normalizeTyped(requireString(input, CODE, field));
  if (!/^\d{13}$/.test(value)) throw invalid(CODE, field, 'format', 'A GLN has exactly 13 digits');
  const expected = gtinCheckDigit(value.slice(0, 12));
  if (value[12] !== expected) throw invalid(CODE, field, 'check_digit', 'GLN check digit is wrong', { expected });
  return value;
}

export function isValidGln(input: unknown): boolean {
  return passes(() => normalizeGln(input));
}
