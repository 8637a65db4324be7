import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { auditedQuery } from '../audit';
import { decimal, formatDecimal, ZERO } from '../../../libs/decimal';
import { amountOf, baseQuantity, type Quantity } from '../../../libs/quantity';
import { checkClaim, ClaimAuthorisation, GI_REFUSAL_REASONS } from './domain/gi-claim-rules';
import { GiAuthorisation } from './gi-authorisation.entity';
import { GiClaim } from './gi-claim.entity';
import { GiClaimRefusal } from './gi-claim-refusal.entity';
import { GiRecord } from './gi-record.entity';

interface ClaimRow {
  gi_id: string;
  gi_status: GiRecord['status'];
  area_codes: string[];
  bounding_box: GiRecord['boundingBox'];
  announced_on: string | null;
  id: string | null;
}

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
    yearlyQuota: a.quotaValue !== null && a.quotaUnit !== null ? { value: formatDecimal(a.quotaValue), unit: a.quotaUnit as Quantity['unit'] } : null,
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
   * Checks the claim and records it, in the caller's transaction. On the accepted path that is two
   * statements: the GI with the producer's authorisations (locked), and the insert, which re-checks
   * the year's quota in SQL after the lock.
   */
  async claim(manager: EntityManager, request: GiClaimRequest): Promise<void> {
    if (!isUuid(request.giId)) throw new DomainError('NOT_FOUND', 'Geographical indication not found', { field: 'giId' });
    // FOR SHARE OF g: a concurrent revocation of the GI waits for this claim, and a later claim sees it.
    // FOR UPDATE OF a: the producer's claims on this GI (and revocations or quota changes of its
    // authorisations) are serialised; the rows come back as last committed.
    let rows = await manager.query(
      `SELECT g.id AS gi_id, g.status AS gi_status, g.area_codes, g.bounding_box, to_char(g.announced_on, 'YYYY-MM-DD') AS announced_on,
              a.id, to_char(a.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(a.valid_to, 'YYYY-MM-DD') AS "validTo",
              a.quota_value::text AS "quotaValue", a.quota_unit AS "quotaUnit", a.status, to_char(a.revoked_on, 'YYYY-MM-DD') AS "revokedOn"
         FROM gi_records g JOIN gi_authorisations a ON a.gi_id = g.id AND a.organization_id = $2
        WHERE g.id = $1 ORDER BY a.valid_from FOR SHARE OF g FOR UPDATE OF a`,
      [request.giId, request.organizationId],
    ) as ClaimRow[];
    if (rows.length === 0) {
      // No authorisation at all (a refusal follows): the GI alone, for the other rules' messages.
      rows = await manager.query(
        `SELECT id AS gi_id, status AS gi_status, area_codes, bounding_box, to_char(announced_on, 'YYYY-MM-DD') AS announced_on, NULL AS id
           FROM gi_records WHERE id = $1 FOR SHARE`, [request.giId],
      ) as ClaimRow[];
      if (rows.length === 0) throw new DomainError('NOT_FOUND', 'Geographical indication not found', { field: 'giId' });
    }
    const gi = rows[0];
    const authorisations = rows.filter((r) => r.id !== null).map((r) => toClaimAuthorisation(r as unknown as GiAuthorisation));
    const year = Number(request.producedOn.slice(0, 4));
    const input = {
      gi: { status: gi.gi_status, areaCodes: gi.area_codes, boundingBox: gi.bounding_box, announcedOn: gi.announced_on },
      producedOn: request.producedOn,
      site: request.site,
      quantity: request.quantity,
      authorisations,
      claimedInYear: ZERO,
    };
    const verdict = checkClaim(input);
    if (!verdict.ok) throw new DomainError(verdict.reason, verdict.message, verdict.details);
    const quota = authorisations.find((a) => a.id === verdict.authorisationId)!.yearlyQuota;
    const base = baseQuantity(amountOf(request.quantity));
    const params = [request.batchId, gi.gi_id, verdict.authorisationId, request.organizationId, request.site.regionCode, request.producedOn, year,
      request.quantity.value, request.quantity.unit, base.value, base.unit];
    const insert = `INSERT INTO gi_claims (batch_id, gi_id, authorisation_id, organization_id, region_code, produced_on, year,
                              quantity_value, quantity_unit, base_amount, base_unit)`;
    if (!quota) {
      await auditedQuery(manager, `${insert} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, params, { target: GiClaim, verb: 'insert' });
      return;
    }
    // This statement starts after the lock above was granted, so its sum includes every claim
    // committed by whoever held the lock before.
    const inserted = await auditedQuery(manager,
      `${insert} SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::char(6), $6::date, $7::smallint, $8::numeric, $9::varchar, $10::numeric, $11::varchar
        WHERE (SELECT COALESCE(SUM(base_amount), 0) FROM gi_claims WHERE authorisation_id = $3::uuid AND year = $7::smallint AND base_unit = $11::varchar) + $10::numeric <= $12::numeric
       RETURNING id`,
      [...params, baseQuantity(amountOf(quota)).value], { target: GiClaim, verb: 'insert' });
    if (inserted.length === 1) return;
    const [row] = await manager.query(
      'SELECT COALESCE(SUM(base_amount), 0)::text AS sum FROM gi_claims WHERE authorisation_id = $1 AND year = $2 AND base_unit = $3',
      [verdict.authorisationId, year, base.unit],
    ) as { sum: string }[];
    const refusal = checkClaim({ ...input, claimedInYear: decimal(row.sum) });
    if (!refusal.ok) throw new DomainError(refusal.reason, refusal.message, refusal.details);
    throw new DomainError('GI_QUOTA_EXCEEDED', 'This batch would take the year over the yearly quota', { field: 'giId' });
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
