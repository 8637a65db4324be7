import { DomainError } from '../../../../libs/errors';
import type { Quantity } from '../../../../libs/quantity';

/**
 * Mass balance in exact integer arithmetic. Quantities are decimal strings with at most three
 * decimals; masses are compared in milligrams (kg, g, t and 斤 = 0.5 kg convert), counted units
 * (箱, 个, 头 …) only with themselves.
 */
const MILLIGRAMS_PER_THOUSANDTH: Record<string, bigint> = { g: 1n, kg: 1000n, t: 1_000_000n, '斤': 500n };

export interface Amount {
  /** `mass` or the counted unit itself. */
  dimension: string;
  /** Milligrams for mass; thousandths of the unit otherwise. */
  base: bigint;
}

function thousandths(value: string): bigint {
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0').slice(0, 3) || '0');
}

export function toAmount(q: { value: string; unit: string }): Amount {
  const factor = MILLIGRAMS_PER_THOUSANDTH[q.unit];
  return factor ? { dimension: 'mass', base: thousandths(q.value) * factor } : { dimension: q.unit, base: thousandths(q.value) };
}

/** An amount written in `unit` (rounded down to three decimals). */
export function fromAmount(amount: bigint, unit: string): string {
  const factor = MILLIGRAMS_PER_THOUSANDTH[unit] ?? 1n;
  const t = amount / factor;
  const negative = t < 0n;
  const abs = negative ? -t : t;
  const whole = abs / 1000n;
  const fraction = (abs % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

function sameDimension(a: Amount, b: Amount, field: string): void {
  if (a.dimension !== b.dimension) {
    throw new DomainError('UNIT_MISMATCH', `${field}: ${b.dimension} cannot be compared with ${a.dimension}`, {
      field, rule: 'unit', expected: a.dimension, got: b.dimension,
    });
  }
}

/** What is left of a lot after what has already left it (shipped or consumed). */
export function remaining(lot: Quantity, taken: { value: string; unit: string }[]): Amount {
  const total = toAmount(lot);
  let base = total.base;
  for (const t of taken) {
    const a = toAmount(t);
    if (a.dimension === total.dimension) base -= a.base;
  }
  return { dimension: total.dimension, base };
}

/** Refuses to take more of a lot than it has left: 422 INSUFFICIENT_QUANTITY with what is available. */
export function assertAvailable(lot: Quantity, taken: { value: string; unit: string }[], requested: Quantity, field = 'quantity'): void {
  const left = remaining(lot, taken);
  const want = toAmount(requested);
  sameDimension(left, want, field);
  if (want.base > left.base) {
    throw new DomainError('INSUFFICIENT_QUANTITY', `${field}: only ${fromAmount(left.base, lot.unit)} ${lot.unit} of this lot is available`, {
      field, rule: 'available', available: { value: fromAmount(left.base < 0n ? 0n : left.base, lot.unit), unit: lot.unit }, requested,
    });
  }
}

/**
 * Outputs of a transformation may weigh at most `maxYieldPercent` % of its inputs (100: nothing is
 * created from nothing; drying or trimming loses mass). Inputs and outputs must share a dimension.
 */
export function assertYield(inputs: Quantity[], outputs: Quantity[], maxYieldPercent: number): void {
  const ins = inputs.map(toAmount);
  const outs = outputs.map(toAmount);
  ins.forEach((a, i) => sameDimension(ins[0], a, `inputs[${i}].quantity`));
  outs.forEach((a, i) => sameDimension(ins[0], a, `outputs[${i}].quantity`));
  const totalIn = ins.reduce((s, a) => s + a.base, 0n);
  const totalOut = outs.reduce((s, a) => s + a.base, 0n);
  if (totalOut * 100n > totalIn * BigInt(maxYieldPercent)) {
    const unit = inputs[0].unit;
    throw new DomainError('YIELD_EXCEEDED', `Outputs (${fromAmount(totalOut, unit)} ${unit}) exceed ${maxYieldPercent}% of the inputs (${fromAmount(totalIn, unit)} ${unit})`, {
      field: 'outputs', rule: 'yield', maxYieldPercent, inputs: { value: fromAmount(totalIn, unit), unit }, outputs: { value: fromAmount(totalOut, unit), unit },
    });
  }
}
