import { decimal, Decimal, formatDecimal, roundDown } from '../decimal';
import { DomainError } from '../errors';
import { baseUnitOf, Dimension, dimensionOf, QUANTITY_UNITS, QuantityUnit, UNIT_TABLE, unitDefinition } from './units';

const ONE = decimal('1');

export { formatDecimal };

export interface Quantity {
  value: string;
  unit: QuantityUnit;
}

/** A quantity is written with at most this many decimals of its unit. */
const QUANTITY_DECIMALS = 3;

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,3}))?$/;

/**
 * Validates `{ value: "12.5", unit: "kg" }`: a positive decimal string (≤ 3 decimals) and a known
 * unit or one of its aliases (公斤 is kg). Returns the value normalised and the unit as listed.
 */
export function parseQuantity(input: { value?: unknown; unit?: unknown } | undefined, field = 'quantity'): Quantity {
  const raw = typeof input?.value === 'number' ? String(input.value) : input?.value;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!DECIMAL.test(text)) {
    throw new DomainError('INVALID_QUANTITY', `${field}.value must be a decimal string such as "12.5" (at most 3 decimals)`, {
      field: `${field}.value`, rule: 'decimal',
    });
  }
  const value = formatDecimal(text);
  if (value === '0') {
    throw new DomainError('INVALID_QUANTITY', `${field}.value must be greater than zero`, { field: `${field}.value`, rule: 'positive' });
  }
  const unit = typeof input?.unit === 'string' ? unitDefinition(input.unit)?.unit : undefined;
  if (unit === undefined) {
    throw new DomainError('INVALID_QUANTITY', `${field}.unit must be one of ${QUANTITY_UNITS.join(', ')}`, {
      field: `${field}.unit`, rule: 'unit', allowed: QUANTITY_UNITS,
    });
  }
  return { value, unit };
}

/** A quantity in its dimension's base unit (kg for masses, the counted unit itself): exact. */
export interface Amount {
  dimension: Dimension;
  value: Decimal;
}

/**
 * Each unit's factor to its base and back, parsed once. The way back is a multiplication when the
 * reciprocal is a finite decimal (every unit so far: 1000, 2, 0.001); a division otherwise.
 */
const FACTORS = new Map<string, { to: Decimal; back: Decimal | null }>(UNIT_TABLE.map((u) => {
  const to = decimal(u.perBase);
  const back = ONE.div(to);
  return [u.unit, { to, back: back.times(to).eq(ONE) ? back : null }];
}));

/** Units outside the table (stored before the list) count as themselves: no factor. */
function factorOf(unit: string): { to: Decimal; back: Decimal | null } | undefined {
  const row = unitDefinition(unit);
  const factor = row && FACTORS.get(row.unit);
  return factor && !factor.to.eq(ONE) ? factor : undefined;
}

export function amountOf(q: { value: string; unit: string }): Amount {
  const factor = factorOf(q.unit);
  const value = decimal(q.value);
  return { dimension: dimensionOf(q.unit), value: factor ? value.times(factor.to) : value };
}

/** The amount expressed in `unit` of its dimension, exactly. */
export function amountIn(amount: Amount | Decimal, unit: string): Decimal {
  const value = 'dimension' in amount ? amount.value : amount;
  const factor = factorOf(unit);
  if (!factor) return value;
  return factor.back ? value.times(factor.back) : value.div(factor.to);
}

/**
 * The amount written in `unit` as a quantity's value: cut to three decimals toward zero, so what
 * is left of a lot is never overstated ("0.333" 斤 of what remains, not "0.334").
 */
export function formatIn(amount: Amount | Decimal, unit: string): string {
  return formatDecimal(roundDown(amountIn(amount, unit), QUANTITY_DECIMALS));
}

/** The amount as `{ value, unit }` in its base unit (kg, or the counted unit). */
export function baseQuantity(amount: Amount): { value: string; unit: QuantityUnit } {
  return { value: formatDecimal(amount.value), unit: baseUnitOf(amount.dimension) };
}

/** Whether two quantities are the same amount, in any units of one dimension (100 斤 is 50 kg). */
export function sameAmount(a: { value: string; unit: string }, b: { value: string; unit: string }): boolean {
  const x = amountOf(a);
  const y = amountOf(b);
  return x.dimension === y.dimension && x.value.eq(y.value);
}

/**
 * How EPCIS writes a quantity: in the unit's UN/CEFACT code, else (斤) in its dimension's base
 * unit's code, else (a counted unit) as a bare count with no `uom`.
 */
export function uncefactQuantity(q: { value: string; unit: string }): { value: Decimal; uom: string | null } {
  const own = unitDefinition(q.unit);
  if (own?.uncefact) return { value: decimal(q.value), uom: own.uncefact };
  const amount = amountOf(q);
  const base = unitDefinition(baseUnitOf(amount.dimension));
  return base?.uncefact ? { value: amount.value, uom: base.uncefact } : { value: decimal(q.value), uom: null };
}
