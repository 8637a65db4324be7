import { DomainError } from '../../../../libs/errors';

/**
 * An exact non-negative decimal: `coefficient × 10^exponent`, kept normalised (no trailing zeros in
 * the coefficient), so `0.1`, `0.10` and `1e-1` are the same value and compare equal. Limits and
 * results are compared with integer arithmetic: no binary floating point at the boundary.
 */
export interface Decimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

export const ZERO: Decimal = { coefficient: 0n, exponent: 0 };

const DECIMAL_PATTERN = /^\+?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;
/** Longest accepted input and widest exponent: beyond this no laboratory value makes sense. */
const MAX_LENGTH = 40;
const MAX_EXPONENT = 40;

export function normalize(coefficient: bigint, exponent: number): Decimal {
  if (coefficient === 0n) return ZERO;
  let c = coefficient;
  let e = exponent;
  while (c % 10n === 0n) {
    c /= 10n;
    e += 1;
  }
  return { coefficient: c, exponent: e };
}

/**
 * Parses a decimal written as a string (`"0.05"`, `"5.0"`, `"1e-3"`) or a finite JSON number.
 * Negative, empty, non-finite or absurdly long input throws INVALID_DECIMAL.
 */
export function parseDecimal(input: unknown, field = 'value'): Decimal {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw invalid(field, String(input));
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    throw invalid(field, input);
  }
  if (text.length === 0 || text.length > MAX_LENGTH) throw invalid(field, text);
  const match = DECIMAL_PATTERN.exec(text);
  if (!match || (match[1] === undefined && !match[2])) throw invalid(field, text);
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0') - fraction.length;
  const result = normalize(BigInt(whole + fraction || '0'), exponent);
  if (result.coefficient !== 0n && Math.abs(result.exponent) > MAX_EXPONENT) throw invalid(field, text);
  return result;
}

function invalid(field: string, value: unknown): DomainError {
  return new DomainError('INVALID_DECIMAL', `${field} must be a non-negative decimal number (e.g. "0.05")`, {
    field, rule: 'decimal', value: typeof value === 'string' ? value.slice(0, MAX_LENGTH + 10) : typeof value === 'number' ? String(value) : typeof value,
  });
}

/** Multiplies by 10^power (unit conversion between mg/kg and µg/kg is a shift of 3). */
export function shift(value: Decimal, power: number): Decimal {
  return value.coefficient === 0n ? ZERO : { coefficient: value.coefficient, exponent: value.exponent + power };
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  if (a.coefficient === 0n || b.coefficient === 0n) {
    const x = a.coefficient === 0n ? 0n : 1n;
    const y = b.coefficient === 0n ? 0n : 1n;
    return x === y ? 0 : x < y ? -1 : 1;
  }
  const e = Math.min(a.exponent, b.exponent);
  const x = a.coefficient * 10n ** BigInt(a.exponent - e);
  const y = b.coefficient * 10n ** BigInt(b.exponent - e);
  return x === y ? 0 : x < y ? -1 : 1;
}

export function isZero(value: Decimal): boolean {
  return value.coefficient === 0n;
}

/** Plain decimal notation without exponent or trailing zeros: `0.05`, `10`, `0.0001`. */
export function formatDecimal(value: Decimal): string {
  if (value.coefficient === 0n) return '0';
  const digits = value.coefficient.toString();
  if (value.exponent >= 0) return digits + '0'.repeat(value.exponent);
  const point = digits.length + value.exponent;
  return point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
}
