import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import type { Quantity } from '../../../libs/quantity';
import { isUuid } from '../../common/ids';
import { ClaimTables, judgeAndRecordClaims, keepRefusal, quotaOf, toClaimLicence } from './claim-ledger';
import { ClaimMark, MARK_CLAIM_STEPS, MARK_REFUSAL_REASONS, markRefusal, scopeProblem } from './domain/claim-engine';
import { SCHEME_DEFINITIONS } from './domain/mark-schemes';
import { MarkClaimRefusal } from './mark-claim-refusal.entity';
import { MarkClaim } from './mark-claim.entity';
import { MarkRecord } from './mark-record.entity';

/** What the batches feature tells us about a new batch that claims marks. */
export interface MarkClaimRequest {
  markIds: string[];
  batchId: string;
  organizationId: string;
  /** The day each mark must be valid on. */
  date: string;
  quantity: Quantity;
  product: { id: string; name: string; categoryPath: string };
  site: { id: string; regionCode: string };
}

export { quotaOf, toClaimLicence };

export function toClaimMark(m: MarkRecord): ClaimMark {
  return {
    id: m.id, scheme: m.scheme, status: m.status, revokedOn: m.revokedOn, validFrom: m.validFrom, validTo: m.validTo,
    scope: { productIds: m.productIds, productNames: m.productNames, categoryPaths: m.categoryPaths, siteIds: m.siteIds, areaCodes: m.areaCodes },
    holderOrganizationId: m.holderOrganizationId, yearlyQuota: quotaOf(m.quotaValue, m.quotaUnit),
  };
}

/** The quality marks' tables in the shared claim ledger. */
const MARK_TABLES: ClaimTables = {
  licences: { table: 'mark_licences', record: 'mark_id' },
  claims: { table: 'mark_claims', record: 'mark_id', licence: 'licence_id', date: 'claimed_on', scheme: 'scheme', entity: MarkClaim },
};

/**
 * Mark claims on batch creation, for every scheme. BatchesService calls `claim` with its
 * transaction's manager, so the batch and its claims commit together or not at all; a refused
 * claim is kept afterwards with `recordRefusal`, outside the failed transaction.
 */
@Injectable()
export class MarkClaimsService {
  private readonly logger = new Logger('MarkClaims');

  constructor(@InjectRepository(MarkClaimRefusal) private readonly refusals: Repository<MarkClaimRefusal>) {}

  /**
   * Checks every claimed mark and records the claims, in the caller's transaction. The marks are
   * locked FOR UPDATE in id order: claims on one mark (and its revocation) are serialised, so the
   * year's sums read after the lock include every claim committed before — the quota holds under
   * concurrency — and two batches claiming the same marks cannot deadlock.
   */
  async claim(m: EntityManager, request: MarkClaimRequest): Promise<void> {
    const ids = request.markIds.map((id, i) => {
      if (!isUuid(id)) throw new DomainError('NOT_FOUND', 'Mark not found', { field: `marks[${i}].markId` });
      return id.toLowerCase();
    });
    const unique = [...new Set(ids)].sort();
    if (unique.length !== ids.length) {
      throw new DomainError('VALIDATION_FAILED', 'Each mark may be claimed once per batch', { field: 'marks', rule: 'unique' });
    }
    const marks = await m.createQueryBuilder(MarkRecord, 'r').where('r.id = ANY(:ids)', { ids: unique }).orderBy('r.id').setLock('pessimistic_write').getMany();
    const byId = new Map(marks.map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      if (!byId.has(id)) throw new DomainError('NOT_FOUND', 'Mark not found', { field: `marks[${i}].markId` });
    });
    const underConversion = marks.some((r) => r.scheme === 'organic') && await this.underConversion(m, request);
    await judgeAndRecordClaims(m, MARK_TABLES, ids.map((id) => toClaimMark(byId.get(id)!)), request, {
      steps: MARK_CLAIM_STEPS,
      underConversion,
      licensable: (mark) => SCHEME_DEFINITIONS[mark.scheme].licensable,
      refuse: (problem, mark, i) => {
        const verdict = markRefusal(problem, { mark, date: request.date, quantity: request.quantity });
        const record = byId.get(mark.id)!;
        return new DomainError(verdict.reason, verdict.message, {
          field: `marks[${i}].markId`, ...verdict.details, markId: mark.id, scheme: record.scheme, number: record.number,
        });
      },
    });
  }

  /** Whether a conversion-period certificate of the producer covers this product and site on the date. */
  private async underConversion(m: EntityManager, request: MarkClaimRequest): Promise<boolean> {
    const conversions = await m.createQueryBuilder(MarkRecord, 'r')
      .where("r.scheme = 'organic_conversion' AND r.holder_organization_id = :org AND r.status = 'active'", { org: request.organizationId })
      .andWhere('r.valid_from <= :d AND (r.valid_to IS NULL OR r.valid_to >= :d)', { d: request.date })
      .getMany();
    return conversions.some((c) => scopeProblem(toClaimMark(c).scope, request.product, request.site) === null);
  }

  /** Keeps a refused claim (possible misuse) when `error` is a mark refusal; anything else is ignored. */
  async recordRefusal(error: unknown, request: Omit<MarkClaimRequest, 'batchId'>): Promise<void> {
    if (!(error instanceof DomainError) || !(MARK_REFUSAL_REASONS as readonly string[]).includes(error.code)) return;
    const details = { ...error.details } as Record<string, unknown>;
    if (typeof details.markId !== 'string' || typeof details.scheme !== 'string') return;
    await keepRefusal(this.logger, this.refusals, {
      markId: details.markId, scheme: details.scheme, organizationId: request.organizationId, regionCode: request.site.regionCode,
      claimedOn: request.date, reason: error.code, quantityValue: request.quantity.value, quantityUnit: request.quantity.unit,
      details: details as never,
    });
  }
}
