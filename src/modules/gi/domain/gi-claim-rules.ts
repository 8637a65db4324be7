import { type Decimal, ZERO } from '../../../../libs/decimal';
import { amountOf, baseQuantity, type Quantity } from '../../../../libs/quantity';
import { BoundingBox, dayBefore, GiStatus, isInBoundingBox, isInProtectedArea } from './gi-record-rules';

/** Why a batch may not name a GI. Each is also the error code the API answers with. */
export const GI_REFUSAL_REASONS = [
  'GI_REVOKED',
  'GI_NOT_YET_REGISTERED',
  'GI_OUTSIDE_AREA',
  'GI_NOT_AUTHORISED',
  'GI_AUTHORISATION_REVOKED',
  'GI_QUOTA_UNIT_MISMATCH',
  'GI_QUOTA_EXCEEDED',
] as const;
export type GiRefusalReason = (typeof GI_REFUSAL_REASONS)[number];

export interface ClaimGi {
  status: GiStatus;
  areaCodes: string[];
  boundingBox: BoundingBox | null;
  /** Announcement date; a batch produced before it cannot carry the GI. */
  announcedOn: string | null;
}

export interface ClaimAuthorisation {
  id: string;
  validFrom: string;
  validTo: string | null;
  status: 'active' | 'revoked';
  revokedOn: string | null;
  yearlyQuota: Quantity | null;
}

export interface ClaimInput {
  gi: ClaimGi;
  producedOn: string;
  site: { regionCode: string; location: { lat: number; lng: number } | null };
  quantity: Quantity;
  /** The producer's authorisations for this GI (any period, any status). */
  authorisations: ClaimAuthorisation[];
  /** What the chosen authorisation already carries in the production year, in its quota's base unit (kg, or the counted unit). */
  claimedInYear: Decimal;
}

export type ClaimVerdict =
  | { ok: true; authorisationId: string }
  | { ok: false; reason: GiRefusalReason; message: string; details: Record<string, unknown> };

const refuse = (reason: GiRefusalReason, message: string, details: Record<string, unknown> = {}): ClaimVerdict =>
  ({ ok: false, reason, message, details: { field: 'giId', ...details } });

const covers = (a: ClaimAuthorisation, date: string) => a.validFrom <= date && (a.validTo === null || date <= a.validTo);

/**
 * The authorisation a claim on `date` rests on: an active one whose period covers the date, else a
 * revoked one that covered it (so the refusal can say "revoked"), else none.
 */
function coveringAuthorisation(authorisations: ClaimAuthorisation[], date: string): ClaimAuthorisation | undefined {
  return authorisations.find((a) => a.status === 'active' && covers(a, date)) ?? authorisations.find((a) => covers(a, date));
}

/**
 * Whether a batch may name a GI (DOMAIN.md §4): the GI is active and was registered by the production
 * date, the site lies in the protected area (and in its bounding box when both have one), the
 * producer is an authorised user on the production date, and the year's claims stay within the quota.
 * New claims stop once the GI or the authorisation is revoked; claims made before stay.
 */
export function checkClaim(input: ClaimInput): ClaimVerdict {
  const { gi, producedOn, site } = input;
  if (gi.status === 'revoked') return refuse('GI_REVOKED', 'This geographical indication has been revoked; batches can no longer claim it');
  if (gi.announcedOn && producedOn < gi.announcedOn) {
    return refuse('GI_NOT_YET_REGISTERED', `The GI was announced on ${gi.announcedOn}, after the production date ${producedOn}`, { announcedOn: gi.announcedOn });
  }
  if (!isInProtectedArea(gi.areaCodes, site.regionCode)) {
    return refuse('GI_OUTSIDE_AREA', `The production site (${site.regionCode}) lies outside the GI's protected area`, {
      rule: 'region', siteRegionCode: site.regionCode, areaCodes: gi.areaCodes,
    });
  }
  if (gi.boundingBox && site.location && !isInBoundingBox(gi.boundingBox, site.location)) {
    return refuse('GI_OUTSIDE_AREA', "The production site's location lies outside the GI's bounding box", {
      rule: 'bounding_box', location: site.location, boundingBox: gi.boundingBox,
    });
  }
  const authorisation = coveringAuthorisation(input.authorisations, producedOn);
  if (!authorisation) {
    return refuse('GI_NOT_AUTHORISED', `The producer is not an authorised user of this GI on ${producedOn}`, { producedOn });
  }
  if (authorisation.status === 'revoked') {
    return refuse('GI_AUTHORISATION_REVOKED', `The producer's authorisation was revoked on ${authorisation.revokedOn ?? '?'}`, {
      revokedOn: authorisation.revokedOn,
    });
  }
  if (authorisation.yearlyQuota) {
    const quota = amountOf(authorisation.yearlyQuota);
    const wanted = amountOf(input.quantity);
    if (quota.dimension !== wanted.dimension) {
      return refuse('GI_QUOTA_UNIT_MISMATCH', `The quota is counted in ${authorisation.yearlyQuota.unit}; a batch in ${input.quantity.unit} cannot be counted against it`, {
        quotaUnit: authorisation.yearlyQuota.unit, unit: input.quantity.unit,
      });
    }
    if (input.claimedInYear.plus(wanted.value).gt(quota.value)) {
      const remaining = quota.value.minus(input.claimedInYear);
      const inBase = (value: Decimal) => baseQuantity({ dimension: quota.dimension, value });
      return refuse('GI_QUOTA_EXCEEDED', `This batch would take the ${producedOn.slice(0, 4)} claims over the yearly quota`, {
        year: Number(producedOn.slice(0, 4)),
        quota: inBase(quota.value),
        claimed: inBase(input.claimedInYear),
        remaining: inBase(remaining.gt(ZERO) ? remaining : ZERO),
      });
    }
  }
  return { ok: true, authorisationId: authorisation.id };
}

/** The last day an authorisation can be relied on: its end date, or the day before its revocation. */
export function effectiveEnd(a: Pick<ClaimAuthorisation, 'validTo' | 'status' | 'revokedOn'>): string | null {
  if (a.status === 'revoked' && a.revokedOn) {
    const lastDay = dayBefore(a.revokedOn);
    return a.validTo === null || lastDay < a.validTo ? lastDay : a.validTo;
  }
  return a.validTo;
}

/** Two periods (open end = null) share at least one day. */
export function periodsOverlap(a: { from: string; to: string | null }, b: { from: string; to: string | null }): boolean {
  return (a.to === null || b.from <= a.to) && (b.to === null || a.from <= b.to);
}
