import { DomainError } from '../../../../libs/errors';
import { parseQuantity, Quantity } from '../../../../libs/quantity';

/**
 * Quantities for quotas, in exact integer micro-units (no floating point): masses in micro-kg
 * (kg, g, t and 斤 are comparable), count units (个, 箱 …) only with themselves.
 */
export interface BaseQuantity {
  /** Amount × 10⁶ of `unit`. */
  micro: bigint;
  /** 'kg' for masses; the unit itself for counts. */
  unit: string;
}

/** Micro-kg per milli-unit (a value with 3 decimals, times 1000) of each mass unit. */
const MASS_MICRO_PER_MILLI: Record<string, bigint> = { g: 1n, kg: 1000n, '斤': 500n, t: 1_000_000n };

export function toBase(q: Quantity): BaseQuantity {
  const [whole, fraction = ''] = q.value.split('.');
  const milli = BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0').slice(0, 3) || '0');
  const mass = MASS_MICRO_PER_MILLI[q.unit];
  return mass !== undefined ? { micro: milli * mass, unit: 'kg' } : { micro: milli * 1000n, unit: q.unit };
}

/** A decimal string with up to 6 decimals (as Postgres numeric(24,6) returns it) → micro-units. */
export function microFromDecimal(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
  const micro = BigInt(whole || '0') * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6) || '0');
  return negative ? -micro : micro;
}

/** Micro-units → a decimal string without trailing zeros ("1200.5"). */
export function decimalFromMicro(micro: bigint): string {
  const negative = micro < 0n;
  const abs = negative ? -micro : micro;
  const whole = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Validates a quota `{ value, unit }` (same rules as a batch quantity); INVALID_QUANTITY names the field. */
export function parseQuota(input: { value?: unknown; unit?: unknown } | null | undefined, field = 'yearlyQuota'): Quantity | null {
  if (input === null || input === undefined) return null;
  try {
    return parseQuantity(input, field);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('INVALID_QUANTITY', `${field} is not a quantity`, { field });
  }
}
