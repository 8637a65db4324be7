import fc from 'fast-check';
import { gtinCheckDigit, isGs1ChinaPrefix, isValidGtin, normalizeGtin } from './gtin';
import { domainErrorOf, expectOnlyDomainErrors, hostileInput, substitutions, validGtin } from './code-arbitraries.test-helper';

describe('GTIN (GS1 mod-10)', () => {
  it.each([
    ['6901234567892', '06901234567892'],
    ['6921234123454', '06921234123454'],
    ['96385074', '00000096385074'],
    ['036000291452', '00036000291452'],
    ['10614141000415', '10614141000415'],
    [' 6901234567892 ', '06901234567892'],
  ])('normalises %s to %s', (input, gtin14) => {
    expect(normalizeGtin(input)).toBe(gtin14);
  });

  it('computes the check digit from the rightmost data digit', () => {
    expect(gtinCheckDigit('690123456789')).toBe('2');
    expect(gtinCheckDigit('9638507')).toBe('4');
  });

  it.each([
    ['6901234567893', 'check_digit', { expected: '2' }],
    ['69012345678', 'length', {}],
    ['690123456789234', 'length', {}],
    ['', 'digits', {}],
    ['690123456789a', 'digits', {}],
    ['6901-234567892', 'digits', {}],
  ])('%s → %s', (input, rule, extra) => {
    const error = domainErrorOf(() => normalizeGtin(input));
    expect(error.code).toBe('INVALID_GTIN');
    expect(error.details).toMatchObject({ field: 'gtin', rule, ...extra });
  });

  it.each([
    ['6901234567892', true],
    ['06921234123454', true],
    ['16901234567899', true],
    ['4006381333931', false],
    ['036000291452', false],
    ['96385074', false],
    ['6901234567893', false],
  ])('isGs1ChinaPrefix(%s) = %s', (gtin, expected) => {
    expect(isGs1ChinaPrefix(gtin)).toBe(expected);
  });

  it('every valid GTIN normalises to a valid GTIN-14 that keeps its digits', () => {
    fc.assert(
      fc.property(validGtin, (gtin) => {
        const gtin14 = normalizeGtin(gtin);
        expect(gtin14).toHaveLength(14);
        expect(gtin14.endsWith(gtin)).toBe(true);
        expect(normalizeGtin(gtin14)).toBe(gtin14);
      }),
    );
  });

  it('any single-digit substitution fails the check', () => {
    fc.assert(
      fc.property(validGtin, (gtin) => {
        for (const changed of substitutions(gtin, '0123456789')) expect(isValidGtin(changed)).toBe(false);
      }),
    );
  });

  it('arbitrary input only ever throws a DomainError', () => {
    fc.assert(
      fc.property(hostileInput, (input) => {
        expectOnlyDomainErrors(() => normalizeGtin(input));
        expectOnlyDomainErrors(() => gtinCheckDigit(input as string));
        expect(typeof isGs1ChinaPrefix(input as string)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
