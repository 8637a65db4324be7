import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { decimal, type Decimal, formatDecimal, ZERO } from '../../../libs/decimal';
import { DomainError } from '../../../libs/errors';
import { amountOf, baseQuantity, type Quantity } from '../../../libs/quantity';
import { isUuid } from '../../common/ids';
import { auditedQuery } from '../audit';
import { checkMarkClaim, ClaimLicence, ClaimMark, MARK_REFUSAL_REASONS, scopeProblem } from './domain/claim-engine';
import { MarkClaimRefusal } from './mark-claim-refusal.entity';
import { MarkClaim } from './mark-claim.entity';
import { MarkLicence } from './mark-licence.entity';
import { MarkRecord } from './mark-record.entity';

interface FactRow {
  kind: 'licence' | 'sum';
  mark_id: string;
  licence_id: string | null;
  valid_from: string | null;
  valid_to: string | null;
  status: string | null;
  revoked_on: string | null;
  quota_value: string | null;
  quota_unit: string | null;
  base_unit: string;
  amount: string;
}

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

export const quotaOf = (value: string | null, unit: string | null): Quantity | null =>
  value !== null && unit !== null ? { value: formatDecimal(value), unit: unit as Quantity['unit'] } : null;

export function toClaimMark(m: MarkRecord): ClaimMark {
  return {
    id: m.id, scheme: m.scheme, status: m.status, revokedOn: m.revokedOn, validFrom: m.validFrom, validTo: m.validTo,
    scope: { productIds: m.productIds, productNames: m.productNames, categoryPaths: m.categoryPaths, siteIds: m.siteIds, areaCodes: m.areaCodes },
    holderOrganizationId: m.holderOrganizationId, yearlyQuota: quotaOf(m.quotaValue, m.quotaUnit),
  };
}

export function toClaimLicence(l: MarkLicence): ClaimLicence {
  return { id: l.id, validFrom: l.validFrom, validTo: l.validTo, status: l.status, revokedOn: l.revokedOn, yearlyQuota: quotaOf(l.quotaValue, l.quotaUnit) };
}

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
    const year = Number(request.date.slice(0, 4));
    // The producer's licences and the year's sums in one round trip (this runs on every batch that claims).
    const facts = await m.query(
      `SELECT 'licence' AS kind, l.mark_id, l.id AS licence_id, to_char(l.valid_from, 'YYYY-MM-DD') AS valid_from,
              to_char(l.valid_to, 'YYYY-MM-DD') AS valid_to, l.status, to_char(l.revoked_on, 'YYYY-MM-DD') AS revoked_on,
              l.quota_value::text AS quota_value, l.quota_unit, NULL AS base_unit, NULL AS amount
         FROM mark_licences l WHERE l.mark_id = ANY($1::uuid[]) AND l.organization_id = $3
       UNION ALL
       SELECT 'sum', mark_id, licence_id, NULL, NULL, NULL, NULL, NULL, NULL, base_unit, sum(base_amount)::text
         FROM mark_claims WHERE mark_id = ANY($1::uuid[]) AND year = $2 GROUP BY mark_id, licence_id, base_unit`,
      [unique, year, request.organizationId],
    ) as FactRow[];
    const licences = facts.filter((f) => f.kind === 'licence').map((f) => ({
      markId: f.mark_id,
      licence: {
        id: f.licence_id!, validFrom: f.valid_from!, validTo: f.valid_to, status: f.status as ClaimLicence['status'], revokedOn: f.revoked_on,
        yearlyQuota: quotaOf(f.quota_value, f.quota_unit),
      } satisfies ClaimLicence,
    }));
    const sums = facts.filter((f) => f.kind === 'sum');
    const underConversion = marks.some((r) => r.scheme === 'organic') && await this.underConversion(m, request);
    const base = baseQuantity(amountOf(request.quantity));
    const accepted: { mark: MarkRecord; licenceId: string | null }[] = [];
    ids.forEach((id, i) => {
      const mark = byId.get(id)!;
      const claimed = (filter: (s: FactRow) => boolean): Decimal =>
        sums.filter((s) => filter(s) && s.base_unit === base.unit).reduce((sum, s) => sum.plus(decimal(s.amount)), ZERO);
      const own = licences.filter((l) => l.markId === id).map((l) => l.licence);
      const verdict = checkMarkClaim({
        mark: toClaimMark(mark), date: request.date, organizationId: request.organizationId, product: request.product, site: request.site,
        quantity: request.quantity, licences: own, underConversion,
        claimedInYear: {
          mark: claimed((s) => s.mark_id === id),
          byLicence: Object.fromEntries(own.map((l) => [l.id, claimed((s) => s.licence_id === l.id)])),
        },
      });
      if (!verdict.ok) {
        throw new DomainError(verdict.reason, verdict.message, {
          field: `marks[${i}].markId`, ...verdict.details, markId: id, scheme: mark.scheme, number: mark.number,
        });
      }
      accepted.push({ mark, licenceId: verdict.licenceId });
    });
    const col = <T>(f: (a: (typeof accepted)[number]) => T) => accepted.map(f);
    await auditedQuery(m,
      `INSERT INTO mark_claims (batch_id, mark_id, scheme, licence_id, organization_id, region_code, claimed_on, year,
                                quantity_value, quantity_unit, base_amount, base_unit)
       SELECT $1::uuid, u.mark_id, u.scheme, u.licence_id, $2::uuid, $3::char(6), $4::date, $5::smallint, $6::numeric, $7::varchar, $8::numeric, $9::varchar
         FROM unnest($10::uuid[], $11::varchar[], $12::uuid[]) AS u(mark_id, scheme, licence_id)
       RETURNING id`,
      [request.batchId, request.organizationId, request.site.regionCode, request.date, year, request.quantity.value, request.quantity.unit,
        base.value, base.unit, col((a) => a.mark.id), col((a) => a.mark.scheme), col((a) => a.licenceId)],
      { target: MarkClaim, verb: 'insert' },
    );
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
    try {
      await this.refusals.insert({
        markId: details.markId, scheme: details.scheme, organizationId: request.organizationId, regionCode: request.site.regionCode,
        claimedOn: request.date, reason: error.code, quantityValue: request.quantity.value, quantityUnit: request.quantity.unit,
        details: details as never,
      });
    } catch (recordError) {
      // The caller answers with the refusal either way; a lost report row must not turn it into a 500.
      this.logger.error({ msg: 'could not record a refused mark claim', err: String(recordError) });
    }
  }
}
