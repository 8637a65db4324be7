import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { parseUscc } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import type { Quantity } from '../../../libs/quantity';
import { announceBatchChanged } from '../../common/batch-events';
import { todayInChina } from '../../common/dates';
import { isUniqueViolation } from '../../common/db-errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { OrganizationIdentity, OrganizationsService } from '../organizations';
import { isWithinRegion } from '../regions/domain';
import { MARK_STATE_NAMES, markState } from './domain/claim-engine';
import { overlappingLicence, normalizeLicenceTerms } from './domain/licences';
import { MarkRecordInput, normalizeMarkRecord, text } from './domain/mark-inputs';
import { SCHEME_DEFINITIONS, type RecordedScheme } from './domain/mark-schemes';
import { parseAllocation } from './domain/organic-codes';
import { ClaimsQueryDto, CreateLicenceDto, CreateMarkDto, ExpiringQueryDto, ListMarksQueryDto, OrganicAllocationDto, RevokeMarkDto } from './dto/marks.dto';
import { MarkClaimRefusal } from './mark-claim-refusal.entity';
import { MarkClaim } from './mark-claim.entity';
import { quotaOf, toClaimLicence } from './mark-claims.service';
import { MarkLicence } from './mark-licence.entity';
import { MarkRecord } from './mark-record.entity';
import { OrganicCodesService } from './organic-codes.service';

export interface MarkView {
  id: string;
  scheme: RecordedScheme;
  schemeName: string;
  number: string;
  numberFormat: { id: string; verified: boolean };
  holder: { uscc: string; name: string | null; organizationId: string | null; regionCode: string };
  enterpriseCode: string | null;
  certifier: string | null;
  scope: { productIds: string[]; productNames: string[]; categoryPaths: string[]; siteIds: string[]; areaCodes: string[] };
  validFrom: string;
  validTo: string | null;
  yearlyQuota: Quantity | null;
  status: 'active' | 'revoked';
  state: 'valid' | 'expired' | 'revoked';
  stateName: string;
  revokedOn: string | null;
  revokedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An expired certificate that claims (or refused attempts) still name after its last valid day. */
export interface StillClaimedMark {
  mark: MarkView;
  claimsAfterExpiry: number;
  refusalsAfterExpiry: number;
  lastAttemptAt: string;
  organizations: { id: string; name: string; uscc: string | null }[];
}

/** The mark and organisation a claim or refusal names, for regulators' lists. */
interface ClaimParties {
  mark: { id: string; scheme: string; number: string; holderName: string | null } | null;
  organization: { id: string; name: string; uscc: string | null } | null;
}

export interface MarkClaimView extends ClaimParties {
  id: string;
  batchId: string;
  markId: string;
  scheme: string;
  organizationId: string;
  regionCode: string;
  claimedOn: string;
  quantity: { value: string; unit: string };
  createdAt: string;
}

export interface MarkRefusalView extends ClaimParties {
  id: string;
  markId: string;
  scheme: string;
  organizationId: string;
  regionCode: string;
  claimedOn: string;
  /** The refusal's code (MARK_EXPIRED …). */
  reason: string;
  quantity: { value: string; unit: string };
  createdAt: string;
}

export interface ExpiringReport {
  today: string;
  days: number;
  items: MarkView[];
  stillClaimed: StillClaimedMark[];
}

/** A claimed mark as the consumer page shows it: public facts and a clear state. */
export interface MarkScanFacts {
  scheme: RecordedScheme;
  schemeName: string;
  number: string;
  holderName: string | null;
  holderUscc: string;
  validTo: string | null;
  state: 'valid' | 'expired' | 'revoked';
  stateName: string;
}

export function toMarkView(m: MarkRecord, today = todayInChina()): MarkView {
  const state = markState(m, today);
  return {
    id: m.id,
    scheme: m.scheme,
    schemeName: SCHEME_DEFINITIONS[m.scheme].name,
    number: m.number,
    numberFormat: { id: m.numberFormat, verified: m.formatVerified },
    holder: { uscc: m.holderUscc, name: m.holderName, organizationId: m.holderOrganizationId, regionCode: m.holderRegionCode },
    enterpriseCode: m.enterpriseCode,
    certifier: m.certifier,
    scope: { productIds: m.productIds, productNames: m.productNames, categoryPaths: m.categoryPaths, siteIds: m.siteIds, areaCodes: m.areaCodes },
    validFrom: m.validFrom,
    validTo: m.validTo,
    yearlyQuota: quotaOf(m.quotaValue, m.quotaUnit),
    status: m.status,
    state,
    stateName: MARK_STATE_NAMES[state],
    revokedOn: m.revokedOn,
    revokedReason: m.revokedReason,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

/** The columns of a record from its checked input and its holder on the platform. */
export function recordColumns(input: MarkRecordInput, holder: OrganizationIdentity | undefined): Partial<MarkRecord> {
  // Written out (not spread): an import builds 10,000 of these.
  return {
    scheme: input.scheme, number: input.number, numberFormat: input.numberFormat, formatVerified: input.formatVerified,
    holderUscc: input.holderUscc, holderName: input.holderName, holderOrganizationId: holder?.id ?? null,
    holderRegionCode: holder?.regionCode ?? input.holderUscc.slice(2, 8), enterpriseCode: input.enterpriseCode, certifier: input.certifier,
    productIds: input.productIds, productNames: input.productNames, categoryPaths: input.categoryPaths, siteIds: input.siteIds,
    areaCodes: input.areaCodes, validFrom: input.validFrom, validTo: input.validTo,
    quotaValue: input.yearlyQuota?.value ?? null, quotaUnit: input.yearlyQuota?.unit ?? null,
    status: input.status, revokedOn: input.revokedOn, revokedReason: input.revokedReason,
  };
}

/**
 * Who writes a mark: an admin; a regulator whose region holds the holder; the holder's own
 * org_admin (a cooperative records its certificates). Anyone else: FORBIDDEN.
 */
export function assertMayWriteMark(actor: Actor, holder: { organizationId: string | null; regionCode: string }): void {
  if (isAdmin(actor)) return;
  if (actor.role === 'regulator' && actor.regionCode && isWithinRegion(holder.regionCode, actor.regionCode)) return;
  if (actor.role === 'org_admin' && holder.organizationId !== null && holder.organizationId === actor.organizationId) return;
  throw new DomainError('FORBIDDEN', 'Marks are written by their holder, by regulators of the holder\'s region, or by admins', { field: 'holderUscc', rule: 'jurisdiction' });
}

@Injectable()
export class MarksService {
  constructor(
    @InjectRepository(MarkRecord) private readonly records: Repository<MarkRecord>,
    @InjectRepository(MarkLicence) private readonly licences: Repository<MarkLicence>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly organicCodes: OrganicCodesService,
  ) {}

  schemes() {
    return { items: Object.values(SCHEME_DEFINITIONS) };
  }

  // ---- records --------------------------------------------------------------------------

  async create(actor: Actor, dto: CreateMarkDto): Promise<MarkView> {
    const input = normalizeMarkRecord({ ...dto, status: 'active' });
    const [holder] = await this.organizations.identities({ usccs: [input.holderUscc] });
    const columns = recordColumns(input, holder);
    assertMayWriteMark(actor, { organizationId: columns.holderOrganizationId ?? null, regionCode: columns.holderRegionCode! });
    try {
      return toMarkView(await this.records.save(this.records.create(columns)));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_mark_records_scheme_number')) {
        throw new DomainError('DUPLICATE_MARK', `A ${input.scheme} record with number ${input.number} already exists`, { field: 'number', rule: 'unique' });
      }
      throw error;
    }
  }

  async get(id: string): Promise<MarkView> {
    return toMarkView(await this.find(id));
  }

  async list(q: ListMarksQueryDto): Promise<Page<MarkView>> {
    const qb = this.records.createQueryBuilder('r');
    if (q.scheme) qb.andWhere('r.scheme = :scheme', { scheme: q.scheme });
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (q.number) qb.andWhere('r.number = :number', { number: q.number.trim().toUpperCase().replace(/\s+/g, '') });
    if (q.holderUscc) qb.andWhere('r.holder_uscc = :uscc', { uscc: q.holderUscc.trim().toUpperCase() });
    const today = todayInChina();
    return listPage(qb, 'r', q.limit ?? 50, q.cursor, (r) => toMarkView(r, today));
  }

  /**
   * The marks an organisation may put on its batches: those it holds (by its USCC) and those it is
   * licensed for (an active licence, e.g. a 区域公用品牌), any state; the claim engine still checks
   * each claim. Newest validity first, at most `limit`.
   */
  async usableBy(organization: { id: string; uscc: string | null }, limit = 100): Promise<MarkView[]> {
    const qb = this.records.createQueryBuilder('r')
      .where(`EXISTS (SELECT 1 FROM mark_licences l WHERE l.mark_id = r.id AND l.organization_id = :org AND l.status = 'active')`, { org: organization.id });
    if (organization.uscc) qb.orWhere('r.holder_uscc = :uscc', { uscc: organization.uscc });
    const today = todayInChina();
    const rows = await qb.orderBy('r.valid_to', 'DESC', 'NULLS FIRST').addOrderBy('r.id').take(limit).getMany();
    return rows.map((r) => toMarkView(r, today));
  }

  async revoke(actor: Actor, id: string, dto: RevokeMarkDto): Promise<MarkView> {
    const mark = await this.find(id);
    assertMayWriteMark(actor, { organizationId: mark.holderOrganizationId, regionCode: mark.holderRegionCode });
    // A holder may give up its own mark; withdrawing one is a regulator's (or admin's) act either way.
    if (mark.status === 'revoked') throw new DomainError('MARK_ALREADY_REVOKED', `This mark was revoked on ${mark.revokedOn}`);
    // The update waits for claims in flight (they hold the row FOR UPDATE); later claims see 'revoked'.
    await this.records.update({ id: mark.id, status: 'active' }, {
      status: 'revoked', revokedOn: dto.revokedOn ?? todayInChina(), revokedReason: text(dto.reason, 'reason', 500, true),
    });
    await this.announceClaimsChanged('mark_id', mark.id);
    return this.get(mark.id);
  }

  // ---- licences (区域公用品牌 授权) -----------------------------------------------------------

  async license(actor: Actor, markId: string, dto: CreateLicenceDto) {
    const mark = await this.find(markId);
    assertMayWriteMark(actor, { organizationId: mark.holderOrganizationId, regionCode: mark.holderRegionCode });
    if (!SCHEME_DEFINITIONS[mark.scheme].licensable) {
      throw new DomainError('MARK_NOT_LICENSABLE', `A ${SCHEME_DEFINITIONS[mark.scheme].name} certificate is used by its holder only`, { field: 'organizationId', rule: 'licensable' });
    }
    if (mark.status === 'revoked') throw new DomainError('MARK_REVOKED', 'A revoked mark takes no new licences', { field: 'markId', rule: 'mark_revoked' });
    const terms = normalizeLicenceTerms(dto);
    const org = await this.resolveOrganization(dto.organizationId, dto.uscc);
    const saved = await this.dataSource.transaction(async (m) => {
      await m.query("SELECT pg_advisory_xact_lock(hashtext('mark-licences:' || $1))", [mark.id]);
      const existing = (await m.findBy(MarkLicence, { markId: mark.id, organizationId: org.id })).map(toClaimLicence);
      const clash = overlappingLicence(existing, terms, null);
      if (clash) {
        throw new DomainError('MARK_AUTHORISATION_OVERLAP', `This organisation is already licensed from ${clash.validFrom} to ${clash.validTo ?? 'open end'}`, {
          field: 'validFrom', rule: 'no_overlap', existing: { id: clash.id },
        });
      }
      return m.save(m.create(MarkLicence, {
        markId: mark.id, organizationId: org.id, validFrom: terms.validFrom, validTo: terms.validTo,
        quotaValue: terms.yearlyQuota?.value ?? null, quotaUnit: terms.yearlyQuota?.unit ?? null,
      }));
    });
    return toLicenceView(saved, org);
  }

  async listLicences(markId: string, limit = 50, cursor?: string) {
    const mark = await this.find(markId);
    const page = await listPage(this.licences.createQueryBuilder('l').where('l.mark_id = :id', { id: mark.id }), 'l', limit, cursor, (l) => l);
    const orgs = new Map((await this.organizations.identities({ ids: page.items.map((l) => l.organizationId) })).map((o) => [o.id, o]));
    return { items: page.items.map((l) => toLicenceView(l, orgs.get(l.organizationId))), nextCursor: page.nextCursor };
  }

  async revokeLicence(actor: Actor, markId: string, licenceId: string, dto: RevokeMarkDto) {
    const mark = await this.find(markId);
    assertMayWriteMark(actor, { organizationId: mark.holderOrganizationId, regionCode: mark.holderRegionCode });
    const licence = isUuid(licenceId) ? await this.licences.findOneBy({ id: licenceId, markId: mark.id }) : null;
    if (!licence) throw new DomainError('NOT_FOUND', 'Licence not found');
    if (licence.status === 'revoked') throw new DomainError('MARK_ALREADY_REVOKED', `This licence was revoked on ${licence.revokedOn}`);
    await this.licences.update({ id: licence.id, status: 'active' }, {
      status: 'revoked', revokedOn: dto.revokedOn ?? todayInChina(), revokedReason: text(dto.reason, 'reason', 500, true),
    });
    await this.announceClaimsChanged('licence_id', licence.id);
    const saved = await this.licences.findOneByOrFail({ id: licence.id });
    return toLicenceView(saved, (await this.organizations.identities({ ids: [saved.organizationId] }))[0]);
  }

  // ---- regulators' views ------------------------------------------------------------------

  /** Claims in the regulator's region (admins: all), newest first. */
  async claims(actor: Actor, q: ClaimsQueryDto): Promise<Page<MarkClaimView>> {
    const qb = this.dataSource.getRepository(MarkClaim).createQueryBuilder('c');
    this.scope(actor, qb, 'c.region_code', q);
    return this.withMarks(await listPage(qb, 'c', q.limit ?? 50, q.cursor, (c) => ({
      id: c.id, batchId: c.batchId, markId: c.markId, scheme: c.scheme, organizationId: c.organizationId, regionCode: c.regionCode,
      claimedOn: c.claimedOn, quantity: { value: c.quantityValue, unit: c.quantityUnit }, createdAt: c.createdAt.toISOString(),
    })));
  }

  /** Refused claims (possible misuse) in the regulator's region, newest first. */
  async refusals(actor: Actor, q: ClaimsQueryDto): Promise<Page<MarkRefusalView>> {
    const qb = this.dataSource.getRepository(MarkClaimRefusal).createQueryBuilder('c');
    this.scope(actor, qb, 'c.region_code', q);
    return this.withMarks(await listPage(qb, 'c', q.limit ?? 50, q.cursor, (c) => ({
      id: c.id, markId: c.markId, scheme: c.scheme, organizationId: c.organizationId, regionCode: c.regionCode, claimedOn: c.claimedOn,
      reason: c.reason, quantity: { value: c.quantityValue, unit: c.quantityUnit }, createdAt: c.createdAt.toISOString(),
    })));
  }

  /**
   * Active certificates of holders in the regulator's region ending within `days` (or ended that
   * recently), and `stillClaimed`: expired certificates that batches still try to carry.
   */
  async expiring(actor: Actor, q: ExpiringQueryDto): Promise<ExpiringReport> {
    const days = q.days ?? 90;
    const today = todayInChina();
    const qb = this.records.createQueryBuilder('r').where("r.status = 'active'")
      .andWhere(`r.valid_to BETWEEN CAST(:today AS date) - CAST(:days AS int) AND CAST(:today AS date) + CAST(:days AS int)`, { today, days })
      .orderBy('r.valid_to').addOrderBy('r.id').take(1000);
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('r.holder_region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) throw new DomainError('FORBIDDEN', 'Only regulators and admins read this report');
    if (q.scheme) qb.andWhere('r.scheme = :scheme', { scheme: q.scheme });
    const [items, stillClaimed] = await Promise.all([qb.getMany(), this.claimedAfterExpiry(prefix, today, q.scheme)]);
    return { today, days, items: items.map((r) => toMarkView(r, today)), stillClaimed };
  }

  /**
   * Expired certificates still being claimed: claims or refused attempts recorded (China date) after
   * the certificate's last valid day, where the holder or the claiming site is in the region (null
   * prefix: everywhere). A backdated production date gets a claim through, a current one is refused
   * with MARK_EXPIRED: either is a lead for 是否违规使用标志. Latest attempt first, at most 200.
   */
  private async claimedAfterExpiry(prefix: string | null, today: string, scheme?: string): Promise<StillClaimedMark[]> {
    const rows = await this.dataSource.query(`
      WITH late AS (
        SELECT c.mark_id, c.organization_id, c.region_code, c.created_at, 1 AS claimed
          FROM mark_records r JOIN mark_claims c ON c.mark_id = r.id
         WHERE r.valid_to < $1 AND (c.created_at AT TIME ZONE 'Asia/Shanghai')::date > r.valid_to
        UNION ALL
        SELECT f.mark_id, f.organization_id, f.region_code, f.created_at, 0 AS claimed
          FROM mark_records r JOIN mark_claim_refusals f ON f.mark_id = r.id
         WHERE r.valid_to < $1 AND (f.created_at AT TIME ZONE 'Asia/Shanghai')::date > r.valid_to
      )
      SELECT l.mark_id, sum(l.claimed)::int AS claims, (count(*) - sum(l.claimed))::int AS refusals,
             max(l.created_at) AS last_at, array_agg(DISTINCT l.organization_id::text) AS organization_ids
        FROM late l JOIN mark_records r ON r.id = l.mark_id
       WHERE ($2::text IS NULL OR l.region_code LIKE ($2 || '%') OR r.holder_region_code LIKE ($2 || '%'))
         AND ($3::text IS NULL OR r.scheme = $3)
       GROUP BY l.mark_id ORDER BY max(l.created_at) DESC, l.mark_id LIMIT 200`,
    [today, prefix, scheme ?? null]) as { mark_id: string; claims: number; refusals: number; last_at: Date; organization_ids: string[] }[];
    if (!rows.length) return [];
    const [marks, orgs] = await Promise.all([
      this.records.createQueryBuilder('r').where('r.id = ANY(:ids)', { ids: rows.map((r) => r.mark_id) }).getMany(),
      this.organizations.identities({ ids: [...new Set(rows.flatMap((r) => r.organization_ids))] }),
    ]);
    const byId = new Map(marks.map((m) => [m.id, m]));
    const orgById = new Map(orgs.map((o) => [o.id, { id: o.id, name: o.name, uscc: o.uscc }]));
    return rows.map((r) => ({
      mark: toMarkView(byId.get(r.mark_id)!, today), claimsAfterExpiry: r.claims, refusalsAfterExpiry: r.refusals,
      lastAttemptAt: new Date(r.last_at).toISOString(),
      organizations: r.organization_ids.map((id) => orgById.get(id)).filter((o) => o !== undefined),
    }));
  }

  // ---- 有机码 ------------------------------------------------------------------------------

  async recordOrganicCodes(actor: Actor, markId: string, dto: OrganicAllocationDto) {
    const mark = await this.find(markId);
    if (mark.scheme !== 'organic') {
      throw new DomainError('VALIDATION_FAILED', '有机码 are allocated to organic certificates only', { field: 'markId', rule: 'scheme_organic' });
    }
    assertMayWriteMark(actor, { organizationId: mark.holderOrganizationId, regionCode: mark.holderRegionCode });
    if (!mark.holderOrganizationId) {
      throw new DomainError('VALIDATION_FAILED', 'The holder of this certificate is not on the platform; it cannot print labels', { field: 'markId', rule: 'holder_on_platform' });
    }
    const allocation = parseAllocation(dto);
    const saved = await this.dataSource.transaction((m) =>
      this.organicCodes.record(m, mark.id, mark.holderOrganizationId!, allocation, text(dto.note, 'note', 500)));
    return { allocation: { id: saved.id, kind: saved.kind, count: saved.count, firstCode: saved.firstCode, lastCode: saved.lastCode, note: saved.note }, ...await this.organicCodes.remaining(mark.id) };
  }

  async organicCodeBalance(actor: Actor, markId: string) {
    const mark = await this.find(markId);
    assertMayWriteMark(actor, { organizationId: mark.holderOrganizationId, regionCode: mark.holderRegionCode });
    return { markId: mark.id, ...await this.organicCodes.remaining(mark.id) };
  }

  // ---- scan page --------------------------------------------------------------------------

  /** The marks a batch claims, with their state today. */
  async scanFacts(batchId: string): Promise<MarkScanFacts[]> {
    if (!isUuid(batchId)) return [];
    const rows = await this.records.createQueryBuilder('r')
      .innerJoin(MarkClaim, 'c', 'c.mark_id = r.id AND c.batch_id = :batchId', { batchId })
      .orderBy('r.scheme').addOrderBy('r.number').getMany();
    const today = todayInChina();
    return rows.map((r) => {
      const state = markState(r, today);
      return {
        scheme: r.scheme, schemeName: SCHEME_DEFINITIONS[r.scheme].name, number: r.number, holderName: r.holderName, holderUscc: r.holderUscc,
        validTo: r.validTo, state, stateName: MARK_STATE_NAMES[state],
      };
    });
  }

  // ---- helpers ----------------------------------------------------------------------------

  async find(id: string, m: EntityManager = this.dataSource.manager): Promise<MarkRecord> {
    const mark = isUuid(id) ? await m.findOneBy(MarkRecord, { id }) : null;
    if (!mark) throw new DomainError('NOT_FOUND', 'Mark not found');
    return mark;
  }

  private async resolveOrganization(organizationId?: string, uscc?: string): Promise<OrganizationIdentity> {
    if (!organizationId && !uscc) throw new DomainError('VALIDATION_FAILED', 'Give organizationId or uscc', { field: 'organizationId', rule: 'required' });
    const normalized = uscc ? parseUscc(uscc, { acceptFailedChecks: true }).value : undefined;
    const [org] = await this.organizations.identities({ ids: organizationId ? [organizationId] : [], usccs: normalized ? [normalized] : [] });
    if (!org || (organizationId && org.id !== organizationId) || (normalized && org.uscc !== normalized)) {
      throw new DomainError('NOT_FOUND', 'Organisation not found', { field: organizationId ? 'organizationId' : 'uscc' });
    }
    return org;
  }

  private scope(actor: Actor, qb: { andWhere: (sql: string, p?: Record<string, unknown>) => unknown }, column: string, q: ClaimsQueryDto): void {
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere(`${column} LIKE :prefix`, { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) throw new DomainError('FORBIDDEN', 'Only regulators and admins read this report');
    if (q.scheme) qb.andWhere('c.scheme = :scheme', { scheme: q.scheme });
    if (q.from) qb.andWhere('c.claimed_on >= :from', { from: q.from });
    if (q.to) qb.andWhere('c.claimed_on <= :to', { to: q.to });
  }

  private async withMarks<T extends { markId: string; organizationId: string }>(page: Page<T>): Promise<Page<T & ClaimParties>> {
    const marks = page.items.length ? await this.records.createQueryBuilder('r').where('r.id = ANY(:ids)', { ids: [...new Set(page.items.map((i) => i.markId))] }).getMany() : [];
    const byId = new Map(marks.map((r) => [r.id, { id: r.id, scheme: r.scheme, number: r.number, holderName: r.holderName }]));
    const orgs = new Map((await this.organizations.identities({ ids: page.items.map((i) => i.organizationId) })).map((o) => [o.id, { id: o.id, name: o.name, uscc: o.uscc }]));
    return { items: page.items.map((i) => ({ ...i, mark: byId.get(i.markId) ?? null, organization: orgs.get(i.organizationId) ?? null })), nextCursor: page.nextCursor };
  }

  /** Cached scan pages of the batches that claim this mark (or rest on this licence) refresh. */
  async announceClaimsChanged(column: 'mark_id' | 'licence_id', id: string): Promise<void> {
    const rows = await this.dataSource.query(`SELECT batch_id FROM mark_claims WHERE ${column} = $1`, [id]) as { batch_id: string }[];
    announceBatchChanged(null, rows.map((r) => r.batch_id));
  }
}

function toLicenceView(l: MarkLicence, org: OrganizationIdentity | undefined) {
  return {
    id: l.id, markId: l.markId, organization: { id: l.organizationId, name: org?.name ?? '', uscc: org?.uscc ?? null },
    validFrom: l.validFrom, validTo: l.validTo, yearlyQuota: quotaOf(l.quotaValue, l.quotaUnit), status: l.status,
    revokedOn: l.revokedOn, revokedReason: l.revokedReason, createdAt: l.createdAt.toISOString(),
  };
}
