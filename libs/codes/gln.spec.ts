import fc from 'fast-check';
import { DomainError } from '../errors';
import { gtinCheckDigit } from './gtin';
import { isValidGln, normalizeGln } from './gln';

describe('GLN', () => {
  it('accepts 13 digits with a GS1 mod-10 check digit (full-width digits folded)', () => {
    expect(normalizeGln('6901234000016')).toBe('6901234000016');
    expect(normalizeGln('４０１２３４５０００００９')).toBe('4012345000009');
  });

  it('names the rule it refuses', () => {
    const rule = (v: unknown) => { try { normalizeGln(v); return null; } catch (e) { return ((e as DomainError).details as { rule: string }).rule; } };
    expect(rule('6901234000017')).toBe('check_digit');
    expect(rule('690123400001')).toBe('format');
    expect(rule('69012340000160')).toBe('format');
    expect(rule('690123400001X')).toBe('format');
    expect(rule(6901234000016)).toBe('type');
  });

  it('every 12 digits plus their check digit is a GLN; any other last digit is not (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{12}$/), fc.integer({ min: 1, max: 9 }), (body, shift) => {
      const check = gtinCheckDigit(body);
      expect(isValidGln(body + check)).toBe(true);
      expect(isValidGln(body + String((Number(check) + shift) % 10))).toBe(false);
    }));
  });
});
