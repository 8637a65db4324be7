import { type Decimal, ZERO } from '../../../../libs/decimal';
import { amountOf, baseQuantity, type Quantity } from '../../../../libs/quantity';
import { isWithinRegion } from '../../regions/domain';
import { SCHEME_DEFINITIONS, type MarkScheme } from './mark-schemes';

/** Why a batch may not carry a mark. Each is also the error code the API answers with. */
export const MARK_REFUSAL_REASONS = [
  'MARK_REVOKED',
  'MARK_NOT_YET_VALID',
  'MARK_EXPIRED',
  'MARK_CONVERSION_PERIOD',
  'MARK_OUTSIDE_SCOPE',
  'MARK_NOT_AUTHORISED',
  'MARK_QUOTA_UNIT_MISMATCH',
  'MARK_QUOTA_EXCEEDED',
] as const;
export type MarkRefusalReason = (typeof MARK_REFUSAL_REASONS)[number];

/**
 * What a mark covers: products (by id, name or category subtree), sites (by id, or by region) and,
 * for a GI, a bounding box. All three product lists empty: any product (a GI's record is its product;
 * the quality-mark registries require at least one entry).
 */
export interface MarkScope {
  productIds: string[];
  productNames: string[];
  categoryPaths: string[];
  /** Certified sites/bases; empty: any site (within areaCodes). */
  siteIds: string[];
  /** Regions (GB/T 2260; a prefecture covers its counties); empty: anywhere. */
  areaCodes: string[];
  /** WGS-84 box the site's location must lie in, when both have one (GI protected areas). */
  boundingBox?: BoundingBox | null;
}

export interface BoundingBox {
  minLat: number;
  minLng: number;
  maxLat: number;
  maxLng: number;
}

export interface ClaimMark {
  id: string;
  scheme: MarkScheme;
  status: 'active' | 'revoked';
  revokedOn: string | null;
  /** First valid day (a GI: its announcement); null = no start rule. */
  validFrom: string | null;
  /** Last valid day; null = open-ended (brands, GIs). */
  validTo: string | null;
  scope: MarkScope;
  /** The holder on the platform; it uses its own mark without a licence (a GI's holder is authorised like any user). */
  holderOrganizationId: string | null;
  yearlyQuota: Quantity | null;
}

/** A licence (区域公用品牌 授权) or a GI authorisation (授权使用人): one model for both. */
export interface ClaimLicence {
  id: string;
  validFrom: string;
  validTo: string | null;
  status: 'active' | 'revoked';
  revokedOn: string | null;
  yearlyQuota: Quantity | null;
}

export interface MarkClaimInput {
  mark: ClaimMark;
  /** The day the mark must be valid on (harvest or production date). */
  date: string;
  organizationId: string;
  product: { id: string; name: string; categoryPath: string };
  site: { id: string; regionCode: string; location?: { lat: number; lng: number } | null };
  quantity: Quantity;
  /** The producer's licences for this mark (any period, any status). */
  licences: ClaimLicence[];
  /** Already claimed in the date's year, in base units (kg or the counted unit): on the mark, and per licence id. */
  claimedInYear: { mark: Decimal; byLicence: Record<string, Decimal> };
  /** A conversion-period (转换期) certificate of the producer covers this product and site on the date. */
  underConversion: boolean;
}

/**
 * The rules of a claim, judged in the order a scheme gives. Every scheme runs the same rules; the
 * order is the scheme's (a GI's protected area comes before its authorised users, as GI refusals
 * always answered; a quality mark's holder-or-licence comes before its scope: someone else's
 * certificate is misuse, whatever it covers).
 */
export type ClaimStep = 'status' | 'validity' | 'claimable' | 'authorisation' | 'scope' | 'quota';

export const MARK_CLAIM_STEPS: readonly ClaimStep[] = ['status', 'validity', 'claimable', 'authorisation', 'scope', 'quota'];
export const GI_CLAIM_STEPS: readonly ClaimStep[] = ['status', 'validity', 'scope', 'authorisation', 'quota'];

export type ScopeRule = 'product' | 'site' | 'region' | 'bounding_box';

/** Why a claim fails, as facts; each scheme words it (code, message, details) itself. */
export type ClaimProblem =
  | { rule: 'mark_revoked'; revokedOn: string | null }
  | { rule: 'valid_from'; validFrom: string }
  | { rule: 'valid_to'; validTo: string }
  | { rule: 'not_claimable' }
  | { rule: 'under_conversion' }
  | { rule: 'holder_or_licence' }
  | { rule: 'licence_revoked'; revokedOn: string | null }
  | { rule: ScopeRule }
  | { rule: 'comparable_unit'; quotaOf: 'mark' | 'licence'; quota: Quantity }
  | { rule: 'yearly_quota'; quotaOf: 'mark' | 'licence'; year: number; quota: Quantity; claimed: Quantity; remaining: Quantity };

export type ClaimOutcome = { ok: true; licenceId: string | null } | { ok: false; problem: ClaimProblem };

const covers = (a: { validFrom: string; validTo: string | null }, date: string) => a.validFrom <= date && (a.validTo === null || date <= a.validTo);

const inBox = (box: BoundingBox, point: { lat: number; lng: number }) =>
  point.lat >= box.minLat && point.lat <= box.maxLat && point.lng >= box.minLng && point.lng <= box.maxLng;

/** Which part of the scope a product or site falls outside, if any. */
export function scopeProblem(scope: MarkScope, product: MarkClaimInput['product'], site: MarkClaimInput['site']): ScopeRule | null {
  const anyProduct = scope.productIds.length + scope.productNames.length + scope.categoryPaths.length === 0;
  const productCovered = anyProduct || scope.productIds.includes(product.id) || scope.productNames.includes(product.name)
    || scope.categoryPaths.some((p) => product.categoryPath === p || product.categoryPath.startsWith(`${p}>`));
  if (!productCovered) return 'product';
  if (scope.siteIds.length > 0 && !scope.siteIds.includes(site.id)) return 'site';
  if (scope.areaCodes.length > 0 && !scope.areaCodes.some((code) => isWithinRegion(site.regionCode, code))) return 'region';
  if (scope.boundingBox && site.location && !inBox(scope.boundingBox, site.location)) return 'bounding_box';
  return null;
}

/**
 * The licence a claim on `date` rests on: an active one whose period covers the date, else a revoked
 * one that covered it (so the refusal can say "revoked"), else none.
 */
export function coveringLicence<L extends Pick<ClaimLicence, 'status' | 'validFrom' | 'validTo'>>(licences: L[], date: string): L | undefined {
  return licences.find((l) => l.status === 'active' && covers(l, date)) ?? licences.find((l) => covers(l, date));
}

function quotaProblem(quota: Quantity, claimed: Decimal, input: MarkClaimInput, on: 'mark' | 'licence'): ClaimProblem | null {
  const limit = amountOf(quota);
  const wanted = amountOf(input.quantity);
  if (limit.dimension !== wanted.dimension) return { rule: 'comparable_unit', quotaOf: on, quota };
  if (!claimed.plus(wanted.value).gt(limit.value)) return null;
  const remaining = limit.value.minus(claimed);
  const inBase = (value: Decimal) => baseQuantity({ dimension: limit.dimension, value });
  return {
    rule: 'yearly_quota', quotaOf: on, year: Number(input.date.slice(0, 4)),
    quota: inBase(limit.value), claimed: inBase(claimed), remaining: inBase(remaining.gt(ZERO) ? remaining : ZERO),
  };
}

/**
 * Whether a batch may carry a mark (DOMAIN.md §4 and §9), for every scheme alike: the mark is not
 * revoked, it is valid on the date (from/to inclusive), conversion-period produce never carries 有机,
 * the producer is the holder or holds a licence (authorisation) covering the date that is not
 * revoked, the product and the site are covered, and the year's claims stay within the mark's and
 * the licence's quotas. `steps` is the scheme's order of these rules.
 */
export function judgeClaim(input: MarkClaimInput, steps: readonly ClaimStep[]): ClaimOutcome {
  const { mark, date } = input;
  let licence: ClaimLicence | undefined;
  const check: Record<ClaimStep, () => ClaimProblem | null> = {
    status: () => (mark.status === 'revoked' ? { rule: 'mark_revoked', revokedOn: mark.revokedOn } : null),
    validity: () => {
      if (mark.validFrom !== null && date < mark.validFrom) return { rule: 'valid_from', validFrom: mark.validFrom };
      if (mark.validTo !== null && date > mark.validTo) return { rule: 'valid_to', validTo: mark.validTo };
      return null;
    },
    claimable: () => {
      if (!SCHEME_DEFINITIONS[mark.scheme].claimable) return { rule: 'not_claimable' };
      return mark.scheme === 'organic' && input.underConversion ? { rule: 'under_conversion' } : null;
    },
    authorisation: () => {
      if (mark.holderOrganizationId !== null && mark.holderOrganizationId === input.organizationId) return null;
      licence = coveringLicence(input.licences, date);
      if (!licence) return { rule: 'holder_or_licence' };
      return licence.status === 'revoked' ? { rule: 'licence_revoked', revokedOn: licence.revokedOn } : null;
    },
    scope: () => {
      const outside = scopeProblem(mark.scope, input.product, input.site);
      return outside ? { rule: outside } : null;
    },
    quota: () => (mark.yearlyQuota ? quotaProblem(mark.yearlyQuota, input.claimedInYear.mark, input, 'mark') : null)
      ?? (licence?.yearlyQuota ? quotaProblem(licence.yearlyQuota, input.claimedInYear.byLicence[licence.id] ?? ZERO, input, 'licence') : null),
  };
  for (const step of steps) {
    const problem = check[step]();
    if (problem) return { ok: false, problem };
  }
  return { ok: true, licenceId: licence?.id ?? null };
}

export type MarkClaimVerdict =
  | { ok: true; licenceId: string | null }
  | { ok: false; reason: MarkRefusalReason; message: string; details: Record<string, unknown> };

/** A problem in the quality marks' words: MARK_* code, message, details naming the rule. */
export function markRefusal(problem: ClaimProblem, input: Pick<MarkClaimInput, 'mark' | 'date' | 'quantity'>): Extract<MarkClaimVerdict, { ok: false }> {
  const scheme = SCHEME_DEFINITIONS[input.mark.scheme];
  const refuse = (reason: MarkRefusalReason, message: string, details: Record<string, unknown> = {}) => ({ ok: false as const, reason, message, details });
  const { date } = input;
  switch (problem.rule) {
    case 'mark_revoked':
      return refuse('MARK_REVOKED', `This ${scheme.name} mark was revoked on ${problem.revokedOn ?? '?'}; batches can no longer claim it`, { rule: 'mark_revoked', revokedOn: problem.revokedOn });
    case 'valid_from':
      return refuse('MARK_NOT_YET_VALID', `The certificate is valid from ${problem.validFrom}, after ${date}`, { rule: 'valid_from', validFrom: problem.validFrom, date });
    case 'valid_to':
      return refuse('MARK_EXPIRED', `The certificate expired after ${problem.validTo}, before ${date}`, { rule: 'valid_to', validTo: problem.validTo, date });
    case 'not_claimable':
      return refuse('MARK_CONVERSION_PERIOD', 'Produce of the conversion period (转换期) is sold as conventional: it carries no organic mark', { rule: 'not_claimable' });
    case 'under_conversion':
      return refuse('MARK_CONVERSION_PERIOD', 'This product and site are under a conversion-period (转换期) certificate on that date: they may not claim 有机', { rule: 'under_conversion' });
    case 'holder_or_licence':
      return refuse('MARK_NOT_AUTHORISED', `The producer is neither the holder nor a licensed user of this mark on ${date}`, { rule: 'holder_or_licence', date });
    case 'licence_revoked':
      return refuse('MARK_REVOKED', `The producer's licence was revoked on ${problem.revokedOn ?? '?'}`, { rule: 'licence_revoked', revokedOn: problem.revokedOn });
    case 'product': case 'site': case 'region': case 'bounding_box': {
      const what = { product: 'The product', site: 'The production site', region: "The production site's region", bounding_box: "The production site's location" }[problem.rule];
      return refuse('MARK_OUTSIDE_SCOPE', `${what} is not covered by this ${scheme.name} certificate`, { rule: problem.rule });
    }
    case 'comparable_unit':
      return refuse('MARK_QUOTA_UNIT_MISMATCH', `The ${problem.quotaOf}'s yearly quota is counted in ${problem.quota.unit}; a batch in ${input.quantity.unit} cannot be counted against it`, {
        rule: 'comparable_unit', quotaOf: problem.quotaOf, quotaUnit: problem.quota.unit, unit: input.quantity.unit,
      });
    case 'yearly_quota':
      return refuse('MARK_QUOTA_EXCEEDED', `This batch would take the ${date.slice(0, 4)} claims over the ${problem.quotaOf}'s yearly quota`, {
        rule: 'yearly_quota', quotaOf: problem.quotaOf, year: problem.year, quota: problem.quota, claimed: problem.claimed, remaining: problem.remaining,
      });
  }
}

/**
 * Whether a batch may carry a quality mark (DOMAIN.md §9): the shared judgement in the quality
 * marks' order, worded with the MARK_* codes.
 */
export function checkMarkClaim(input: MarkClaimInput): MarkClaimVerdict {
  const outcome = judgeClaim(input, MARK_CLAIM_STEPS);
  return outcome.ok ? outcome : markRefusal(outcome.problem, input);
}

/** The state a consumer sees for a mark on a day: 有效, 已过期 or 已撤销. */
export function markState(mark: Pick<ClaimMark, 'status' | 'validTo'>, today: string): 'valid' | 'expired' | 'revoked' {
  if (mark.status === 'revoked') return 'revoked';
  return mark.validTo !== null && mark.validTo < today ? 'expired' : 'valid';
}

export const MARK_STATE_NAMES = { valid: '有效', expired: '已过期', revoked: '已撤销' } as const;
