import fc from 'fast-check';
import { DomainError } from '../errors';
import { compare, decimal, decimalPlaces, formatDecimal, formatScaled, parseDecimal, roundDown, shift, sum } from './decimal';

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

  it('property: shifting is exact and reversible', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: -20, max: 20 }), (c, scale, power) => {
      const x = decimal(formatScaled(c, scale));
      expect(shift(shift(x, power), -power).eq(x)).toBe(true);
      expect(decimalPlaces(x)).toBe(c === 0n ? 0 : Math.max(0, scale - trailingZeros(c)));
    }), { numRuns: 1000 });
  });

  it('property: sums are commutative and associative, and agree with BigInt sums of scaled integers', () => {
    fc.assert(fc.property(fc.array(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), { minLength: 1, maxLength: 10 }), fc.nat(), (ints, at) => {
      const values = ints.map((i) => decimal(formatScaled(i, 6)));
      const total = sum(values);
      const split = at % values.length;
      expect(sum([...values].reverse()).eq(total)).toBe(true);
      expect(sum([sum(values.slice(0, split)), sum(values.slice(split))]).eq(total)).toBe(true);
      expect(formatDecimal(total)).toBe(formatScaled(ints.reduce((a, b) => a + b, 0n), 6));
    }), { numRuns: 1000 });
  });

  it('property: scaled integers format as the BigInt code did, and rounding down truncates toward zero like BigInt division', () => {
    const oracleFormat = (micros: bigint) => {
      const abs = micros < 0n ? -micros : micros;
      const fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
      return `${micros < 0n ? '-' : ''}${abs / 1_000_000n}${fraction ? `.${fraction}` : ''}`;
    };
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), (micros) => {
      expect(formatScaled(micros, 6)).toBe(oracleFormat(micros));
      const thousandths = micros / 1000n;
      expect(formatDecimal(roundDown(decimal(formatScaled(micros, 6)), 3))).toBe(formatScaled(thousandths, 3));
    }), { numRuns: 2000 });
  });

  it('never lets a decimal become a float by accident', () => {
    const [a, b] = [decimal('0.1'), decimal('0.2')];
    expect(() => (a as unknown as number) < (b as unknown as number)).toThrow();
    expect(() => a.plus(0.2 as never)).toThrow();
    expect(formatDecimal(a.plus(b))).toBe('0.3');
  });
});

function trailingZeros(c: bigint): number {
  let n = 0;
  for (let v = c; v % 10n === 0n; v /= 10n) n++;
  return n;
}
