import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { parseEnterpriseCode, parseMarkNumber, parseOrganicCode } from './mark-numbers';
import { RECORDED_SCHEMES } from './mark-schemes';
import { parseAllocation } from './organic-codes';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** Every input either parses or is refused with a DomainError naming the field; never a crash. */
function refusedOrParsed(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    return error instanceof DomainError && typeof (error.details as { field?: unknown }).field === 'string';
  }
}

describe('mark numbers (DOMAIN.md §9; formats as data)', () => {
  it('accepts the published 绿色食品 examples and their 10/11-digit, A/AA shapes; refuses others naming the field', () => {
    expect(parseMarkNumber('green_food', 'LB-15-19012700330A')).toEqual({ value: 'LB-15-19012700330A', format: 'lb', verified: true });
    expect(parseMarkNumber('green_food', ' lb-50-1703081720a ').value).toBe('LB-50-1703081720A');
    fc.assert(fc.property(digits(2), fc.integer({ min: 10, max: 11 }).chain((n) => digits(n)), fc.constantFrom('A', 'AA'), (cls, body, grade) => {
      expect(parseMarkNumber('green_food', `LB-${cls}-${body}${grade}`).value).toBe(`LB-${cls}-${body}${grade}`);
    }));
    for (const bad of ['LB-15-190127003A', 'LB-15-190127003300A', 'LB-1-19012700330A', 'LB-15-19012700330AAA', 'LB-15-19012700330B', 'GF510131240001']) {
      expect(() => parseMarkNumber('green_food', bad)).toThrow(expect.objectContaining({ code: 'INVALID_MARK_NUMBER', details: expect.objectContaining({ field: 'number' }) }));
    }
  });

  it('accepts organic numbers in the older form (verified) and the 2022 form (unverified), with optional -n', () => {
    expect(parseMarkNumber('organic', '124OP2400123')).toEqual({ value: '124OP2400123', format: 'op', verified: true });
    expect(parseMarkNumber('organic', 'F01OP2400123-2')).toMatchObject({ format: 'op', verified: true });
    expect(parseMarkNumber('organic', '1240OP2200123')).toEqual({ value: '1240OP2200123', format: 'op_2022', verified: false });
    expect(parseMarkNumber('organic_conversion', '124OP2400124')).toMatchObject({ verified: true });
    fc.assert(fc.property(fc.oneof(digits(3), digits(2).map((d) => `F${d}`), digits(4)), digits(7), fc.option(fc.integer({ min: 1, max: 99 })), (body, serial, n) => {
      const number = `${body}OP${serial}${n === null ? '' : `-${n}`}`;
      expect(parseMarkNumber('organic', number)).toMatchObject({ value: number, verified: body.length !== 4 || body.startsWith('F') });
    }));
    for (const bad of ['12OP2400123', '124OP240012', '124OP24001234', 'F1OP2400123', '124QP2400123', '124OP2400123-']) {
      expect(() => parseMarkNumber('organic', bad)).toThrow(expect.objectContaining({ code: 'INVALID_MARK_NUMBER' }));
    }
  });

  it('checks the 绿色食品 enterprise code: GF + a current county code + year + serial', () => {
    expect(parseEnterpriseCode('GF510131240001')).toMatchObject({ value: 'GF510131240001', verified: true });
    expect(() => parseEnterpriseCode('GF510100240001')).toThrow(expect.objectContaining({ code: 'INVALID_ENTERPRISE_CODE', details: expect.objectContaining({ rule: 'county_code' }) }));
    expect(() => parseEnterpriseCode('GF999999240001')).toThrow(expect.objectContaining({ details: expect.objectContaining({ rule: 'county_code' }) }));
    expect(() => parseEnterpriseCode('GF51013124001')).toThrow(expect.objectContaining({ details: expect.objectContaining({ rule: 'format' }) }));
    fc.assert(fc.property(fc.constantFrom('510131', '510703', '511823', '110101'), digits(2), digits(4), (county, yy, serial) => {
      expect(parseEnterpriseCode(`GF${county}${yy}${serial}`).value).toBe(`GF${county}${yy}${serial}`);
    }));
  });

  it('parses 17-digit 有机码 and allocations (ranges or lists); repeats and mixed shapes are refused', () => {
    expect(parseOrganicCode('124 26 000000000001')).toBe('12426000000000001');
    expect(parseAllocation({ from: '12426000000000001', to: '12426000000000010' })).toMatchObject({ kind: 'range', count: 10 });
    expect(parseAllocation({ codes: ['12426000000000003', '12426000000000001'] })).toMatchObject({ kind: 'list', count: 2, first: '12426000000000001' });
    expect(() => parseAllocation({ codes: ['12426000000000001', '12426000000000001'] })).toThrow(expect.objectContaining({ code: 'DUPLICATE_ORGANIC_CODE' }));
    expect(() => parseAllocation({ from: '12426000000000010', to: '12426000000000001' })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'to' }) }));
    expect(() => parseAllocation({ from: '12426000000000001', to: '12426000000000002', codes: [] })).toThrow(expect.objectContaining({ details: expect.objectContaining({ rule: 'range_or_list' }) }));
  });

  it('never crashes on arbitrary input: every number, code and allocation parses or is refused naming its field', () => {
    fc.assert(fc.property(fc.constantFrom(...RECORDED_SCHEMES), fc.oneof(fc.string({ maxLength: 80 }), fc.anything()), (scheme, raw) => {
      expect(refusedOrParsed(() => parseMarkNumber(scheme, raw))).toBe(true);
      expect(refusedOrParsed(() => parseEnterpriseCode(raw))).toBe(true);
      expect(refusedOrParsed(() => parseOrganicCode(raw))).toBe(true);
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.record({ from: fc.anything(), to: fc.anything(), codes: fc.anything() }, { requiredKeys: [] }), (raw) => {
      expect(refusedOrParsed(() => parseAllocation(raw))).toBe(true);
    }), { numRuns: 300 });
  });
});
