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
import { GiClaim } from './gi-claim.entity';
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

  async claim(manager: EntityManager, request: GiClaimRequest): Promise<void> {
    // FOR SHARE: a concurrent revocation waits for this claim (and the claim sees a committed revocation).
    const gi = isUuid(request.giId)
      ? await manager.createQueryBuilder(GiRecord, 'g').setLock('pessimistic_read').where('g.id = :id', { id: request.giId }).getOne()
      : null;
    if (!gi) throw new DomainError('NOT_FOUND', 'Geographical indication not found', { field: 'giId' });
    let authorisations = (await manager.findBy(GiAuthorisation, { giId: gi.id, organizationId: request.organizationId })).map(toClaimAuthorisation);
    const covering = coveringAuthorisation(authorisations, request.producedOn);
    const year = Number(request.producedOn.slice(0, 4));
    let claimedInYear = 0n;
    if (covering?.status === 'active') {
      // The row lock serialises claims against one authorisation (and against its revocation or a
      // quota change): two concurrent batches cannot both fit into the last part of a quota. Reads
      // after the lock see what the previous holder committed.
      await manager.query('SELECT 1 FROM gi_authorisations WHERE id = $1 FOR UPDATE', [covering.id]);
      const current = toClaimAuthorisation(await manager.findOneByOrFail(GiAuthorisation, { id: covering.id }));
      authorisations = authorisations.map((a) => (a.id === current.id ? current : a));
      if (current.yearlyQuota) {
        const [row] = await manager.query(
          'SELECT COALESCE(SUM(base_amount), 0)::text AS sum FROM gi_claims WHERE authorisation_id = $1 AND year = $2 AND base_unit = $3',
          [current.id, year, toBase(current.yearlyQuota).unit],
        ) as { sum: string }[];
        claimedInYear = microFromDecimal(row.sum);
      }
    }
    const verdict = checkClaim({
      gi: { status: gi.status, areaCodes: gi.areaCodes, boundingBox: gi.boundingBox, announcedOn: gi.announcedOn },
      producedOn: request.producedOn,
      site: request.site,
      quantity: request.quantity,
      authorisations,
      claimedInYear,
    });
    if (!verdict.ok) throw new DomainError(verdict.reason, verdict.message, verdict.details);
    const base = toBase(request.quantity);
    await manager.insert(GiClaim, {
      batchId: request.batchId,
      giId: gi.id,
      authorisationId: verdict.authorisationId,
      organizationId: request.organizationId,
      regionCode: request.site.regionCode,
      producedOn: request.producedOn,
      year,
      quantityValue: request.quantity.value,
      quantityUnit: request.quantity.unit,
      baseAmount: decimalFromMicro(base.micro),
      baseUnit: base.unit,
    });
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
