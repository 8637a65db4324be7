import { DomainError } from '../errors';

/** Units a quantity may carry (API.md: a fixed list). 斤 = 0.5 kg is how markets weigh. */
export const QUANTITY_UNITS = ['kg', 'g', 't', '斤', '个', '枚', '箱', '袋', '盒', '瓶', '件', '头', '只', '羽', '尾'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

export interface Quantity {
  value: string;
  unit: QuantityUnit;
}

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,3}))?$/;

/** Validates `{ value: "12.5", unit: "kg" }`: a positive decimal string (≤ 3 decimals) and a known unit. */
export function parseQuantity(input: { value?: unknown; unit?: unknown } | undefined, field = 'quantity'): Quantity {
  const raw = typeof input?.value === 'number' ? String(input.value) : input?.value;
  const match = typeof raw === 'string' ? DECIMAL.exec(raw.trim()) : null;
  if (!match) {
    throw new DomainError('INVALID_QUANTITY', `${field}.value must be a decimal string such as "12.5" (at most 3 decimals)`, {
      field: `${field}.value`, rule: 'decimal',
    });
  }
  const value = normalizeDecimal(match[1], match[2]);
  if (value === '0') {
    throw new DomainError('INVALID_QUANTITY', `${field}.value must be greater than zero`, { field: `${field}.value`, rule: 'positive' });
  }
  if (typeof input?.unit !== 'string' || !(QUANTITY_UNITS as readonly string[]).includes(input.unit)) {
    throw new DomainError('INVALID_QUANTITY', `${field}.unit must be one of ${QUANTITY_UNITS.join(', ')}`, {
      field: `${field}.unit`, rule: 'unit', allowed: QUANTITY_UNITS,
    });
  }
  return { value, unit: input.unit as QuantityUnit };
}

function normalizeDecimal(whole: string, fraction = ''): string {
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}

/** Formats a numeric column read back from Postgres ("12.500") the way it was written ("12.5"). */
export function formatDecimal(stored: string): string {
  const [whole, fraction] = stored.split('.');
  return normalizeDecimal(whole, fraction);
}

/** Mass units in grams; every other unit is a count that only compares with itself. */
const GRAMS_PER_UNIT: Partial<Record<QuantityUnit, bigint>> = { g: 1n, kg: 1000n, '斤': 500n, t: 1_000_000n };

/** A quantity as thousandths of its base unit (g for masses, the unit itself for counts): exact. */
export interface BaseAmount {
  milli: bigint;
  unit: string;
}

export function toBaseAmount(q: Quantity | { value: string; unit: string }): BaseAmount {
  const [whole, fraction = ''] = q.value.split('.');
  const milli = BigInt(whole) * 1000n + BigInt((fraction + '000').slice(0, 3));
  const grams = GRAMS_PER_UNIT[q.unit as QuantityUnit];
  return grams ? { milli: milli * grams, unit: 'g' } : { milli, unit: q.unit };
}

/** Formats thousandths as a decimal string ("1200500" → "1200.5"). */
export function formatMilli(milli: bigint): string {
  const sign = milli < 0n ? '-' : '';
  const abs = milli < 0n ? -milli : milli;
  return sign + normalizeDecimal(String(abs / 1000n), String(abs % 1000n).padStart(3, '0'));
}
