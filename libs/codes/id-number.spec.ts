import fc from 'fast-check';
import {
  describeChineseIdNumber,
  idNumberCheckCharacter,
  isValidChineseIdNumber,
  maskIdNumber,
  parseChineseIdNumber,
} from './id-number';
import { domainErrorOf, expectOnlyDomainErrors, hostileInput, substitutions, validIdNumber } from './code-arbitraries.test-helper';

// 11010519491231002X is the worked example of GB 11643-1999.
const EXAMPLE = '11010519491231002X';

describe('resident ID number (GB 11643, ISO 7064 MOD 11-2)', () => {
  it('accepts the standard example and returns only the canonical string', () => {
    expect(parseChineseIdNumber(EXAMPLE)).toBe(EXAMPLE);
    expect(parseChineseIdNumber(' 11010519491231002x ')).toBe(EXAMPLE);
  });

  it('describes region, birth date and sex on request', () => {
    expect(describeChineseIdNumber(EXAMPLE)).toEqual({
      value: EXAMPLE,
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it.each([
    ['110105194912310021', 'check_character'],
    ['11010519491231002', 'length'],
    ['1101051949123100X2', 'charset'],
    ['110105194902300028', 'birth_date'],
    ['110105189912310020', 'birth_date'],
  ])('%s → %s', (id, rule) => {
    const error = domainErrorOf(() => parseChineseIdNumber(id));
    expect(error.code).toBe('INVALID_ID_NUMBER');
    expect(error.details).toMatchObject({ field: 'idNumber', rule });
  });

  it('never puts the number or its check character in the error', () => {
    const error = domainErrorOf(() => parseChineseIdNumber('110105194912310021'));
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toMatch(/1101|X/);
  });

  it('rejects a birth date after asOf (China time)', () => {
    const first17 = '51010420260315123';
    const id = first17 + idNumberCheckCharacter(first17);
    // 2026-03-14T17:00Z is already 2026-03-15 01:00 in Chengdu.
    expect(isValidChineseIdNumber(id, new Date('2026-03-14T17:00:00Z'))).toBe(true);
    expect(domainErrorOf(() => parseChineseIdNumber(id, new Date('2026-03-14T15:00:00Z'))).details).toMatchObject({
      rule: 'birth_date',
    });
  });

  it('masks all but the first 6 and last 4 characters', () => {
    expect(maskIdNumber(EXAMPLE)).toBe('110105********002X');
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskIdNumber('')).toBe('');
  });

  it('generated numbers round-trip', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        const described = describeChineseIdNumber(id);
        expect(described.value).toBe(id);
        expect(described.regionCode).toBe(id.slice(0, 6));
        expect(described.birthDate.replaceAll('-', '')).toBe(id.slice(6, 14));
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(6, 14)).toBe('********');
      }),
    );
  });

  it('any single-character substitution fails', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        for (const changed of substitutions(id, '0123456789XA')) expect(isValidChineseIdNumber(changed)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('arbitrary input only ever throws a DomainError', () => {
    fc.assert(
      fc.property(hostileInput, (input) => {
        expectOnlyDomainErrors(() => parseChineseIdNumber(input));
        expectOnlyDomainErrors(() => idNumberCheckCharacter(input as string));
        expect(typeof maskIdNumber(input as string)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
