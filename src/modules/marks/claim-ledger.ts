import type { Logger } from '@nestjs/common';
import type { EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { decimal, type Decimal, formatDecimal, ZERO } from '../../../libs/decimal';
import type { DomainError } from '../../../libs/errors';
import { amountOf, baseQuantity, type Quantity } from '../../../libs/quantity';
import { auditedQuery } from '../audit';
import { ClaimLicence, ClaimMark, ClaimProblem, ClaimStep, judgeClaim, MarkClaimInput } from './domain/claim-engine';

/**
 * The one claim ledger of every scheme: it locks the producer's licences, reads the year's claimed
 * amounts, judges each claim with the marks engine and writes the accepted claims in one statement,
 * all in the caller's (the batch's) transaction. A registry names its own tables — the quality
 * marks' (mark_licences, mark_claims) or the GI registry's (gi_authorisations, gi_claims) — so each
 * feature's SQL still touches only its own tables, through one implementation.
 *
 * Quota safety: the caller has locked the claimed records (FOR UPDATE where a record carries a
 * quota of its own, FOR SHARE otherwise, in id order) and this locks the producer's licences FOR
 * UPDATE before any sum is read. Claims against one quota therefore run one after the other, and
 * the sums, read by a later statement, include every claim committed by whoever held the lock
 * before (READ COMMITTED takes a new snapshot per statement).
 */
export interface ClaimTables {
  licences: { table: string; record: string };
  claims: { table: string; record: string; licence: string; date: string; scheme: string | null; entity: EntityTarget<ObjectLiteral> };
}

/** The batch a claim is for. */
export interface LedgerRequest {
  batchId: string;
  organizationId: string;
  /** The day the marks must be valid on. */
  date: string;
  quantity: Quantity;
  product: MarkClaimInput['product'];
  site: MarkClaimInput['site'];
}

export interface LedgerOptions {
  /** The scheme's order of the rules. */
  steps: readonly ClaimStep[];
  /**
   * Whether a mark can have licences at all (区域公用品牌, GI: yes; a 绿色食品 or organic certificate is
   * used by its holder only). When none of the claimed marks can, the licence query is skipped:
   * there is nothing to lock or read. Absent: every mark can.
   */
  licensable?: (mark: ClaimMark) => boolean;
  underConversion?: boolean;
  /** The scheme's refusal for a problem of the mark at `index` of `marks`. */
  refuse: (problem: ClaimProblem, mark: ClaimMark, index: number) => DomainError;
}

interface LicenceRow {
  id: string;
  record_id: string;
  valid_from: string;
  valid_to: string | null;
  status: ClaimLicence['status'];
  revoked_on: string | null;
  quota_value: string | null;
  quota_unit: string | null;
}

export const quotaOf = (value: string | null, unit: string | null): Quantity | null =>
  value !== null && unit !== null ? { value: formatDecimal(value), unit: unit as Quantity['unit'] } : null;

/** Columns every licence table shares, as the engine reads them. */
export const toClaimLicence = (l: { id: string; validFrom: string; validTo: string | null; status: ClaimLicence['status']; revokedOn: string | null; quotaValue: string | null; quotaUnit: string | null }): ClaimLicence =>
  ({ id: l.id, validFrom: l.validFrom, validTo: l.validTo, status: l.status, revokedOn: l.revokedOn, yearlyQuota: quotaOf(l.quotaValue, l.quotaUnit) });

/**
 * Judges the claims of `marks` (already locked by the caller, in the request's order) and records
 * them; throws the scheme's refusal for the first claim that fails, having written nothing.
 */
export async function judgeAndRecordClaims(m: EntityManager, tables: ClaimTables, marks: ClaimMark[], request: LedgerRequest, options: LedgerOptions): Promise<void> {
  const { licences: lt, claims: ct } = tables;
  const ids = [...new Set(marks.filter((k) => options.licensable?.(k) ?? true).map((k) => k.id))];
  const year = Number(request.date.slice(0, 4));
  const licenceRows = ids.length === 0 ? [] : await m.query(
    `SELECT id, ${lt.record} AS record_id, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to, status,
            to_char(revoked_on, 'YYYY-MM-DD') AS revoked_on, quota_value::text AS quota_value, quota_unit
       FROM ${lt.table} WHERE ${lt.record} = ANY($1::uuid[]) AND organization_id = $2 ORDER BY ${lt.record}, valid_from, id FOR UPDATE`,
    [ids, request.organizationId],
  ) as LicenceRow[];
  const licences = licenceRows.map((l) => ({
    recordId: l.record_id,
    licence: toClaimLicence({ id: l.id, validFrom: l.valid_from, validTo: l.valid_to, status: l.status, revokedOn: l.revoked_on, quotaValue: l.quota_value, quotaUnit: l.quota_unit }),
  }));
  const base = baseQuantity(amountOf(request.quantity));
  const sums = await claimedInYear(m, ct, marks.filter((k) => k.yearlyQuota).map((k) => k.id),
    licences.filter((l) => l.licence.yearlyQuota).map((l) => l.licence.id), year, base.unit);
  const accepted = marks.map((mark, i) => {
    const own = licences.filter((l) => l.recordId === mark.id).map((l) => l.licence);
    const outcome = judgeClaim({
      mark, date: request.date, organizationId: request.organizationId, product: request.product, site: request.site, quantity: request.quantity,
      licences: own, underConversion: options.underConversion ?? false,
      claimedInYear: {
        mark: sums.get(`record|${mark.id}`) ?? ZERO,
        byLicence: Object.fromEntries(own.map((l) => [l.id, sums.get(`licence|${l.id}`) ?? ZERO])),
      },
    }, options.steps);
    if (!outcome.ok) throw options.refuse(outcome.problem, mark, i);
    return { mark, licenceId: outcome.licenceId };
  });
  const columns = ['batch_id', ct.record, ...(ct.scheme ? [ct.scheme] : []), ct.licence, 'organization_id', 'region_code', ct.date, 'year',
    'quantity_value', 'quantity_unit', 'base_amount', 'base_unit'];
  const perClaim = ct.scheme ? 'u.record_id, u.scheme, u.licence_id' : 'u.record_id, u.licence_id';
  // RETURNING *: the audit takes the claims as stored, with no read back (one round trip less).
  await auditedQuery(m,
    `INSERT INTO ${ct.table} (${columns.join(', ')})
     SELECT $1::uuid, ${perClaim}, $2::uuid, $3::char(6), $4::date, $5::smallint, $6::numeric, $7::varchar, $8::numeric, $9::varchar
       FROM unnest($10::uuid[], $11::varchar[], $12::uuid[]) AS u(record_id, scheme, licence_id)
     RETURNING *`,
    [request.batchId, request.organizationId, request.site.regionCode, request.date, year, request.quantity.value, request.quantity.unit,
      base.value, base.unit, accepted.map((a) => a.mark.id), accepted.map((a) => a.mark.scheme), accepted.map((a) => a.licenceId)],
    { target: ct.entity, verb: 'insert' },
  );
}

/** The year's claimed amounts in `unit`, keyed `record|<id>` and `licence|<id>`; only what a quota needs. */
async function claimedInYear(m: EntityManager, ct: ClaimTables['claims'], recordIds: string[], licenceIds: string[], year: number, unit: string): Promise<Map<string, Decimal>> {
  if (recordIds.length === 0 && licenceIds.length === 0) return new Map();
  const rows = await m.query(
    `SELECT 'record' AS kind, ${ct.record}::text AS id, sum(base_amount)::text AS amount FROM ${ct.table}
      WHERE ${ct.record} = ANY($1::uuid[]) AND year = $3 AND base_unit = $4 GROUP BY 2
     UNION ALL
     SELECT 'licence', ${ct.licence}::text, sum(base_amount)::text FROM ${ct.table}
      WHERE ${ct.licence} = ANY($2::uuid[]) AND year = $3 AND base_unit = $4 GROUP BY 2`,
    [recordIds, licenceIds, year, unit],
  ) as { kind: string; id: string; amount: string }[];
  return new Map(rows.map((r) => [`${r.kind}|${r.id}`, decimal(r.amount)]));
}

/**
 * Keeps a refused claim for the regulators' reports, outside the failed transaction. The caller
 * answers with the refusal either way: a lost report row must not turn it into a 500.
 */
export async function keepRefusal<T extends ObjectLiteral>(logger: Logger, repository: Repository<T>, row: Partial<T>): Promise<void> {
  try {
    await repository.insert(row as never);
  } catch (error) {
    logger.error({ msg: `could not record a refused claim in ${repository.metadata.tableName}`, err: String(error) });
  }
}
