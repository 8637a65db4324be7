import { type Decimal, ZERO } from '../../../../libs/decimal';
import type { Quantity } from '../../../../libs/quantity';
import { ClaimLicence, ClaimProblem, GI_CLAIM_STEPS, judgeClaim, MarkClaimInput } from '../../marks/domain';
import { BoundingBox, GiStatus } from './gi-record-rules';

export { effectiveEnd, periodsOverlap } from '../../marks/domain';

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

/** An authorised user's period and quota: the marks engine's licence. */
export type ClaimAuthorisation = ClaimLicence;

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

/**
 * A GI claim as the marks engine judges it: the GI is a mark of scheme `gi` whose validity starts at
 * its announcement, whose scope is the protected area (and its bounding box) for any product, and
 * which every producer — its holder too — uses under an authorisation.
 */
export function giClaimInput(input: ClaimInput, gi: { id: string } = { id: 'gi' }): MarkClaimInput {
  return {
    mark: {
      id: gi.id, scheme: 'gi', status: input.gi.status, revokedOn: null, validFrom: input.gi.announcedOn, validTo: null,
      scope: { productIds: [], productNames: [], categoryPaths: [], siteIds: [], areaCodes: input.gi.areaCodes, boundingBox: input.gi.boundingBox },
      holderOrganizationId: null, yearlyQuota: null,
    },
    date: input.producedOn,
    organizationId: '',
    product: { id: '', name: '', categoryPath: '' },
    site: { id: '', regionCode: input.site.regionCode, location: input.site.location },
    quantity: input.quantity,
    licences: input.authorisations,
    claimedInYear: { mark: ZERO, byLicence: Object.fromEntries(input.authorisations.map((a) => [a.id, input.claimedInYear])) },
    underConversion: false,
  };
}

/** A problem of the shared engine in the GI's words (GI_* codes, the GI's messages and details). */
export function giRefusal(problem: ClaimProblem, input: Pick<ClaimInput, 'gi' | 'producedOn' | 'site' | 'quantity'>): Extract<ClaimVerdict, { ok: false }> {
  const refuse = (reason: GiRefusalReason, message: string, details: Record<string, unknown> = {}) =>
    ({ ok: false as const, reason, message, details: { field: 'giId', ...details } });
  const { gi, producedOn, site } = input;
  switch (problem.rule) {
    case 'mark_revoked':
      return refuse('GI_REVOKED', 'This geographical indication has been revoked; batches can no longer claim it');
    case 'valid_from':
      return refuse('GI_NOT_YET_REGISTERED', `The GI was announced on ${problem.validFrom}, after the production date ${producedOn}`, { announcedOn: problem.validFrom });
    case 'region':
      return refuse('GI_OUTSIDE_AREA', `The production site (${site.regionCode}) lies outside the GI's protected area`, {
        rule: 'region', siteRegionCode: site.regionCode, areaCodes: gi.areaCodes,
      });
    case 'bounding_box':
      return refuse('GI_OUTSIDE_AREA', "The production site's location lies outside the GI's bounding box", {
        rule: 'bounding_box', location: site.location, boundingBox: gi.boundingBox,
      });
    case 'holder_or_licence':
      return refuse('GI_NOT_AUTHORISED', `The producer is not an authorised user of this GI on ${producedOn}`, { producedOn });
    case 'licence_revoked':
      return refuse('GI_AUTHORISATION_REVOKED', `The producer's authorisation was revoked on ${problem.revokedOn ?? '?'}`, { revokedOn: problem.revokedOn });
    case 'comparable_unit':
      return refuse('GI_QUOTA_UNIT_MISMATCH', `The quota is counted in ${problem.quota.unit}; a batch in ${input.quantity.unit} cannot be counted against it`, {
        quotaUnit: problem.quota.unit, unit: input.quantity.unit,
      });
    case 'yearly_quota':
      return refuse('GI_QUOTA_EXCEEDED', `This batch would take the ${producedOn.slice(0, 4)} claims over the yearly quota`, {
        year: problem.year, quota: problem.quota, claimed: problem.claimed, remaining: problem.remaining,
      });
    case 'valid_to': case 'not_claimable': case 'under_conversion': case 'product': case 'site':
      // A GI has no end date, product list, sites or conversion period, and GI_CLAIM_STEPS has no claimable step.
      throw new Error(`GI claims have no rule ${problem.rule}`);
  }
}

/**
 * Whether a batch may name a GI (DOMAIN.md §4): the marks engine's judgement in the GI's order — the
 * GI is active and was registered by the production date, the site lies in the protected area (and
 * in its bounding box when both have one), the producer is an authorised user on the production
 * date, and the year's claims stay within the quota. New claims stop once the GI or the
 * authorisation is revoked; claims made before stay.
 */
export function checkClaim(input: ClaimInput): ClaimVerdict {
  const outcome = judgeClaim(giClaimInput(input), GI_CLAIM_STEPS);
  if (!outcome.ok) return giRefusal(outcome.problem, input);
  return { ok: true, authorisationId: outcome.licenceId! };
}
