import fc from 'fast-check';
import { isValidLotCode, validateLotCode } from './lot-code';
import { domainErrorOf, expectOnlyDomainErrors, hostileInput, set82Value } from './code-arbitraries.test-helper';

describe('validateLotCode', () => {
  it.each([
    ['260314AB12', '260314AB12'],
    ['  lot-7/b ', 'lot-7/b'],
    ['ＬＯＴ１', 'LOT1'],
    ['A'.repeat(20), 'A'.repeat(20)],
  ])('accepts %s as %s', (input, lot) => {
    expect(validateLotCode(input)).toBe(lot);
  });

  it.each([
    ['', 'length'],
    ['   ', 'length'],
    ['A'.repeat(21), 'length'],
    ['批次1', 'charset'],
    ['A B', 'charset'],
    ['A~B', 'charset'],
    ['A#B', 'charset'],
    ['.', 'dot_segment'],
    [' .. ', 'dot_segment'],
  ])('rejects %j with rule %s', (input, rule) => {
    const error = domainErrorOf(() => validateLotCode(input));
    expect(error.code).toBe('INVALID_LOT_CODE');
    expect(error.details).toMatchObject({ field: 'lot', rule });
  });

  it('accepts every 1–20 character set-82 string unchanged', () => {
    fc.assert(fc.property(set82Value, (lot) => expect(validateLotCode(lot)).toBe(lot)));
  });

  it('arbitrary input only ever throws a DomainError', () => {
    fc.assert(
      fc.property(hostileInput, (input) => {
        expectOnlyDomainErrors(() => validateLotCode(input));
        expect(typeof isValidLotCode(input)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
