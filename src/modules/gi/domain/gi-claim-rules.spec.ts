import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { checkClaim, ClaimAuthorisation, ClaimInput, effectiveEnd, periodsOverlap } from './gi-claim-rules';
import { parseAreaCodes, parseRegistrationNumber } from './gi-record-rules';
import { decimal, formatDecimal, formatScaled, ZERO } from '../../../../libs/decimal';
import { amountOf } from '../../../../libs/quantity';

const AUTH: ClaimAuthorisation = {
  id: 'auth-1', validFrom: '2026-01-01', validTo: '2026-12-31', status: 'active', revokedOn: null, yearlyQuota: { value: '1000', unit: 'kg' },
};

/** 蒲江猕猴桃-like GI: the whole of 蒲江县, a bounding box around it, announced 2010. */
const BASE: ClaimInput = {
  gi: { status: 'active', areaCodes: ['510131'], boundingBox: { minLat: 30.05, minLng: 103.3, maxLat: 30.35, maxLng: 103.7 }, announcedOn: '2010-06-01' },
  producedOn: '2026-10-08',
  site: { regionCode: '510131', location: { lat: 30.2358, lng: 103.4661 } },
  quantity: { value: '200', unit: 'kg' },
  authorisations: [AUTH],
  claimedInYear: ZERO,
};

const kg = (v: string) => decimal(v);

type Case = [name: string, change: (i: ClaimInput) => ClaimInput, expected: string];

const CASES: Case[] = [
  ['authorised user, site in the county, within quota', (i) => i, 'ok'],
  ['prefecture code covers the county', (i) => ({ ...i, gi: { ...i.gi, areaCodes: ['510100'] } }), 'ok'],
  ['province code covers the county', (i) => ({ ...i, gi: { ...i.gi, areaCodes: ['510000'] } }), 'ok'],
  ['site in another county', (i) => ({ ...i, site: { ...i.site, regionCode: '510117' } }), 'GI_OUTSIDE_AREA'],
  ['site in another prefecture', (i) => ({ ...i, gi: { ...i.gi, areaCodes: ['510700'] } }), 'GI_OUTSIDE_AREA'],
  ['site in the area but outside the bounding box', (i) => ({ ...i, site: { ...i.site, location: { lat: 30.6, lng: 104.06 } } }), 'GI_OUTSIDE_AREA'],
  ['no site location: the box is not checked', (i) => ({ ...i, site: { ...i.site, location: null } }), 'ok'],
  ['no bounding box: any location in the area', (i) => ({ ...i, gi: { ...i.gi, boundingBox: null }, site: { ...i.site, location: { lat: 1, lng: 1 } } }), 'ok'],
  ['GI revoked', (i) => ({ ...i, gi: { ...i.gi, status: 'revoked' } }), 'GI_REVOKED'],
  ['produced before the GI was announced', (i) => ({ ...i, producedOn: '2009-05-01' }), 'GI_NOT_YET_REGISTERED'],
  ['no authorisation at all', (i) => ({ ...i, authorisations: [] }), 'GI_NOT_AUTHORISED'],
  ['produced before the authorisation starts', (i) => ({ ...i, authorisations: [{ ...AUTH, validFrom: '2026-11-01' }] }), 'GI_NOT_AUTHORISED'],
  ['produced after the authorisation ended', (i) => ({ ...i, authorisations: [{ ...AUTH, validTo: '2026-09-30' }] }), 'GI_NOT_AUTHORISED'],
  ['produced on the first valid day', (i) => ({ ...i, producedOn: '2026-01-01' }), 'ok'],
  ['produced on the last valid day', (i) => ({ ...i, producedOn: '2026-12-31' }), 'ok'],
  ['open-ended authorisation', (i) => ({ ...i, authorisations: [{ ...AUTH, validTo: null, yearlyQuota: null }], producedOn: '2026-10-08' }), 'ok'],
  ['authorisation revoked', (i) => ({ ...i, authorisations: [{ ...AUTH, status: 'revoked', revokedOn: '2026-11-01' }] }), 'GI_AUTHORISATION_REVOKED'],
  ['revoked one and a later active one: the active one covers', (i) => ({
    ...i, producedOn: '2026-11-15',
    authorisations: [{ ...AUTH, status: 'revoked', revokedOn: '2026-11-01' }, { ...AUTH, id: 'auth-2', validFrom: '2026-11-01' }],
  }), 'ok'],
  ['quota exactly reached', (i) => ({ ...i, claimedInYear: kg('800') }), 'ok'],
  ['quota exceeded by one gram', (i) => ({ ...i, claimedInYear: kg('800.001') }), 'GI_QUOTA_EXCEEDED'],
  ['quota in tonnes, batch in 斤', (i) => ({ ...i, authorisations: [{ ...AUTH, yearlyQuota: { value: '1', unit: 't' } }], quantity: { value: '2000', unit: '斤' } }), 'ok'],
  ['quota in tonnes, batch in 斤, one 斤 too many', (i) => ({ ...i, authorisations: [{ ...AUTH, yearlyQuota: { value: '1', unit: 't' } }], quantity: { value: '2001', unit: '斤' } }), 'GI_QUOTA_EXCEEDED'],
  ['quota in kg, batch in boxes', (i) => ({ ...i, quantity: { value: '10', unit: '箱' } }), 'GI_QUOTA_UNIT_MISMATCH'],
  ['no quota: any quantity', (i) => ({ ...i, authorisations: [{ ...AUTH, yearlyQuota: null }], quantity: { value: '999999', unit: 't' } }), 'ok'],
  ['revoked GI wins over every other problem', (i) => ({ ...i, gi: { ...i.gi, status: 'revoked' }, authorisations: [], site: { ...i.site, regionCode: '510117' } }), 'GI_REVOKED'],
  ['outside the area is reported before authorisation', (i) => ({ ...i, authorisations: [], site: { ...i.site, regionCode: '510117' } }), 'GI_OUTSIDE_AREA'],
];

describe('checkClaim (DOMAIN.md §4: a batch may claim a GI only if …)', () => {
  it.each(CASES)('%s', (_name, change, expected) => {
    const verdict = checkClaim(change(BASE));
    expect(verdict.ok ? 'ok' : verdict.reason).toBe(expected);
    if (!verdict.ok) {
      expect(verdict.details.field).toBe('giId');
      expect(verdict.message.length).toBeGreaterThan(10);
    }
  });

  it('tells the remaining quota when refusing', () => {
    const verdict = checkClaim({ ...BASE, claimedInYear: kg('850.5') });
    expect(verdict).toMatchObject({ ok: false, reason: 'GI_QUOTA_EXCEEDED', details: { year: 2026, remaining: { value: '149.5', unit: 'kg' } } });
  });

  it('never accepts a claim that would take the year over the quota (any units, any amounts)', () => {
    const massUnits = ['kg', 'g', 't', '斤'] as const;
    const amount = fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 999 }))
      .map(([w, f]) => (f ? `${w}.${String(f).padStart(3, '0').replace(/0+$/, '')}` : String(w)));
    fc.assert(fc.property(amount, fc.constantFrom(...massUnits), amount, fc.constantFrom(...massUnits), fc.bigInt({ min: 0n, max: 10n ** 16n }),
      (qv, qu, bv, bu, claimedMicro) => {
        const claimed = decimal(formatScaled(claimedMicro, 6));
        const input = { ...BASE, authorisations: [{ ...AUTH, yearlyQuota: { value: qv, unit: qu } }], quantity: { value: bv, unit: bu }, claimedInYear: claimed };
        const verdict = checkClaim(input);
        const fits = claimed.plus(amountOf({ value: bv, unit: bu }).value).lte(amountOf({ value: qv, unit: qu }).value);
        expect(verdict.ok).toBe(fits);
      }));
  });
});

describe('authorisation periods', () => {
  it.each([
    [{ from: '2026-01-01', to: '2026-06-30' }, { from: '2026-07-01', to: null }, false],
    [{ from: '2026-01-01', to: '2026-06-30' }, { from: '2026-06-30', to: '2026-12-31' }, true],
    [{ from: '2026-01-01', to: null }, { from: '2030-01-01', to: '2030-12-31' }, true],
    [{ from: '2026-03-01', to: '2026-03-31' }, { from: '2026-01-01', to: '2026-12-31' }, true],
  ])('%o and %o overlap: %s', (a, b, expected) => {
    expect(periodsOverlap(a, b)).toBe(expected);
    expect(periodsOverlap(b, a)).toBe(expected);
  });

  it('a revoked authorisation ends the day before its revocation', () => {
    expect(effectiveEnd({ validTo: '2026-12-31', status: 'revoked', revokedOn: '2026-11-01' })).toBe('2026-10-31');
    expect(effectiveEnd({ validTo: '2026-06-30', status: 'revoked', revokedOn: '2026-11-01' })).toBe('2026-06-30');
    expect(effectiveEnd({ validTo: null, status: 'active', revokedOn: null })).toBeNull();
  });
});

describe('registry formats', () => {
  it.each([
    ['agi', 'AGI02738', 'AGI02738'],
    ['agi', ' agi02738 ', 'AGI02738'],
    ['gi_trademark', '7014512', '7014512'],
    ['pgi', '质检总局公告2005年第78号', '质检总局公告2005年第78号'],
  ] as const)('%s %s is accepted as %s', (regime, raw, expected) => {
    expect(parseRegistrationNumber(regime, raw)).toBe(expected);
  });

  it.each([
    ['agi', 'AGI2738'], ['agi', 'AGI027380'], ['agi', 'PGI02738'], ['agi', 'AGI2019-03-2738'], ['gi_trademark', 'TM12345'],
    ['gi_trademark', '123'], ['pgi', ''], ['pgi', '<script>'],
  ] as const)('%s %s is refused with INVALID_GI_REGISTRATION_NUMBER', (regime, raw) => {
    expect(() => parseRegistrationNumber(regime, raw)).toThrow(expect.objectContaining({ code: 'INVALID_GI_REGISTRATION_NUMBER' }) as DomainError);
  });

  it('never crashes on arbitrary registration numbers: a value or a DomainError', () => {
    fc.assert(fc.property(fc.constantFrom('agi', 'pgi', 'gi_trademark' as const), fc.string({ maxLength: 80 }), (regime, raw) => {
      try {
        expect(typeof parseRegistrationNumber(regime as 'agi', raw)).toBe('string');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
      }
    }));
  });

  it('keeps area codes current and drops codes a listed prefecture already covers', () => {
    expect(parseAreaCodes(['510131', '510100', '511823'])).toEqual(['510100', '511823']);
    expect(() => parseAreaCodes(['510124'])).toThrow(expect.objectContaining({ code: 'INVALID_REGION_CODE', details: expect.objectContaining({ field: 'areaCodes[0]' }) }) as DomainError);
    expect(() => parseAreaCodes(['51013'])).toThrow(expect.objectContaining({ code: 'INVALID_REGION_CODE' }) as DomainError);
    expect(() => parseAreaCodes([])).toThrow(expect.objectContaining({ code: 'INVALID_REGION_CODE' }) as DomainError);
  });

  it('converts quantities exactly', () => {
    expect(formatDecimal(amountOf({ value: '1.5', unit: 't' }).value)).toBe('1500');
    expect(formatDecimal(amountOf({ value: '3', unit: '斤' }).value)).toBe('1.5');
    expect(formatDecimal(amountOf({ value: '0.001', unit: 'g' }).value)).toBe('0.000001');
    expect(formatDecimal('12.500000')).toBe('12.5');
  });
});
