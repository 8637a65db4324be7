import { DomainError } from '../../../../libs/errors';
import { AnalyteResultInput, parseResults } from './test-results';

function codeAndField(inputs: AnalyteResultInput[], stream: Parameters<typeof parseResults>[1] = 'entrusted_test'): string {
  try {
    parseResults(inputs, stream);
    return 'OK';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return `${error.code} ${String(error.details?.field)}`;
  }
}

describe('declared test results', () => {
  const nd = { analyte: '毒死蜱', detected: false, lod: '0.01', unit: 'mg/kg', verdict: 'pass' };
  const found = { analyte: '吡虫啉', detected: true, value: '0.2', unit: 'mg/kg', verdict: 'pass' };

  it('derives the record verdict as the AND of the analytes', () => {
    expect(parseResults([nd, found], 'entrusted_test').verdict).toBe('pass');
    expect(parseResults([nd, { ...found, value: '2', verdict: 'fail' }], 'entrusted_test').verdict).toBe('fail');
  });

  it.each([
    ['no analytes', [], 'INVALID_TEST_RESULT results'],
    ['an analyte twice', [nd, nd], 'INVALID_TEST_RESULT results[1].analyte'],
    ['a value without a unit', [{ ...found, unit: undefined }], 'INVALID_TEST_RESULT results[0].unit'],
    ['an unknown unit', [{ ...found, unit: 'ppm' }], 'INVALID_TEST_RESULT results[0].unit'],
    ['a not-detected analyte with a value', [{ ...nd, value: '0.5' }], 'INVALID_TEST_RESULT results[0].value'],
    ['a detected analyte without its value', [{ ...found, value: undefined }], 'INVALID_TEST_RESULT results[0].value'],
    ['a not-detected analyte that fails', [{ ...nd, verdict: 'fail' }], 'INVALID_TEST_RESULT results[0].verdict'],
    ['a value that is not a decimal', [{ ...found, value: '1e-3' }], 'INVALID_TEST_RESULT results[0].value'],
    ['a missing verdict', [{ ...found, verdict: undefined }], 'INVALID_TEST_RESULT results[0].verdict'],
  ] as [string, AnalyteResultInput[], string][])('refuses %s', (_name, inputs, expected) => {
    expect(codeAndField(inputs)).toBe(expected);
  });

  it('accepts a qualitative rapid test (detected, no value)', () => {
    expect(codeAndField([{ analyte: '有机磷类', detected: true, verdict: 'fail' }], 'rapid_test')).toBe('OK');
  });
});
