import { decimal, ZERO } from '../../../../libs/decimal';
import { checkMarkClaim, ClaimLicence, ClaimMark, GI_CLAIM_STEPS, judgeClaim, MARK_CLAIM_STEPS, MarkClaimInput, markState } from './claim-engine';
import { addYears, checkValidity } from './mark-inputs';
import type { MarkScheme } from './mark-schemes';

const ORG = 'org-coop';
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

function mark(scheme: MarkScheme, fields: Partial<ClaimMark> = {}): ClaimMark {
  return {
    id: `mark-${scheme}`, scheme, status: 'active', revokedOn: null, validFrom: '2025-03-01', validTo: scheme === 'regional_brand' ? null : '2026-02-28',
    scope: { productIds: [], productNames: [], categoryPaths: ['水果>浆果和其他小型水果'], siteIds: ['site-base'], areaCodes: [] },
    holderOrganizationId: scheme === 'regional_brand' ? 'org-brand-owner' : ORG, yearlyQuota: { value: '1000', unit: 'kg' }, ...fields,
  };
}

const licence = (fields: Partial<ClaimLicence> = {}): ClaimLicence => ({
  id: 'lic-1', validFrom: '2025-01-01', validTo: '2025-12-31', status: 'active', revokedOn: null, yearlyQuota: { value: '300', unit: 'kg' }, ...fields,
});

function input(m: ClaimMark, fields: Partial<MarkClaimInput> = {}): MarkClaimInput {
  return {
    mark: m, date: '2025-10-08', organizationId: ORG,
    product: { id: 'p-kiwi', name: '蒲江猕猴桃', categoryPath: KIWI }, site: { id: 'site-base', regionCode: '510131' },
    quantity: { value: '100', unit: 'kg' }, licences: m.scheme === 'regional_brand' ? [licence()] : [],
    claimedInYear: { mark: ZERO, byLicence: {} }, underConversion: false, ...fields,
  };
}

type Row = [string, MarkScheme, Partial<ClaimMark>, Partial<MarkClaimInput>, string | null, string?];

// One table for every scheme: [case, scheme, mark fields, claim fields, refusal code (null = accepted), details.rule].
const TABLE: Row[] = [];
for (const scheme of ['green_food', 'organic', 'regional_brand'] as const) {
  const brand = scheme === 'regional_brand';
  TABLE.push(
    ['valid mid-period', scheme, {}, {}, null],
    ['first valid day', scheme, {}, { date: '2025-03-01' }, null],
    ['day before validity', scheme, {}, { date: '2025-02-28' }, 'MARK_NOT_YET_VALID', 'valid_from'],
    ['revoked mark', scheme, { status: 'revoked', revokedOn: '2025-06-01' }, {}, 'MARK_REVOKED', 'mark_revoked'],
    ['product outside scope', scheme, {}, { product: { id: 'p-rice', name: '大米', categoryPath: '谷物>稻谷' } }, 'MARK_OUTSIDE_SCOPE', 'product'],
    ['product named on the certificate', scheme, { scope: { productIds: [], productNames: ['大米'], categoryPaths: [], siteIds: [], areaCodes: [] } },
      { product: { id: 'p-rice', name: '大米', categoryPath: '谷物>稻谷' } }, null],
    ['site not certified', scheme, {}, { site: { id: 'site-other', regionCode: '510131' } }, 'MARK_OUTSIDE_SCOPE', 'site'],
    ['site outside the regions', scheme, { scope: { productIds: ['p-kiwi'], productNames: [], categoryPaths: [], siteIds: [], areaCodes: ['510100'] } },
      { site: { id: 'site-x', regionCode: '511823' } }, 'MARK_OUTSIDE_SCOPE', 'region'],
    ['quota exactly reached', scheme, {}, { claimedInYear: { mark: decimal('900'), byLicence: {} } }, null],
    ['quota exceeded', scheme, {}, { claimedInYear: { mark: decimal('900.001'), byLicence: {} } }, 'MARK_QUOTA_EXCEEDED', 'yearly_quota'],
    ['quota in tonnes counts kg', scheme, { yearlyQuota: { value: '1', unit: 't' } }, { quantity: { value: '1000', unit: 'kg' }, ...(brand ? { licences: [licence({ yearlyQuota: null })] } : {}) }, null],
    ['quota unit not comparable', scheme, {}, { quantity: { value: '100', unit: '箱' as never } }, 'MARK_QUOTA_UNIT_MISMATCH', 'comparable_unit'],
    ['not the holder, no licence', scheme, {}, { organizationId: 'org-other', licences: [] }, 'MARK_NOT_AUTHORISED', 'holder_or_licence'],
  );
  if (!brand) {
    TABLE.push(
      ['last valid day', scheme, {}, { date: '2026-02-28' }, null],
      ['day after validity', scheme, {}, { date: '2026-03-01' }, 'MARK_EXPIRED', 'valid_to'],
    );
  }
}
TABLE.push(
  ['brand: licensed user within its licence quota', 'regional_brand', {}, { claimedInYear: { mark: ZERO, byLicence: { 'lic-1': decimal('200') } } }, null],
  ['brand: licence quota exceeded', 'regional_brand', {}, { claimedInYear: { mark: ZERO, byLicence: { 'lic-1': decimal('200.5') } } }, 'MARK_QUOTA_EXCEEDED', 'yearly_quota'],
  ['brand: licence ended', 'regional_brand', {}, { date: '2026-01-05' }, 'MARK_NOT_AUTHORISED', 'holder_or_licence'],
  ['brand: licence revoked', 'regional_brand', {}, { licences: [licence({ status: 'revoked', revokedOn: '2025-09-01' })] }, 'MARK_REVOKED', 'licence_revoked'],
  ['brand: open-ended mark, far date', 'regional_brand', {}, { date: '2031-06-01', licences: [licence({ validTo: null })] }, null],
  ['organic: product under conversion', 'organic', {}, { underConversion: true }, 'MARK_CONVERSION_PERIOD', 'under_conversion'],
  ['green food: conversion certificates do not matter', 'green_food', {}, { underConversion: true }, null],
  ['conversion certificate itself is never claimed', 'organic_conversion', {}, {}, 'MARK_CONVERSION_PERIOD', 'not_claimable'],
  ['expired conversion certificate: expiry said first', 'organic_conversion', {}, { date: '2026-03-01' }, 'MARK_EXPIRED', 'valid_to'],
);

describe('mark claim engine: one table for every scheme', () => {
  // Titles name the case only: the rows hold decimals, which the title formatter must not print.
  it.each(TABLE.map((row) => ({ title: `${row[0]} (${row[1]})`, row })))('$title', ({ row: [, scheme, markFields, claimFields, code, rule] }) => {
    const verdict = checkMarkClaim(input(mark(scheme, markFields), claimFields));
    if (code === null) {
      expect(verdict).toMatchObject({ ok: true });
    } else {
      expect(verdict).toMatchObject({ ok: false, reason: code, details: expect.objectContaining({ rule }) });
    }
  });

  it('a brand claim rests on the licence; a holder claims its own certificate without one', () => {
    expect(checkMarkClaim(input(mark('regional_brand')))).toEqual({ ok: true, licenceId: 'lic-1' });
    expect(checkMarkClaim(input(mark('green_food')))).toEqual({ ok: true, licenceId: null });
  });

  it('a quota refusal says what remains, in base units', () => {
    const verdict = checkMarkClaim(input(mark('green_food', { yearlyQuota: { value: '1', unit: 't' } }), { claimedInYear: { mark: decimal('950'), byLicence: {} } }));
    expect(verdict).toMatchObject({ ok: false, details: { year: 2025, remaining: { value: '50', unit: 'kg' }, quotaOf: 'mark' } });
  });

  it('validity is data: 3 years for 绿色食品, 1 for organic, none for brands; states for the consumer page', () => {
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(() => checkValidity('green_food', '2025-03-01', '2028-03-01')).not.toThrow();
    expect(() => checkValidity('green_food', '2025-03-01', '2028-03-02')).toThrow(expect.objectContaining({ code: 'INVALID_MARK_VALIDITY', details: expect.objectContaining({ rule: 'max_validity' }) }));
    expect(() => checkValidity('organic', '2025-03-01', '2026-03-02')).toThrow(expect.objectContaining({ details: expect.objectContaining({ validityYears: 1 }) }));
    expect(() => checkValidity('organic', '2025-03-01', null)).toThrow(expect.objectContaining({ details: expect.objectContaining({ rule: 'required' }) }));
    expect(() => checkValidity('regional_brand', '2025-03-01', null)).not.toThrow();
    expect(markState({ status: 'active', validTo: '2026-02-28' }, '2026-02-28')).toBe('valid');
    expect(markState({ status: 'active', validTo: '2026-02-28' }, '2026-03-01')).toBe('expired');
    expect(markState({ status: 'revoked', validTo: null }, '2026-03-01')).toBe('revoked');
  });

  it('is one judgement for every scheme; a scheme only orders the rules (a GI: area before authorisation)', () => {
    // Unlicensed and outside the scope at once: each scheme names the rule its order reaches first.
    const brand = mark('regional_brand', { scope: { productIds: [], productNames: [], categoryPaths: [], siteIds: [], areaCodes: ['510100'] } });
    const both = input(brand, { organizationId: 'org-other', licences: [], site: { id: 'site-x', regionCode: '511823' } });
    expect(judgeClaim(both, MARK_CLAIM_STEPS)).toEqual({ ok: false, problem: { rule: 'holder_or_licence' } });
    expect(judgeClaim(both, GI_CLAIM_STEPS)).toEqual({ ok: false, problem: { rule: 'region' } });
    // Empty product lists cover any product (a GI's record is its product); a bounding box needs the site's location.
    const gi = mark('gi', { validTo: null, holderOrganizationId: null, yearlyQuota: null,
      scope: { productIds: [], productNames: [], categoryPaths: [], siteIds: [], areaCodes: ['510131'], boundingBox: { minLat: 30, minLng: 103, maxLat: 31, maxLng: 104 } } });
    const claim = (location: { lat: number; lng: number } | null) => judgeClaim(input(gi, { licences: [licence()], site: { id: 's', regionCode: '510131', location } }), GI_CLAIM_STEPS);
    expect(claim({ lat: 30.2, lng: 103.4 })).toEqual({ ok: true, licenceId: 'lic-1' });
    expect(claim(null)).toEqual({ ok: true, licenceId: 'lic-1' });
    expect(claim({ lat: 30.6, lng: 104.06 })).toEqual({ ok: false, problem: { rule: 'bounding_box' } });
  });
});

// GI is a scheme of the same engine (records in the GI registry): its claim rests on an authorisation
// (the licence) and its protected area; boundary dates, scope, quota and conversion, as for the marks.
type GiRow = [string, Partial<ClaimMark>, Partial<MarkClaimInput>, string | null];
const giRecord = (fields: Partial<ClaimMark> = {}) => mark('gi', {
  validFrom: '2019-03-01', validTo: null, holderOrganizationId: null, yearlyQuota: null,
  scope: { productIds: [], productNames: [], categoryPaths: [], siteIds: [], areaCodes: ['510131'] }, ...fields,
});
const GI_TABLE: GiRow[] = [
  ['authorised user inside the protected area', {}, {}, null],
  ['first day of the authorisation', {}, { date: '2025-01-01' }, null],
  ['last day of the authorisation', {}, { date: '2025-12-31' }, null],
  ['day before the authorisation', {}, { date: '2024-12-31' }, 'holder_or_licence'],
  ['day after the authorisation', {}, { date: '2026-01-01' }, 'holder_or_licence'],
  ['GI registered after the date', { validFrom: '2025-11-01' }, {}, 'valid_from'],
  ['site outside the protected area', {}, { site: { id: 'site-x', regionCode: '511823' } }, 'region'],
  ['authorisation quota exactly reached', {}, { claimedInYear: { mark: ZERO, byLicence: { 'lic-1': decimal('200') } } }, null],
  ['authorisation quota exceeded', {}, { claimedInYear: { mark: ZERO, byLicence: { 'lic-1': decimal('200.001') } } }, 'yearly_quota'],
  ['revoked GI', { status: 'revoked', revokedOn: '2025-06-01' }, {}, 'mark_revoked'],
  ['revoked authorisation', {}, { licences: [licence({ status: 'revoked', revokedOn: '2025-09-01' })] }, 'licence_revoked'],
  ['no authorisation', {}, { licences: [] }, 'holder_or_licence'],
  ['conversion certificates do not matter', {}, { underConversion: true }, null],
];

describe('GI claims through the same engine (GI_CLAIM_STEPS)', () => {
  it.each(GI_TABLE.map((row) => ({ title: row[0], row })))('$title', ({ row: [, recordFields, claimFields, rule] }) => {
    const outcome = judgeClaim(input(giRecord(recordFields), { licences: [licence()], ...claimFields }), GI_CLAIM_STEPS);
    if (rule === null) expect(outcome).toEqual({ ok: true, licenceId: 'lic-1' });
    else expect(outcome).toMatchObject({ ok: false, problem: { rule } });
  });
});
