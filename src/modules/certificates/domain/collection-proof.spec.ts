import { matchesPrintedQuantity } from './collection-proof';

describe('the printed quantity as proof of a typed certificate number', () => {
  it('accepts the printed amount in any unit of the same kind', () => {
    expect(matchesPrintedQuantity({ value: '50.000', unit: 'kg' }, { value: '50', unit: 'kg' })).toBe(true);
    expect(matchesPrintedQuantity({ value: '50.000', unit: 'kg' }, { value: '100', unit: '斤' })).toBe(true);
    expect(matchesPrintedQuantity({ value: '0.5', unit: 't' }, { value: '500000', unit: 'g' })).toBe(true);
  });

  it('refuses another amount, or a count against a weight', () => {
    expect(matchesPrintedQuantity({ value: '50', unit: 'kg' }, { value: '50.001', unit: 'kg' })).toBe(false);
    expect(matchesPrintedQuantity({ value: '50', unit: 'kg' }, { value: '50', unit: '箱' })).toBe(false);
    expect(matchesPrintedQuantity({ value: '12', unit: '箱' }, { value: '12', unit: '袋' })).toBe(false);
  });
});
