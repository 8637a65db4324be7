import { DomainError } from '../../../../libs/errors';
import { sum } from '../../../../libs/decimal';
import { Amount, amountOf, formatIn, type Quantity } from '../../../../libs/quantity';

/**
 * Mass balance, exact (libs/quantity): masses compare with each other (kg, g, t, 斤), counted
 * units (箱, 个, 头 …) only with themselves.
 */

function sameDimension(a: Amount, b: Amount, field: string): void {
  if (a.dimension !== b.dimension) {
    throw new DomainError('UNIT_MISMATCH', `${field}: ${b.dimension} cannot be compared with ${a.dimension}`, {
      field, rule: 'unit', expected: a.dimension, got: b.dimension,
    });
  }
}

/** What is left of a lot after what has already left it (shipped or consumed). */
export function remaining(lot: Quantity, taken: { value: string; unit: string }[]): Amount {
  const total = amountOf(lot);
  const gone = taken.map(amountOf).filter((a) => a.dimension === total.dimension);
  return { dimension: total.dimension, value: total.value.minus(sum(gone.map((a) => a.value))) };
}

/** Refuses to take more of a lot than it has left: 422 INSUFFICIENT_QUANTITY with what is available. */
export function assertAvailable(lot: Quantity, taken: { value: string; unit: string }[], requested: Quantity, field = 'quantity'): void {
  const left = remaining(lot, taken);
  const want = amountOf(requested);
  sameDimension(left, want, field);
  if (want.value.gt(left.value)) {
    throw new DomainError('INSUFFICIENT_QUANTITY', `${field}: only ${formatIn(left, lot.unit)} ${lot.unit} of this lot is available`, {
      field, rule: 'available', available: { value: left.value.lt(0n) ? '0' : formatIn(left, lot.unit), unit: lot.unit }, requested,
    });
  }
}

/**
 * Outputs of a transformation may weigh at most `maxYieldPercent` % of its inputs (100: nothing is
 * created from nothing; drying or trimming loses mass). Inputs and outputs must share a dimension.
 */
export function assertYield(inputs: Quantity[], outputs: Quantity[], maxYieldPercent: number): void {
  const ins = inputs.map(amountOf);
  const outs = outputs.map(amountOf);
  ins.forEach((a, i) => sameDimension(ins[0], a, `inputs[${i}].quantity`));
  outs.forEach((a, i) => sameDimension(ins[0], a, `outputs[${i}].quantity`));
  const totalIn = sum(ins.map((a) => a.value));
  const totalOut = sum(outs.map((a) => a.value));
  if (totalOut.times(100n).gt(totalIn.times(BigInt(maxYieldPercent)))) {
    const unit = inputs[0].unit;
    throw new DomainError('YIELD_EXCEEDED', `Outputs (${formatIn(totalOut, unit)} ${unit}) exceed ${maxYieldPercent}% of the inputs (${formatIn(totalIn, unit)} ${unit})`, {
      field: 'outputs', rule: 'yield', maxYieldPercent, inputs: { value: formatIn(totalIn, unit), unit }, outputs: { value: formatIn(totalOut, unit), unit },
    });
  }
}

/** A transformation's balance as a form shows it before it is sent: totals in the first input's unit, and the yield. */
export interface BalanceSummary {
  unit: string;
  inputs: string;
  outputs: string;
  /** Outputs as a percentage of inputs, one decimal; null when the inputs weigh nothing. */
  yieldPercent: string | null;
  /** Inputs minus outputs (loss in drying, trimming …), never shown negative: an excess is `problem`. */
  loss: string;
  problem: 'unit_mismatch' | 'yield_exceeded' | null;
}

/** The same rule as assertYield, as figures (no throw): what the mixing or splitting form shows. */
export function balanceOf(inputs: Quantity[], outputs: Quantity[], maxYieldPercent: number): BalanceSummary | null {
  if (inputs.length === 0) return null;
  const unit = inputs[0].unit;
  const ins = inputs.map(amountOf);
  const outs = outputs.map(amountOf);
  if ([...ins, ...outs].some((a) => a.dimension !== ins[0].dimension)) {
    return { unit, inputs: '', outputs: '', yieldPercent: null, loss: '', problem: 'unit_mismatch' };
  }
  const totalIn = sum(ins.map((a) => a.value));
  const totalOut = sum(outs.map((a) => a.value));
  const over = totalOut.times(100n).gt(totalIn.times(BigInt(maxYieldPercent)));
  const inText = formatIn(totalIn, unit);
  const outText = formatIn(totalOut, unit);
  const percent = Number(inText) > 0 ? (Math.round((Number(outText) / Number(inText)) * 1000) / 10).toFixed(1) : null;
  return {
    unit, inputs: inText, outputs: outText, yieldPercent: percent,
    loss: totalIn.gt(totalOut) ? formatIn(totalIn.minus(totalOut), unit) : '0', problem: over ? 'yield_exceeded' : null,
  };
}
