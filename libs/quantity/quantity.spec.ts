import { DomainError } from '../errors';
import { formatDecimal, parseQuantity } from './quantity';

describe('quantities', () => {
  it('normalises decimal strings', () => {
    expect(parseQuantity({ value: '12.50', unit: 'kg' })).toEqual({ value: '12.5', unit: 'kg' });
    expect(parseQuantity({ value: '007', unit: '箱' })).toEqual({ value: '7', unit: '箱' });
    expect(parseQuantity({ value: 3.25, unit: 't' })).toEqual({ value: '3.25', unit: 't' });
    expect(formatDecimal('1200.500')).toBe('1200.5');
    expect(formatDecimal('5.000')).toBe('5');
  });

  it.each([
    [{ value: '0', unit: 'kg' }, 'quantity.value', 'positive'],
    [{ value: '-1', unit: 'kg' }, 'quantity.value', 'decimal'],
    [{ value: '1.2345', unit: 'kg' }, 'quantity.value', 'decimal'],
    [{ value: '1e3', unit: 'kg' }, 'quantity.value', 'decimal'],
    [{ value: '', unit: 'kg' }, 'quantity.value', 'decimal'],
    [{ value: '5', unit: 'pound' }, 'quantity.unit', 'unit'],
    [{ value: '5' }, 'quantity.unit', 'unit'],
  ])('rejects %j naming %s', (input, field, rule) => {
    try {
      parseQuantity(input);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).details).toMatchObject({ field, rule });
    }
  });
});
