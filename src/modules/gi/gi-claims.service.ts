import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import type { Quantity } from '../batches/domain/quantity';
import { checkClaim, ClaimAuthorisation, coveringAuthorisation, GI_REFUSAL_REASONS } from './domain/gi-claim-rules';
import { decimalFromMicro, microFromDecimal, toBase } from './domain/gi-quantity';
import { GiAuthorisation } from './gi-authorisation.entity';
import { GiClaimRefusal } from './gi-claim-refusal.entity';
import { GiRecord } from './gi-record.entity';

/** What the batches feature tells us about a batch that names a GI. */
export interface GiClaimRequest {
  giId: string;
  batchId: string;
  organizationId: string;
  producedOn: string;
  quantity: Quantity;
  site: { regionCode: string; location: { lat: number; lng: number } | null };
}

export function toClaimAuthorisation(a: GiAuthorisation): ClaimAuthorisation {
  return {
    id: a.id,
    validFrom: a.validFrom,
    validTo: a.validTo,
    status: a.status,
    revokedOn: a.revokedOn,
    yearlyQuota: a.quotaValue !== null && a.quotaUnit !== null ? { value: decimalFromMicro(microFromDecimal(a.quotaValue)), unit: a.quotaUnit as Quantity['unit'] } : null,
  };
}

/**
 * GI claims on batch creation. BatchesService calls `claim` with its transaction's manager, so
 * the batch and its claim commit together or not at all; a refused claim is recorded afterwards
 * with `recordRefusal`, outside the failed transaction.
 */
@Injectable()
export class GiClaimsService {
  private readonly logger = new Logger('GiClaims');

  constructor(@InjectRepository(GiClaimRefusal) private readonly refusals: Repository<GiClaimRefusal>) {}

  /**
   * Checks the claim and records it, in the caller's transaction: four statements (GI, the
   * producer's authorisations, the year's sum when there is a quota, the insert).
   */
  async claim(manager: EntityManager, request: GiClaimRequest): Promise<void> {
    // FOR SHARE: a concurrent revocation of the GI waits for this claim, and a claim after it sees it.
    const [gi] = isUuid(request.giId) ? await manager.query(
      `SELECT id, status, area_codes, bounding_box, to_char(announced_on, 'YYYY-MM-DD') AS announced_on
         FROM gi_records WHERE id = $1 FOR SHARE`, [request.giId],
    ) as { id: string; status: GiRecord['status']; area_codes: string[]; bounding_box: GiRecord['boundingBox']; announced_on: string | null }[] : [];
    if (!gi) throw new DomainError('NOT_FOUND', 'Geographical indication not found', { field: 'giId' });
    // FOR UPDATE on the producer's authorisations of this GI serialises its claims (and revocations
    // or quota changes): two concurrent batches cannot both fit into the last part of a quota. The
    // locked rows come back as last committed, and the sum below runs after the lock, so it sees
    // the claims of whoever held it before.
    const rows = await manager.query(
      `SELECT id, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo",
              quota_value::text AS "quotaValue", quota_unit AS "quotaUnit", status, to_char(revoked_on, 'YYYY-MM-DD') AS "revokedOn"
         FROM gi_authorisations WHERE gi_id = $1 AND organization_id = $2 ORDER BY valid_from FOR UPDATE`,
      [gi.id, request.organizationId],
    ) as GiAuthorisation[];
    const authorisations = rows.map(toClaimAuthorisation);
    const covering = coveringAuthorisation(authorisations, request.producedOn);
    const year = Number(request.producedOn.slice(0, 4));
    let claimedInYear = 0n;
    if (covering?.status === 'active' && covering.yearlyQuota) {
      const [row] = await manager.query(
        'SELECT COALESCE(SUM(base_amount), 0)::text AS sum FROM gi_claims WHERE authorisation_id = $1 AND year = $2 AND base_unit = $3',
        [covering.id, year, toBase(covering.yearlyQuota).unit],
      ) as { sum: string }[];
      claimedInYear = microFromDecimal(row.sum);
    }
    const verdict = checkClaim({
      gi: { status: gi.status, areaCodes: gi.area_codes, boundingBox: gi.bounding_box, announcedOn: gi.announced_on },
      producedOn: request.producedOn,
      site: request.site,
      quantity: request.quantity,
      authorisations,
      claimedInYear,
    });
    if (!verdict.ok) throw new DomainError(verdict.reason, verdict.message, verdict.details);
    const base = toBase(request.quantity);
    await manager.query(
      `INSERT INTO gi_claims (batch_id, gi_id, authorisation_id, organization_id, region_code, produced_on, year,
                              quantity_value, quantity_unit, base_amount, base_unit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [request.batchId, gi.id, verdict.authorisationId, request.organizationId, request.site.regionCode, request.producedOn, year,
        request.quantity.value, request.quantity.unit, decimalFromMicro(base.micro), base.unit],
    );
  }

  /** Records a refused claim for the usage report when `error` is a GI refusal; anything else is ignored. */
  async recordRefusal(error: unknown, request: Omit<GiClaimRequest, 'batchId'>): Promise<void> {
    if (!(error instanceof DomainError) || !(GI_REFUSAL_REASONS as readonly string[]).includes(error.code)) return;
    try {
      await this.refusals.insert({
        giId: request.giId,
        organizationId: request.organizationId,
        regionCode: request.site.regionCode,
        producedOn: request.producedOn,
        reason: error.code,
        quantityValue: request.quantity.value,
        quantityUnit: request.quantity.unit,
        details: { ...error.details } as never,
      });
    } catch (recordError) {
      // The caller answers with the refusal either way; a lost report row must not turn it into a 500.
      this.logger.error({ msg: 'could not record a refused GI claim', err: String(recordError) });
    }
  }
}
