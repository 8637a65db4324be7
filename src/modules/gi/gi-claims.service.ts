import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { ClaimTables, judgeAndRecordClaims, keepRefusal, toClaimLicence } from '../marks';
import { ZERO } from '../../../libs/decimal';
import type { Quantity } from '../../../libs/quantity';
import { GI_CLAIM_STEPS } from '../marks/domain';
import { ClaimAuthorisation, giClaimInput, giRefusal, GI_REFUSAL_REASONS } from './domain/gi-claim-rules';
import { GiAuthorisation } from './gi-authorisation.entity';
import { GiClaim } from './gi-claim.entity';
import { GiClaimRefusal } from './gi-claim-refusal.entity';
import type { GiRecord } from './gi-record.entity';

interface GiRow {
  id: string;
  status: GiRecord['status'];
  area_codes: string[];
  bounding_box: GiRecord['boundingBox'];
  announced_on: string | null;
}

/** The GI registry's tables in the marks claim ledger: a GI is the scheme `gi` of the one claim engine. */
const GI_TABLES: ClaimTables = {
  licences: { table: 'gi_authorisations', record: 'gi_id' },
  claims: { table: 'gi_claims', record: 'gi_id', licence: 'authorisation_id', date: 'produced_on', scheme: null, entity: GiClaim },
};

/** What the batches feature tells us about a batch that names a GI. */
export interface GiClaimRequest {
  giId: string;
  batchId: string;
  organizationId: string;
  producedOn: string;
  quantity: Quantity;
  site: { regionCode: string; location: { lat: number; lng: number } | null };
}

export const toClaimAuthorisation = (a: GiAuthorisation): ClaimAuthorisation => toClaimLicence(a);

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
   * Checks the claim and records it, in the caller's transaction, through the marks claim ledger:
   * the GI is locked FOR SHARE (a concurrent revocation waits for this claim, and a later claim sees
   * it; a GI has no quota of its own, so claims by different producers do not wait for each other),
   * then the ledger locks the producer's authorisations FOR UPDATE — claims against one quota, and
   * revocations or quota changes of the authorisation, are serialised — reads the year's sum after
   * the lock, judges and inserts.
   */
  async claim(manager: EntityManager, request: GiClaimRequest): Promise<void> {
    if (!isUuid(request.giId)) throw new DomainError('NOT_FOUND', 'Geographical indication not found', { field: 'giId' });
    const [gi] = await manager.query(
      `SELECT id, status, area_codes, bounding_box, to_char(announced_on, 'YYYY-MM-DD') AS announced_on FROM gi_records WHERE id = $1 FOR SHARE`,
      [request.giId],
    ) as GiRow[];
    if (!gi) throw new DomainError('NOT_FOUND', 'Geographical indication not found', { field: 'giId' });
    const facts = { gi: { status: gi.status, areaCodes: gi.area_codes, boundingBox: gi.bounding_box, announcedOn: gi.announced_on }, ...request };
    const { mark } = giClaimInput({ ...facts, authorisations: [], claimedInYear: ZERO }, { id: gi.id });
    await judgeAndRecordClaims(manager, GI_TABLES, [mark], {
      batchId: request.batchId, organizationId: request.organizationId, date: request.producedOn, quantity: request.quantity,
      product: { id: '', name: '', categoryPath: '' }, site: { id: '', regionCode: request.site.regionCode, location: request.site.location },
    }, {
      steps: GI_CLAIM_STEPS,
      refuse: (problem) => {
        const verdict = giRefusal(problem, facts);
        return new DomainError(verdict.reason, verdict.message, verdict.details);
      },
    });
  }

  /** Records a refused claim for the usage report when `error` is a GI refusal; anything else is ignored. */
  async recordRefusal(error: unknown, request: Omit<GiClaimRequest, 'batchId'>): Promise<void> {
    if (!(error instanceof DomainError) || !(GI_REFUSAL_REASONS as readonly string[]).includes(error.code)) return;
    await keepRefusal(this.logger, this.refusals, {
      giId: request.giId,
      organizationId: request.organizationId,
      regionCode: request.site.regionCode,
      producedOn: request.producedOn,
      reason: error.code,
      quantityValue: request.quantity.value,
      quantityUnit: request.quantity.unit,
      details: { ...error.details } as never,
    });
  }
}
