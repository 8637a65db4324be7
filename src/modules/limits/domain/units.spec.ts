import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { formatDecimal, parseDecimal } from '../../../../libs/decimal';
import { toMgPerKg, unitPower } from './units';

describe('units', () => {
  it.each([
    ['100', 'µg/kg', '0.1'], // micro sign U+00B5
    ['100', 'μg/kg', '0.1'], // Greek mu U+03BC
    ['100', 'ug/kg', '0.1'], ['100', 'UG/KG', '0.1'], ['100', 'mcg/kg', '0.1'], ['100', ' µg / kg ', '0.1'],
    ['100', 'ng/g', '0.1'], ['0.1', 'mg/kg', '0.1'], ['0.1', 'MG/KG', '0.1'], ['0.1', 'µg/g', '0.1'],
    ['0.0001', 'g/kg', '0.1'], ['100000', 'ng/kg', '0.1'], ['200', '微克/千克', '0.2'], ['0.2', '毫克/千克', '0.2'],
  ])('%s %s = %s mg/kg', (value, unit, expected) => {
    expect(formatDecimal(toMgPerKg(parseDecimal(value), unit))).toBe(expected);
  });

  it.each(['mg/L', 'µg/L', 'mg/l', 'ppm', 'ppb', '%', 'kg', '', 'mg', 'mg/kg/day'])('refuses %j with UNIT_NOT_CONVERTIBLE', (unit) => {
    try {
      unitPower(unit, 'results[0].unit');
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('UNIT_NOT_CONVERTIBLE');
      expect((e as DomainError).details).toMatchObject({ field: 'results[0].unit' });
    }
  });

  it('explains why a per-volume unit cannot be converted', () => {
    expect(() => unitPower('mg/L')).toThrow(/per volume/);
  });

  it('property: any unit string either converts or throws UNIT_NOT_CONVERTIBLE', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom('mg/kg', 'µg/kg', 'μg/Kg', 'ng/g'), fc.anything()), (unit) => {
      try {
        expect(Number.isInteger(unitPower(unit))).toBe(true);
      } catch (e) {
        expect((e as DomainError).code).toBe('UNIT_NOT_CONVERTIBLE');
      }
    }), { numRuns: 5000 });
  });
});
