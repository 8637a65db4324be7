import fc from 'fast-check';
import { DomainError } from '../errors';
import { compare, formatDecimal, parseDecimal, shift } from './decimal';

describe('exact decimals', () => {
  it.each([
    ['0.1', '0.1000', 0], ['0.1', '0.10000000001', -1], ['0.3', '0.1', 1], ['5.0', '5', 0], ['1e-3', '0.001', 0],
    ['0', '0.000', 0], ['0', '0.0001', -1], ['10', '9.999999999999999999', 1], ['.5', '0.5', 0], ['2.', '2', 0],
  ])('%s vs %s → %d', (a, b, expected) => {
    expect(compare(parseDecimal(a), parseDecimal(b))).toBe(expected);
  });

  it('has no binary floating-point error at the boundary (0.1 + 0.2 style)', () => {
    // 0.3 mg/kg written as µg/kg and shifted back is exactly 0.3
    expect(compare(shift(parseDecimal('300'), -3), parseDecimal('0.3'))).toBe(0);
    expect(compare(shift(parseDecimal('100.0000'), -3), parseDecimal('0.1'))).toBe(0);
    expect(formatDecimal(shift(parseDecimal('0.07'), -3))).toBe('0.00007');
  });

  it.each([['0.050', '0.05'], ['10', '10'], ['1e2', '100'], ['0.0001', '0.0001'], ['000.5', '0.5'], ['0', '0']])('formats %s as %s', (input, out) => {
    expect(formatDecimal(parseDecimal(input))).toBe(out);
  });

  it('accepts finite JSON numbers', () => {
    expect(formatDecimal(parseDecimal(0.02))).toBe('0.02');
    expect(formatDecimal(parseDecimal(1e-7))).toBe('0.0000001');
  });

  it.each(['', ' ', '-0.1', 'abc', '1,5', '0x10', '1e999', 'NaN', 'Infinity', '.', '1.2.3', '١٢'])('rejects %j with INVALID_DECIMAL', (input) => {
    expect(() => parseDecimal(input, 'value')).toThrow(DomainError);
    try {
      parseDecimal(input, 'value');
    } catch (e) {
      expect((e as DomainError).code).toBe('INVALID_DECIMAL');
      expect((e as DomainError).details).toMatchObject({ field: 'value' });
    }
  });

  it('rejects non-finite numbers and other types', () => {
    for (const v of [Number.NaN, Infinity, null, undefined, {}, [], true]) expect(() => parseDecimal(v)).toThrow(DomainError);
  });

  it('property: any input either parses or throws a DomainError, never anything else', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.double(), fc.anything()), (input) => {
      try {
        const d = parseDecimal(input);
        expect(compare(parseDecimal(formatDecimal(d)), d)).toBe(0);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
      }
    }), { numRuns: 5000 });
  });

  it('property: comparison agrees with the order of scaled integers', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 12 }), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 12 }),
      (a, ea, b, eb) => {
        const x = parseDecimal(`${a}e-${ea}`);
        const y = parseDecimal(`${b}e-${eb}`);
        const scaledA = a * 10n ** BigInt(12 - ea);
        const scaledB = b * 10n ** BigInt(12 - eb);
        expect(compare(x, y)).toBe(scaledA === scaledB ? 0 : scaledA < scaledB ? -1 : 1);
      }), { numRuns: 1000 });
  });
});
