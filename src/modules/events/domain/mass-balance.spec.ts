import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { formatScaled, sum } from '../../../../libs/decimal';
import { amountOf, formatIn, type Quantity } from '../../../../libs/quantity';
import { assertAvailable, assertYield, balanceOf, remaining } from './mass-balance';

const kg = (value: string): Quantity => ({ value, unit: 'kg' });

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
}

describe('mass balance', () => {
  it('converts masses exactly (kg, g, t, 斤)', () => {
    expect(amountOf({ value: '1', unit: 'kg' })).toEqual(amountOf({ value: '1000', unit: 'g' }));
    expect(amountOf({ value: '2', unit: '斤' })).toEqual(amountOf(kg('1')));
    expect(amountOf({ value: '0.001', unit: 't' })).toEqual(amountOf(kg('1')));
    expect(formatIn(amountOf(kg('12.345')), 'kg')).toBe('12.345');
    expect(formatIn(amountOf(kg('3')), '斤')).toBe('6');
  });

  it('lets a lot give exactly what it has, and not a gram more', () => {
    expect(codeOf(() => assertAvailable(kg('100'), [kg('60'), { value: '30000', unit: 'g' }], kg('10')))).toBeNull();
    expect(codeOf(() => assertAvailable(kg('100'), [kg('60'), { value: '30000', unit: 'g' }], { value: '10001', unit: 'g' }))).toBe('INSUFFICIENT_QUANTITY');
    expect(formatIn(remaining(kg('100'), [kg('60')]), 'kg')).toBe('40');
  });

  it('refuses to compare boxes with kilograms', () => {
    expect(codeOf(() => assertAvailable(kg('100'), [], { value: '1', unit: '箱' }))).toBe('UNIT_MISMATCH');
    expect(codeOf(() => assertYield([kg('10')], [{ value: '1', unit: '箱' }], 100))).toBe('UNIT_MISMATCH');
  });

  it('keeps outputs within the yield', () => {
    expect(codeOf(() => assertYield([kg('60'), kg('40')], [kg('50'), kg('50')], 100))).toBeNull();
    expect(codeOf(() => assertYield([kg('60'), kg('40')], [kg('50'), kg('50.001')], 100))).toBe('YIELD_EXCEEDED');
    expect(codeOf(() => assertYield([kg('100')], [kg('30')], 25))).toBe('YIELD_EXCEEDED');
  });

  it('never lets the shipped total exceed the lot (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.array(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 20 }),
      (lotMilli, requests) => {
        const lot = kg(formatScaled(BigInt(lotMilli), 3));
        const taken: Quantity[] = [];
        for (const r of requests) {
          const q = kg(formatScaled(BigInt(r), 3));
          if (codeOf(() => assertAvailable(lot, taken, q)) === null) taken.push(q);
        }
        const total = sum(taken.map((q) => amountOf(q).value));
        return total.lte(amountOf(lot).value);
      },
    ));
  });

  it('shows the balance a mixing form confirms, by the same rule as assertYield', () => {
    const jin = (value: string): Quantity => ({ value, unit: '斤' });
    expect(balanceOf([kg('100'), jin('100')], [kg('148')], 100)).toEqual({ unit: 'kg', inputs: '150', outputs: '148', yieldPercent: '98.7', loss: '2', problem: null });
    expect(balanceOf([kg('100')], [kg('60'), kg('41')], 100)).toMatchObject({ outputs: '101', loss: '0', problem: 'yield_exceeded' });
    expect(balanceOf([kg('100')], [{ value: '10', unit: '箱' }], 100)).toMatchObject({ problem: 'unit_mismatch' });
    expect(balanceOf([], [kg('1')], 100)).toBeNull();
    // The same verdict as the rule that records it.
    for (const outs of [['60', '40'], ['60', '41'], ['0.001']]) {
      const shown = balanceOf([kg('100')], outs.map(kg), 100)!;
      expect(shown.problem === 'yield_exceeded').toBe(codeOf(() => assertYield([kg('100')], outs.map(kg), 100)) === 'YIELD_EXCEEDED');
    }
  });
});
