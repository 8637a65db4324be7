import BigJs from 'big.js';
import { DomainError } from '../errors';

/**
 * Exact decimal arithmetic for the platform (quantities, quotas, limits, laboratory results) on
 * big.js. Its own constructor runs in strict mode: a primitive number is refused on the way in and
 * `valueOf` throws on the way out, so a decimal can never silently become a binary float (`a < b`
 * on two decimals throws instead of comparing them as floats or strings).
 */
const Big = BigJs();
Big.strict = true;
/** Unit conversions divide by factors such as 1000 or 0.5: exact far within 30 decimals. */
Big.DP = 30;
Big.RM = Big.roundDown;

export type Decimal = BigJs.Big;

export const ZERO: Decimal = Big('0');

/**
 * A decimal from a trusted source: a numeric column read back from PostgreSQL ("12.500"), a
 * constant, or a scaled integer. Input from a request goes through `parseDecimal` or the quantity
 * parser instead, which name the field when they refuse it.
 */
export function decimal(value: string | bigint | Decimal): Decimal {
  return Big(value);
}

const DECIMAL_PATTERN = /^\+?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;
/** Longest accepted input and widest exponent: beyond this no laboratory value makes sense. */
const MAX_LENGTH = 40;
const MAX_EXPONENT = 40;

/**
 * Parses a non-negative decimal written as a string (`"0.05"`, `"5.0"`, `"1e-3"`, `".5"`) or a
 * finite JSON number. Negative, empty, non-finite or absurdly long input throws INVALID_DECIMAL
 * naming `field`.
 */
export function parseDecimal(input: unknown, field = 'value'): Decimal {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw invalidDecimal(field, String(input));
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    throw invalidDecimal(field, input);
  }
  if (text.length === 0 || text.length > MAX_LENGTH) throw invalidDecimal(field, text);
  const match = DECIMAL_PATTERN.exec(text);
  if (!match || (match[1] === undefined && !match[2])) throw invalidDecimal(field, text);
  const value = Big(text.startsWith('+') ? text.slice(1) : text);
  if (!isZero(value) && Math.abs(lastDigitExponent(value)) > MAX_EXPONENT) throw invalidDecimal(field, text);
  return value;
}

function invalidDecimal(field: string, value: unknown): DomainError {
  return new DomainError('INVALID_DECIMAL', `${field} must be a non-negative decimal number (e.g. "0.05")`, {
    field, rule: 'decimal', value: typeof value === 'string' ? value.slice(0, MAX_LENGTH + 10) : typeof value === 'number' ? String(value) : typeof value,
  });
}

/** The power of ten of the last significant digit: 0.05 → -2, 300 → 2. */
function lastDigitExponent(value: Decimal): number {
  return value.e - (value.c.length - 1);
}

/** How many decimals the value needs: 0.050 → 2, 300 → 0. */
export function decimalPlaces(value: Decimal): number {
  return Math.max(0, -lastDigitExponent(value));
}

/**
 * Plain notation without exponent or trailing zeros: `0.05`, `10`, `0.0001`. A string is a
 * numeric column as PostgreSQL returns it ("1200.500" → "1200.5").
 */
export function formatDecimal(value: Decimal | string): string {
  return (typeof value === 'string' ? Big(value) : value).toFixed();
}

/** An integer counted in 10^-scale (millionths: scale 6) as a plain decimal string. */
export function formatScaled(integer: bigint, scale: number): string {
  return shift(Big(integer), -scale).toFixed();
}

/** Powers of ten parsed once: unit conversions shift by the same few powers all day. */
const POWERS = new Map<number, Decimal>();

/** Multiplies by 10^power exactly (mg/kg ↔ µg/kg is a shift of 3). */
export function shift(value: Decimal, power: number): Decimal {
  if (power === 0) return value;
  let factor = POWERS.get(power);
  if (!factor) {
    factor = Big(`1e${power}`);
    if (Math.abs(power) <= 64) POWERS.set(power, factor);
  }
  return value.times(factor);
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  return a.cmp(b);
}

export function isZero(value: Decimal): boolean {
  return value.c[0] === 0;
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** Cuts to `places` decimals toward zero (what is left is never overstated). */
export function roundDown(value: Decimal, places: number): Decimal {
  return value.round(places, Big.roundDown);
}
