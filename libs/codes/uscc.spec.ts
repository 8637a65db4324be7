import fc from 'fast-check';
import { completeUscc, isValidUscc, orgCodeCheckCharacter, parseUscc, USCC_CHARSET, usccCheckCharacter } from './uscc';
import {
  domainErrorOf,
  expectOnlyDomainErrors,
  hostileInput,
  substitutions,
  usccFirst16,
  validUscc,
} from './code-arbitraries.test-helper';

describe('USCC (GB 32100-2015)', () => {
  describe('examples', () => {
    it.each(['91510114730209375B', '9151070367836756X2', '91520000214434146R'])('accepts %s', (code) => {
      expect(parseUscc(code)).toMatchObject({ value: code, checksPassed: true });
    });

    it('splits a code into its parts', () => {
      expect(parseUscc('9151070367836756X2')).toEqual({
        value: '9151070367836756X2',
        authority: '9',
        orgType: '91',
        regionCode: '510703',
        orgCode: '67836756X',
        checksPassed: true,
      });
    });

    it('trims, upper-cases and folds full-width IME input', () => {
      expect(parseUscc(' 91510114730209375b ').value).toBe('91510114730209375B');
      expect(parseUscc('９１５１０１１４７３０２０９３７５Ｂ').value).toBe('91510114730209375B');
    });

    it('completes the first 16 characters to the known code', () => {
      expect(completeUscc('9151011473020937')).toBe('91510114730209375B');
      expect(completeUscc('9151070367836756')).toBe('9151070367836756X2');
      expect(usccCheckCharacter('91520000214434146')).toBe('R');
    });

    // Post-2015 organisation codes start with MA and hold letters. These codes, seen in public
    // sources, pass both checks only when letters count A=10…Z=35 in the pos-17 check;
    // valuing them by their USCC charset index (the pos-18 rule) rejects every one of them.
    it.each(['91510100MA68DEK87Y', '91510100MAACFD839W', '91510100MADJ6CPP7M', '91330782MA2M2XME60'])(
      'accepts %s, whose organisation code holds letters',
      (code) => expect(isValidUscc(code)).toBe(true),
    );

    it('values org-code letters by alphabet position, not charset index', () => {
      expect(orgCodeCheckCharacter('MA68DEK8')).toBe('7');
    });

    it('maps org-code check 10 to X and 11 to 0', () => {
      expect(orgCodeCheckCharacter('67836756')).toBe('X');
      // Some body must give 11 → '0'; find one by search rather than trusting a hand calculation.
      const body = Array.from({ length: 100 }, (_, i) => String(10_000_000 + i)).find(
        (b) => orgCodeCheckCharacter(b) === '0',
      );
      expect(body).toBeDefined();
    });
  });

  describe('rejections name the rule', () => {
    it.each([
      ['91510114730209375C', 'check_character', { expected: 'B' }],
      ['91510114730209376B', 'org_code_check', { expected: '5' }],
      ['91510114730209375', 'length', {}],
      ['91510114730209375BB', 'length', {}],
      ['9151011473020937IB', 'charset', {}],
      ['91510114730209375Z', 'charset', {}],
      ['915A0114730209375B', 'region_code', {}],
      ['', 'length', {}],
    ])('%s → %s', (code, rule, extra) => {
      const error = domainErrorOf(() => parseUscc(code));
      expect(error.code).toBe('INVALID_USCC');
      expect(error.details).toMatchObject({ field: 'uscc', rule, ...extra });
    });

    it('rejects non-strings with rule type', () => {
      expect(domainErrorOf(() => parseUscc(915101147302093)).details).toMatchObject({ rule: 'type' });
      expect(isValidUscc(null)).toBe(false);
    });

    it('lets a failed check through only when asked, and says so', () => {
      expect(parseUscc('91510114730209375C', { acceptFailedChecks: true })).toMatchObject({
        value: '91510114730209375C',
        checksPassed: false,
      });
      // Structure is never overridable.
      expect(domainErrorOf(() => parseUscc('9151011473020937', { acceptFailedChecks: true })).details).toMatchObject({
        rule: 'length',
      });
    });
  });

  describe('properties', () => {
    it('every completed code validates and parses back into its parts', () => {
      fc.assert(
        fc.property(usccFirst16, (first16) => {
          const code = completeUscc(first16);
          expect(code.startsWith(first16)).toBe(true);
          expect(parseUscc(code)).toEqual({
            value: code,
            authority: first16[0],
            orgType: first16.slice(0, 2),
            regionCode: first16.slice(2, 8),
            orgCode: code.slice(8, 17),
            checksPassed: true,
          });
        }),
      );
    });

    it('pos 17 is always a digit or X', () => {
      fc.assert(fc.property(validUscc, (code) => expect(code[16]).toMatch(/^[0-9X]$/)));
    });

    it('any single-character substitution fails', () => {
      // Lower-case variants are excluded: they normalise back to the same code.
      const replacements = USCC_CHARSET + 'IOSVZ-* ';
      fc.assert(
        fc.property(validUscc, (code) => {
          for (const changed of substitutions(code, replacements)) expect(isValidUscc(changed)).toBe(false);
        }),
        { numRuns: 50 },
      );
    });

    it('arbitrary input only ever throws a DomainError', () => {
      fc.assert(
        fc.property(hostileInput, (input) => {
          expectOnlyDomainErrors(() => parseUscc(input));
          expectOnlyDomainErrors(() => completeUscc(input as string));
          expectOnlyDomainErrors(() => usccCheckCharacter(input as string));
          expectOnlyDomainErrors(() => orgCodeCheckCharacter(input as string));
          expect(typeof isValidUscc(input)).toBe('boolean');
        }),
        { numRuns: 500 },
      );
    });
  });
});
