import { assertSet82Value } from './gs1-set82';
import { invalid, normalizeTyped, passes, requireString } from './invalid-input';

const CODE = 'INVALID_LOT_CODE';
const FIELD = 'lot';

/**
 * A user-supplied lot (AI 10): 1–20 characters of GS1 set 82, case kept (lots are
 * case-sensitive). Surrounding spaces and full-width IME characters are folded first.
 */
export function validateLotCode(input: unknown): string {
  const value = normalizeTyped(requireString(input, CODE, FIELD));
  if (value.length === 0) throw invalid(CODE, FIELD, 'length', 'lot must not be empty');
  assertSet82Value(value, CODE, FIELD);
  return value;
}

export function isValidLotCode(input: unknown): boolean {
  return passes(() => validateLotCode(input));
}
