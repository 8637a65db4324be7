import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import type { Quantity } from '../../../../libs/quantity';
import { assertAvailable, assertYield, fromAmount, remaining, toAmount } from './mass-balance';

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
    expect(toAmount({ value: '1', unit: 'kg' }).base).toBe(toAmount({ value: '1000', unit: 'g' }).base);
    expect(toAmount({ value: '2', unit: '斤' }).base).toBe(toAmount(kg('1')).base);
    expect(toAmount({ value: '0.001', unit: 't' }).base).toBe(toAmount(kg('1')).base);
    expect(fromAmount(toAmount(kg('12.345')).base, 'kg')).toBe('12.345');
    expect(fromAmount(toAmount(kg('3')).base, '斤')).toBe('6');
  });

  it('lets a lot give exactly what it has, and not a gram more', () => {
    expect(codeOf(() => assertAvailable(kg('100'), [kg('60'), { value: '30000', unit: 'g' }], kg('10')))).toBeNull();
    expect(codeOf(() => assertAvailable(kg('100'), [kg('60'), { value: '30000', unit: 'g' }], { value: '10001', unit: 'g' }))).toBe('INSUFFICIENT_QUANTITY');
    expect(fromAmount(remaining(kg('100'), [kg('60')]).base, 'kg')).toBe('40');
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
        const lot = kg(fromAmount(BigInt(lotMilli) * 1000n, 'kg'));
        const taken: Quantity[] = [];
        for (const r of requests) {
          const q = kg(fromAmount(BigInt(r) * 1000n, 'kg'));
          if (codeOf(() => assertAvailable(lot, taken, q)) === null) taken.push(q);
        }
        const total = taken.reduce((s, q) => s + toAmount(q).base, 0n);
        return total <= toAmount(lot).base;
      },
    ));
  });
});
