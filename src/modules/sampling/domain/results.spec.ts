import fc from 'fast-check';
import { isDomainError } from '../../../../libs/errors';
import { indexFromRows } from '../../limits/domain';
import { checkResult, parseResultsCsv, sameResults } from './results';

const index = indexFromRows([{
  row: 2, standard: 'GB 2763', edition: '2021', effectiveFrom: '2021-09-03', analyte: '毒死蜱', analyteEn: 'chlorpyrifos', kind: 'mrl',
  food: '蔬菜', limit: '0.02', verified: false, note: '',
}] as never, ['蔬菜']);

describe('lab results', () => {
  it('accepts catalogue analytes (by Chinese or English name) in convertible units', () => {
    expect(checkResult(index, { analyte: 'Chlorpyrifos', value: '5', unit: 'µg/kg' }, 'r', false)).toMatchObject({ analyte: '毒死蜱', value: '5', unit: 'µg/kg' });
  });

  it('refuses an unknown analyte or an unconvertible unit, naming the field', () => {
    const codeOf = (f: () => unknown) => { try { f(); } catch (e) { return isDomainError(e) ? `${e.code}` : 'crash'; } return 'ok'; };
    expect(codeOf(() => checkResult(index, { analyte: '不存在', value: '1', unit: 'mg/kg' }, 'r', false))).toBe('UNKNOWN_ANALYTE');
    expect(codeOf(() => checkResult(index, { analyte: '毒死蜱', value: '1', unit: 'mg/L' }, 'r', false))).toBe('UNIT_NOT_CONVERTIBLE');
  });

  it('keeps only detected/not detected for rapid screening', () => {
    expect(checkResult(index, { analyte: '毒死蜱', value: '9', unit: 'mg/kg', detected: true }, 'r', true)).toMatchObject({ value: null, unit: null, detected: true });
  });

  it('parses CSV rows with row numbers and reports broken ones; never crashes on junk', () => {
    const { rows, problems } = parseResultsCsv('sample_no,analyte,value,unit\nS1,毒死蜱,0.01,mg/kg\nS2,x\n,毒死蜱,1,mg/kg\n');
    expect(rows).toEqual([expect.objectContaining({ row: 2, sampleNo: 'S1', analyte: '毒死蜱', value: '0.01' })]);
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([[3, null, 'BAD_ROW'], [4, 'sample_no', 'VALIDATION_FAILED']]);
    fc.assert(fc.property(fc.string(), (junk) => {
      try {
        parseResultsCsv(`sample_no,analyte\n${junk}`);
      } catch (e) {
        expect(isDomainError(e)).toBe(true);
      }
    }));
  });

  it('compares submissions regardless of order', () => {
    const a = { analyte: 'a', value: '1', unit: 'mg/kg', lod: null, loq: null, detected: null, method: null };
    const b = { ...a, analyte: 'b' };
    expect(sameResults([a, b], [b, a])).toBe(true);
    expect(sameResults([a], [{ ...a, value: '2' }])).toBe(false);
  });
});
