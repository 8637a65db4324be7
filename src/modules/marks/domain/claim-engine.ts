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

/** What a mark covers: products (by id, name or category subtree) and sites (by id, or by region). */
export interface MarkScope {
  productIds: string[];
  productNames: string[];
  categoryPaths: string[];
  /** Certified sites/bases; empty: any site (within areaCodes). */
  siteIds: string[];
  /** Regions (GB/T 2260; a prefecture covers its counties); empty: anywhere. */
  areaCodes: string[];
}

export interface ClaimMark {
  id: string;
  scheme: MarkScheme;
  status: 'active' | 'revoked';
  revokedOn: string | null;
  validFrom: string;
  /** Last valid day; null = open-ended (brands). */
  validTo: string | null;
  scope: MarkScope;
  /** The holder on the platform; it uses its own mark without a licence. */
  holderOrganizationId: string | null;
  yearlyQuota: Quantity | null;
}

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
  site: { id: string; regionCode: string };
  quantity: Quantity;
  /** The producer's licences for this mark (any period, any status). */
  licences: ClaimLicence[];
  /** Already claimed in the date's year, in base units (kg or the counted unit): on the mark, and per licence id. */
  claimedInYear: { mark: Decimal; byLicence: Record<string, Decimal> };
  /** A conversion-period (转换期) certificate of the producer covers this product and site on the date. */
  underConversion: boolean;
}

export type MarkClaimVerdict =
  | { ok: true; licenceId: string | null }
  | { ok: false; reason: MarkRefusalReason; message: string; details: Record<string, unknown> };

const refuse = (reason: MarkRefusalReason, message: string, details: Record<string, unknown> = {}): MarkClaimVerdict =>
  ({ ok: false, reason, message, details });

const covers = (a: { validFrom: string; validTo: string | null }, date: string) => a.validFrom <= date && (a.validTo === null || date <= a.validTo);

/** Which part of the scope a product or site falls outside, if any. */
export function scopeProblem(scope: MarkScope, product: MarkClaimInput['product'], site: MarkClaimInput['site']): 'product' | 'site' | 'region' | null {
  const productCovered = scope.productIds.includes(product.id) || scope.productNames.includes(product.name)
    || scope.categoryPaths.some((p) => product.categoryPath === p || product.categoryPath.startsWith(`${p}>`));
  if (!productCovered) return 'product';
  if (scope.siteIds.length > 0 && !scope.siteIds.includes(site.id)) return 'site';
  if (scope.areaCodes.length > 0 && !scope.areaCodes.some((code) => isWithinRegion(site.regionCode, code))) return 'region';
  return null;
}

function quotaProblem(quota: Quantity, claimed: Decimal, input: MarkClaimInput, on: 'mark' | 'licence'): MarkClaimVerdict | null {
  const limit = amountOf(quota);
  const wanted = amountOf(input.quantity);
  if (limit.dimension !== wanted.dimension) {
    return refuse('MARK_QUOTA_UNIT_MISMATCH', `The ${on}'s yearly quota is counted in ${quota.unit}; a batch in ${input.quantity.unit} cannot be counted against it`, {
      rule: 'comparable_unit', quotaOf: on, quotaUnit: quota.unit, unit: input.quantity.unit,
    });
  }
  if (!claimed.plus(wanted.value).gt(limit.value)) return null;
  const remaining = limit.value.minus(claimed);
  const inBase = (value: Decimal) => baseQuantity({ dimension: limit.dimension, value });
  return refuse('MARK_QUOTA_EXCEEDED', `This batch would take the ${input.date.slice(0, 4)} claims over the ${on}'s yearly quota`, {
    rule: 'yearly_quota', quotaOf: on, year: Number(input.date.slice(0, 4)),
    quota: inBase(limit.value), claimed: inBase(claimed), remaining: inBase(remaining.gt(ZERO) ? remaining : ZERO),
  });
}

/**
 * Whether a batch may carry a mark (DOMAIN.md §9), for every scheme alike; the scheme's data
 * decides what differs. In order: the mark is not revoked, it is valid on the date (from/to
 * inclusive), conversion-period produce never carries 有机, the producer is the holder or holds a
 * licence covering the date (someone else's certificate is misuse, whatever it covers), the
 * product and the site are covered, and the year's claims stay
 * within the mark's and the licence's quotas.
 */
export function checkMarkClaim(input: MarkClaimInput): MarkClaimVerdict {
  const { mark, date } = input;
  const scheme = SCHEME_DEFINITIONS[mark.scheme];
  if (mark.status === 'revoked') {
    return refuse('MARK_REVOKED', `This ${scheme.name} mark was revoked on ${mark.revokedOn ?? '?'}; batches can no longer claim it`, { rule: 'mark_revoked', revokedOn: mark.revokedOn });
  }
  if (date < mark.validFrom) {
    return refuse('MARK_NOT_YET_VALID', `The certificate is valid from ${mark.validFrom}, after ${date}`, { rule: 'valid_from', validFrom: mark.validFrom, date });
  }
  if (mark.validTo !== null && date > mark.validTo) {
    return refuse('MARK_EXPIRED', `The certificate expired after ${mark.validTo}, before ${date}`, { rule: 'valid_to', validTo: mark.validTo, date });
  }
  if (!scheme.claimable) {
    return refuse('MARK_CONVERSION_PERIOD', 'Produce of the conversion period (转换期) is sold as conventional: it carries no organic mark', { rule: 'not_claimable' });
  }
  if (mark.scheme === 'organic' && input.underConversion) {
    return refuse('MARK_CONVERSION_PERIOD', 'This product and site are under a conversion-period (转换期) certificate on that date: they may not claim 有机', { rule: 'under_conversion' });
  }
  let licence: ClaimLicence | undefined;
  if (mark.holderOrganizationId !== input.organizationId) {
    licence = input.licences.find((l) => l.status === 'active' && covers(l, date)) ?? input.licences.find((l) => covers(l, date));
    if (!licence) return refuse('MARK_NOT_AUTHORISED', `The producer is neither the holder nor a licensed user of this mark on ${date}`, { rule: 'holder_or_licence', date });
    if (licence.status === 'revoked') {
      return refuse('MARK_REVOKED', `The producer's licence was revoked on ${licence.revokedOn ?? '?'}`, { rule: 'licence_revoked', revokedOn: licence.revokedOn });
    }
  }
  const outside = scopeProblem(mark.scope, input.product, input.site);
  if (outside) {
    const what = { product: 'The product', site: 'The production site', region: "The production site's region" }[outside];
    return refuse('MARK_OUTSIDE_SCOPE', `${what} is not covered by this ${scheme.name} certificate`, { rule: outside });
  }
  if (mark.yearlyQuota) {
    const problem = quotaProblem(mark.yearlyQuota, input.claimedInYear.mark, input, 'mark');
    if (problem) return problem;
  }
  if (licence?.yearlyQuota) {
    const problem = quotaProblem(licence.yearlyQuota, input.claimedInYear.byLicence[licence.id] ?? ZERO, input, 'licence');
    if (problem) return problem;
  }
  return { ok: true, licenceId: licence?.id ?? null };
}

/** The state a consumer sees for a mark on a day: 有效, 已过期 or 已撤销. */
export function markState(mark: Pick<ClaimMark, 'status' | 'validTo'>, today: string): 'valid' | 'expired' | 'revoked' {
  if (mark.status === 'revoked') return 'revoked';
  return mark.validTo !== null && mark.validTo < today ? 'expired' : 'valid';
}

export const MARK_STATE_NAMES = { valid: '有效', expired: '已过期', revoked: '已撤销' } as const;
