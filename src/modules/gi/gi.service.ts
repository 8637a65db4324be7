import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { parseUscc } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { isUniqueViolation } from '../../common/db-errors';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { announceBatchChanged } from '../../common/batch-events';
import { decimal, Decimal, formatDecimal, ZERO } from '../../../libs/decimal';
import { amountOf, baseUnitOf, type Quantity } from '../../../libs/quantity';
import { OrganizationIdentity, OrganizationsService } from '../organizations';
import { findRegion, isWithinRegion, regionPrefix } from '../regions/domain';
import { ClaimAuthorisation, effectiveEnd, periodsOverlap } from './domain/gi-claim-rules';
import { AuthorisationTerms, normalizeAuthorisationTerms, normalizeGiRecord, text } from './domain/gi-inputs';
import { BoundingBox, GI_REGIME_NAMES, GiRegime, GiStatus } from './domain/gi-record-rules';
import { CreateAuthorisationDto, CreateGiDto, ListGiQueryDto, RevokeDto, UpdateAuthorisationDto, UsageQueryDto } from './dto/gi.dto';
import { GiAuthorisation } from './gi-authorisation.entity';
import { toClaimAuthorisation } from './gi-claims.service';
import { GiRecord } from './gi-record.entity';
import { todayInChina } from '../../common/dates';

export interface GiView {
  id: string;
  regime: GiRegime;
  regimeName: string;
  registrationNumber: string;
  productName: string;
  holder: { uscc: string; name: string | null };
  protectedArea: { codes: { code: string; name: string }[]; text: string | null; boundingBox: BoundingBox | null };
  specReference: string | null;
  announcementNumber: string | null;
  announcedOn: string | null;
  chinaEu: boolean;
  status: GiStatus;
  revokedOn: string | null;
  revokedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuthorisationView {
  id: string;
  giId: string;
  organization: { id: string; name: string; uscc: string | null };
  validFrom: string;
  validTo: string | null;
  yearlyQuota: Quantity | null;
  status: 'active' | 'revoked';
  revokedOn: string | null;
  revokedReason: string | null;
  createdAt: string;
}

/** The scan page's GI section: public facts only. */
export interface GiScanFacts {
  name: string;
  regime: GiRegime;
  regimeName: string;
  registrationNumber: string;
  holder: { uscc: string; name: string | null };
  chinaEu: boolean;
  status: GiStatus;
  revokedOn: string | null;
  authorisedUser: { state: 'authorised' | 'ended' | 'revoked'; validFrom: string; validTo: string | null; endedOn: string | null };
}

type Period = 'month' | 'quarter' | 'year';
const PERIOD_FORMAT: Record<Period, string> = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };

@Injectable()
export class GiService {
  constructor(
    @InjectRepository(GiRecord) private readonly records: Repository<GiRecord>,
    @InjectRepository(GiAuthorisation) private readonly authorisations: Repository<GiAuthorisation>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
  ) {}

  // ---- registry ---------------------------------------------------------------------------

  async create(actor: Actor, dto: CreateGiDto): Promise<GiView> {
    const input = normalizeGiRecord({ ...dto, status: 'active' });
    assertMayWriteArea(actor, input.areaCodes);
    try {
      return toGiView(await this.records.save(this.records.create(input)));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_gi_records_regime_number')) {
        throw new DomainError('DUPLICATE_GI', `A ${input.regime} record with number ${input.registrationNumber} already exists`, {
          field: 'registrationNumber', rule: 'unique',
        });
      }
      throw error;
    }
  }

  async get(id: string): Promise<GiView> {
    return toGiView(await this.find(id));
  }

  async list(q: ListGiQueryDto): Promise<Page<GiView>> {
    const qb = this.records.createQueryBuilder('g');
    if (q.regime) qb.andWhere('g.regime = :regime', { regime: q.regime });
    if (q.status) qb.andWhere('g.status = :status', { status: q.status });
    if (q.registrationNumber) qb.andWhere('g.registration_number = :number', { number: q.registrationNumber.trim().toUpperCase() });
    if (q.regionCode) {
      const region = findRegion(q.regionCode);
      if (!region) throw new DomainError('INVALID_REGION_CODE', `regionCode ${q.regionCode} is not a current GB/T 2260 region code`, { field: 'regionCode', rule: 'known_code' });
      // The area covers the region, or lies inside it.
      qb.andWhere(`EXISTS (SELECT 1 FROM jsonb_array_elements_text(g.area_codes) a(code)
        WHERE :region LIKE (CASE WHEN a.code LIKE '%0000' THEN left(a.code, 2) WHEN a.code LIKE '%00' THEN left(a.code, 4) ELSE a.code END) || '%'
           OR a.code LIKE :prefix)`, { region: region.code, prefix: `${regionPrefix(region.code)}%` });
    }
    return listPage(qb, 'g', q.limit ?? 50, q.cursor, toGiView);
  }

  async revoke(actor: Actor, id: string, dto: RevokeDto): Promise<GiView> {
    const gi = await this.find(id);
    assertMayWriteArea(actor, gi.areaCodes);
    if (gi.status === 'revoked') throw new DomainError('GI_ALREADY_REVOKED', `This GI was revoked on ${gi.revokedOn}`);
    const revokedOn = dto.revokedOn ?? todayInChina();
    // The update waits for claims in flight (they hold the row FOR SHARE); later claims see 'revoked'.
    await this.records.update({ id: gi.id, status: 'active' }, { status: 'revoked', revokedOn, revokedReason: text(dto.reason, 'reason', 500, true) });
    await this.announceClaimsChanged({ giId: gi.id });
    return this.get(gi.id);
  }

  // ---- authorised users -------------------------------------------------------------------

  async authorise(actor: Actor, giId: string, dto: CreateAuthorisationDto): Promise<AuthorisationView> {
    const gi = await this.find(giId);
    assertMayWriteArea(actor, gi.areaCodes);
    if (gi.status === 'revoked') throw new DomainError('GI_REVOKED', 'A revoked GI takes no new authorised users');
    const terms = normalizeAuthorisationTerms(dto);
    const org = await this.resolveOrganization(actor, dto.organizationId, dto.uscc);
    const saved = await this.dataSource.transaction(async (m) => {
      // One writer per GI at a time, so two overlapping periods cannot both pass the check.
      await lockAuthorisationWriters(m, [gi.id]);
      const existing = (await m.findBy(GiAuthorisation, { giId: gi.id, organizationId: org.id })).map(toClaimAuthorisation);
      assertNoOverlap(existing, terms, null);
      return m.save(m.create(GiAuthorisation, {
        giId: gi.id, organizationId: org.id, validFrom: terms.validFrom, validTo: terms.validTo,
        quotaValue: terms.yearlyQuota?.value ?? null, quotaUnit: terms.yearlyQuota?.unit ?? null,
      }));
    });
    return toAuthorisationView(saved, org);
  }

  async listAuthorisations(giId: string, limit = 50, cursor?: string): Promise<Page<AuthorisationView>> {
    const gi = await this.find(giId);
    const qb = this.authorisations.createQueryBuilder('a').where('a.gi_id = :gi', { gi: gi.id });
    const page = await listPage(qb, 'a', limit, cursor, (a) => a);
    const orgs = await this.organizationsById(page.items.map((a) => a.organizationId));
    return { items: page.items.map((a) => toAuthorisationView(a, orgs.get(a.organizationId))), nextCursor: page.nextCursor };
  }

  async updateAuthorisation(actor: Actor, giId: string, authId: string, dto: UpdateAuthorisationDto): Promise<AuthorisationView> {
    const gi = await this.find(giId);
    assertMayWriteArea(actor, gi.areaCodes);
    const saved = await this.dataSource.transaction(async (m) => {
      await lockAuthorisationWriters(m, [gi.id]);
      const auth = await this.lockAuthorisation(actor, m, gi.id, authId);
      if (auth.status === 'revoked') throw new DomainError('GI_AUTHORISATION_REVOKED', 'A revoked authorisation cannot be changed; add a new one');
      const current = toClaimAuthorisation(auth);
      const terms: AuthorisationTerms = normalizeAuthorisationTerms({
        validFrom: auth.validFrom,
        validTo: dto.validTo === undefined ? auth.validTo : dto.validTo,
        yearlyQuota: dto.yearlyQuota === undefined ? current.yearlyQuota : dto.yearlyQuota,
      });
      const others = (await m.findBy(GiAuthorisation, { giId: gi.id, organizationId: auth.organizationId })).map(toClaimAuthorisation);
      assertNoOverlap(others, terms, auth.id);
      await assertClaimsFit(m, auth.id, terms);
      await m.update(GiAuthorisation, { id: auth.id }, {
        validTo: terms.validTo, quotaValue: terms.yearlyQuota?.value ?? null, quotaUnit: terms.yearlyQuota?.unit ?? null,
      });
      return m.findOneByOrFail(GiAuthorisation, { id: auth.id });
    });
    await this.announceClaimsChanged({ authorisationId: saved.id });
    return toAuthorisationView(saved, (await this.organizationsById([saved.organizationId])).get(saved.organizationId));
  }

  async revokeAuthorisation(actor: Actor, giId: string, authId: string, dto: RevokeDto): Promise<AuthorisationView> {
    const gi = await this.find(giId);
    assertMayWriteArea(actor, gi.areaCodes);
    const saved = await this.dataSource.transaction(async (m) => {
      const auth = await this.lockAuthorisation(actor, m, gi.id, authId);
      if (auth.status === 'revoked') throw new DomainError('GI_AUTHORISATION_REVOKED', `This authorisation was revoked on ${auth.revokedOn}`);
      const revokedOn = dto.revokedOn ?? todayInChina();
      if (revokedOn < auth.validFrom) {
        throw new DomainError('VALIDATION_FAILED', 'revokedOn must not be before the authorisation starts', { field: 'revokedOn', rule: 'after_valid_from' });
      }
      await m.update(GiAuthorisation, { id: auth.id }, { status: 'revoked', revokedOn, revokedReason: text(dto.reason, 'reason', 500, true) });
      return m.findOneByOrFail(GiAuthorisation, { id: auth.id });
    });
    await this.announceClaimsChanged({ authorisationId: saved.id });
    return toAuthorisationView(saved, (await this.organizationsById([saved.organizationId])).get(saved.organizationId));
  }

  /**
   * What each authorisation of these GIs has claimed in a calendar year (base units), for the
   * regulator's console: the yearly quota beside what is used of it.
   */
  async yearUsage(giIds: string[], year: number): Promise<{ giId: string; authorisationId: string; used: { value: string; unit: string } }[]> {
    const ids = [...new Set(giIds)].filter(isUuid);
    if (!ids.length) return [];
    const rows = await this.dataSource.query(
      `SELECT gi_id, authorisation_id, base_unit AS unit, sum(base_amount)::text AS amount
         FROM gi_claims WHERE gi_id = ANY($1::uuid[]) AND year = $2 GROUP BY 1, 2, 3`, [ids, year],
    ) as { gi_id: string; authorisation_id: string; unit: string; amount: string }[];
    return rows.map((r) => ({ giId: r.gi_id, authorisationId: r.authorisation_id, used: { value: formatDecimal(decimal(r.amount)), unit: r.unit } }));
  }

  // ---- usage report -----------------------------------------------------------------------

  async usage(actor: Actor, q: UsageQueryDto) {
    if (q.to < q.from) throw new DomainError('VALIDATION_FAILED', 'to must not be before from', { field: 'to', rule: 'after_from' });
    const period: Period = q.period ?? 'month';
    const params: unknown[] = [q.from, q.to, PERIOD_FORMAT[period]];
    let scope = '';
    const prefix = regulatorPrefix(actor);
    if (prefix) scope += ` AND region_code LIKE $${params.push(`${prefix}%`)}`;
    else if (!isAdmin(actor)) throw new DomainError('FORBIDDEN', 'Only regulators and admins read the GI usage report');
    if (q.giId) scope += ` AND gi_id = $${params.push(q.giId)}`;
    const claims = await this.dataSource.query(
      `SELECT gi_id, organization_id, to_char(produced_on, $3) AS period, base_unit AS unit,
              count(*)::int AS batches, sum(base_amount)::text AS amount
         FROM gi_claims WHERE produced_on BETWEEN $1 AND $2${scope}
        GROUP BY 1, 2, 3, 4 ORDER BY 3, 1, 2`, params,
    ) as { gi_id: string; organization_id: string; period: string; unit: string; batches: number; amount: string }[];
    const refusals = await this.dataSource.query(
      `SELECT gi_id, organization_id, to_char(produced_on, $3) AS period, reason, count(*)::int AS attempts
         FROM gi_claim_refusals WHERE produced_on BETWEEN $1 AND $2${scope}
        GROUP BY 1, 2, 3, 4 ORDER BY 3, 1, 2, 4`, params,
    ) as { gi_id: string; organization_id: string; period: string; reason: string; attempts: number }[];
    const gis = new Map((await this.records.findBy({ id: In([...new Set([...claims, ...refusals].map((r) => r.gi_id))]) }))
      .map((g) => [g.id, { id: g.id, productName: g.productName, registrationNumber: g.registrationNumber, regime: g.regime }]));
    const orgs = await this.organizationsById([...claims, ...refusals].map((r) => r.organization_id));
    const orgView = (id: string) => ({ id, name: orgs.get(id)?.name ?? null, uscc: orgs.get(id)?.uscc ?? null });
    const q3 = (amount: Decimal, unit: string) => ({ value: formatDecimal(amount), unit });

    const byGi = new Map<string, { gi: unknown; period: string; batches: number; amount: Decimal; unit: string }>();
    for (const c of claims) {
      const key = `${c.gi_id}|${c.period}|${c.unit}`;
      const row = byGi.get(key) ?? { gi: gis.get(c.gi_id), period: c.period, batches: 0, amount: ZERO, unit: c.unit };
      row.batches += c.batches;
      row.amount = row.amount.plus(decimal(c.amount));
      byGi.set(key, row);
    }
    return {
      from: q.from,
      to: q.to,
      period,
      claimsByGi: [...byGi.values()].map((r) => ({ gi: r.gi, period: r.period, batches: r.batches, quantity: q3(r.amount, r.unit) })),
      claimsByUser: claims.map((c) => ({
        gi: gis.get(c.gi_id), organization: orgView(c.organization_id), period: c.period, batches: c.batches,
        quantity: q3(decimal(c.amount), c.unit),
      })),
      refusals: refusals.map((r) => ({ gi: gis.get(r.gi_id), organization: orgView(r.organization_id), period: r.period, reason: r.reason, attempts: r.attempts })),
    };
  }

  // ---- scan page --------------------------------------------------------------------------

  /** The GI a batch claims, as the consumer page shows it; null when it claims none. */
  async scanFacts(batchId: string): Promise<GiScanFacts | null> {
    const [row] = await this.dataSource.query(
      `SELECT g.product_name, g.regime, g.registration_number, g.holder_uscc, g.holder_name, g.china_eu, g.status,
              to_char(g.revoked_on, 'YYYY-MM-DD') AS gi_revoked_on,
              to_char(a.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(a.valid_to, 'YYYY-MM-DD') AS valid_to,
              a.status AS auth_status, to_char(a.revoked_on, 'YYYY-MM-DD') AS auth_revoked_on
         FROM gi_claims c JOIN gi_records g ON g.id = c.gi_id JOIN gi_authorisations a ON a.id = c.authorisation_id
        WHERE c.batch_id = $1`, [batchId],
    ) as Record<string, string | boolean | null>[];
    if (!row) return null;
    const today = todayInChina();
    const validTo = row.valid_to as string | null;
    const revoked = row.auth_status === 'revoked';
    const state = revoked ? 'revoked' : validTo !== null && validTo < today ? 'ended' : 'authorised';
    const regime = row.regime as GiRegime;
    return {
      name: row.product_name as string,
      regime,
      regimeName: GI_REGIME_NAMES[regime],
      registrationNumber: row.registration_number as string,
      holder: { uscc: row.holder_uscc as string, name: row.holder_name as string | null },
      chinaEu: row.china_eu as boolean,
      status: row.status as GiStatus,
      revokedOn: row.gi_revoked_on as string | null,
      authorisedUser: {
        state,
        validFrom: row.valid_from as string,
        validTo,
        endedOn: revoked ? (row.auth_revoked_on as string) : state === 'ended' ? validTo : null,
      },
    };
  }

  // ---- helpers ----------------------------------------------------------------------------

  async find(id: string): Promise<GiRecord> {
    const gi = isUuid(id) ? await this.records.findOneBy({ id }) : null;
    if (!gi) throw new DomainError('NOT_FOUND', 'Geographical indication not found');
    return gi;
  }

  /** The authorisation, locked; one of an organisation outside a regulator's region is "not found". */
  private async lockAuthorisation(actor: Actor, m: EntityManager, giId: string, authId: string): Promise<GiAuthorisation> {
    const auth = isUuid(authId)
      ? await m.createQueryBuilder(GiAuthorisation, 'a').setLock('pessimistic_write').where('a.id = :id AND a.gi_id = :gi', { id: authId, gi: giId }).getOne()
      : null;
    const org = auth ? (await this.organizationsById([auth.organizationId])).get(auth.organizationId) : undefined;
    if (!auth || !org || !mayAuthorise(actor, org)) throw new DomainError('NOT_FOUND', 'Authorisation not found');
    return auth;
  }

  /** The organisation to authorise, by id or USCC; one outside a regulator's region is "not found". */
  async resolveOrganization(actor: Actor, organizationId?: string, uscc?: string): Promise<OrganizationIdentity> {
    if (!organizationId && !uscc) {
      throw new DomainError('VALIDATION_FAILED', 'Give organizationId or uscc', { field: 'organizationId', rule: 'required' });
    }
    const normalizedUscc = uscc ? parseUscc(uscc, { acceptFailedChecks: true }).value : undefined;
    const [org] = await this.organizations.identities({ ids: organizationId ? [organizationId] : [], usccs: normalizedUscc ? [normalizedUscc] : [] });
    if (!org || !mayAuthorise(actor, org) || (organizationId && org.id !== organizationId) || (normalizedUscc && org.uscc !== normalizedUscc)) {
      throw new DomainError('NOT_FOUND', 'Organisation not found', { field: organizationId ? 'organizationId' : 'uscc' });
    }
    return org;
  }

  /** Organisations keyed by id and by USCC, for rows that name them either way. */
  async organizationsByAny(ids: string[], usccs: string[]): Promise<Map<string, OrganizationIdentity>> {
    const found = await this.organizations.identities({ ids: [...new Set(ids)], usccs: [...new Set(usccs)] });
    const map = new Map<string, OrganizationIdentity>();
    for (const o of found) {
      map.set(o.id, o);
      if (o.uscc) map.set(o.uscc, o);
    }
    return map;
  }

  async organizationsById(ids: string[]): Promise<Map<string, OrganizationIdentity>> {
    const unique = [...new Set(ids)];
    return new Map((await this.organizations.identities({ ids: unique })).map((o) => [o.id, o]));
  }

  /** GI product names by record id, for reports that label figures (unknown ids are absent). */
  async productNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)].filter(isUuid);
    const rows = unique.length ? await this.records.find({ where: { id: In(unique) }, select: { id: true, productName: true } }) : [];
    return new Map(rows.map((g) => [g.id, g.productName]));
  }

  /** Cached scan pages of the batches that claim this GI (or rest on this authorisation) refresh. */
  async announceClaimsChanged(where: { giId?: string; authorisationId?: string }): Promise<void> {
    const rows = await this.dataSource.query(
      where.giId ? 'SELECT batch_id FROM gi_claims WHERE gi_id = $1' : 'SELECT batch_id FROM gi_claims WHERE authorisation_id = $1',
      [where.giId ?? where.authorisationId],
    ) as { batch_id: string }[];
    announceBatchChanged(null, rows.map((r) => r.batch_id));
  }
}

/**
 * Serialises writers of a GI's authorisations (create, change, import) so overlap checks cannot
 * race. A transaction-level advisory lock rather than a lock on the GI row: claims hold the GI row
 * FOR SHARE and the producer's authorisation rows FOR UPDATE, and a writer holding the GI row
 * while updating authorisation rows could deadlock with them.
 */
export async function lockAuthorisationWriters(m: EntityManager, giIds: string[]): Promise<void> {
  for (const id of [...new Set(giIds)].sort()) await m.query("SELECT pg_advisory_xact_lock(hashtext('gi-authorisations:' || $1))", [id]);
}

/** Regulators write GI records whose protected area lies inside their region; admins write any. */
export function assertMayWriteArea(actor: Actor, areaCodes: string[]): void {
  if (mayWriteArea(actor, areaCodes)) return;
  throw new DomainError('FORBIDDEN', actor.role === 'regulator'
    ? "A regulator writes only GI records whose protected area lies inside its region"
    : 'Only regulators and admins write GI records', { field: 'areaCodes', rule: 'jurisdiction' });
}

/** Whether this actor may write (revoke, authorise users of) a GI record with this protected area. */
export function mayWriteArea(actor: Actor, areaCodes: string[]): boolean {
  return isAdmin(actor) || (actor.role === 'regulator' && !!actor.regionCode && areaCodes.every((code) => isWithinRegion(code, actor.regionCode!)));
}

export function mayAuthorise(actor: Actor, org: { regionCode: string }): boolean {
  return isAdmin(actor) || (actor.role === 'regulator' && !!actor.regionCode && isWithinRegion(org.regionCode, actor.regionCode));
}

/** A producer's authorisation periods for one GI must not share a day (a revoked one ends the day before its revocation). */
export function assertNoOverlap(existing: ClaimAuthorisation[], terms: AuthorisationTerms, ignoreId: string | null): void {
  const clash = existing.find((a) => a.id !== ignoreId && periodsOverlap({ from: a.validFrom, to: effectiveEnd(a) }, { from: terms.validFrom, to: terms.validTo })
    && !(a.status === 'revoked' && a.revokedOn !== null && a.revokedOn <= a.validFrom));
  if (clash) {
    throw new DomainError('GI_AUTHORISATION_OVERLAP', `This organisation is already authorised from ${clash.validFrom} to ${effectiveEnd(clash) ?? 'open end'}`, {
      field: 'validFrom', rule: 'no_overlap', existing: { id: clash.id, validFrom: clash.validFrom, validTo: effectiveEnd(clash) },
    });
  }
}

/** Changing an authorisation must keep its existing claims valid: inside the period and within the quota of each year. */
export async function assertClaimsFit(m: EntityManager, authId: string, terms: AuthorisationTerms): Promise<void> {
  const rows = await m.query(
    `SELECT year, base_unit AS unit, sum(base_amount)::text AS amount, to_char(max(produced_on), 'YYYY-MM-DD') AS last_day
       FROM gi_claims WHERE authorisation_id = $1 GROUP BY 1, 2`, [authId],
  ) as { year: number; unit: string; amount: string; last_day: string }[];
  const lastDay = rows.reduce((max, r) => (r.last_day > max ? r.last_day : max), '');
  if (terms.validTo !== null && lastDay && lastDay > terms.validTo) {
    throw new DomainError('GI_AUTHORISATION_HAS_CLAIMS', `Batches produced up to ${lastDay} already claim under this authorisation`, {
      field: 'validTo', rule: 'covers_claims', lastClaimedDay: lastDay,
    });
  }
  if (!terms.yearlyQuota) return;
  const quota = amountOf(terms.yearlyQuota);
  for (const r of rows) {
    if (r.unit !== baseUnitOf(quota.dimension)) {
      throw new DomainError('GI_QUOTA_UNIT_MISMATCH', `Existing claims are counted in ${r.unit}; the quota cannot be in ${terms.yearlyQuota.unit}`, {
        field: 'yearlyQuota.unit', rule: 'comparable_unit',
      });
    }
    const claimed = decimal(r.amount);
    if (claimed.gt(quota.value)) {
      throw new DomainError('GI_QUOTA_BELOW_CLAIMED', `${r.year} already has ${formatDecimal(claimed)} ${r.unit} claimed, more than the new quota`, {
        field: 'yearlyQuota.value', rule: 'not_below_claimed', year: r.year, claimed: { value: formatDecimal(claimed), unit: r.unit },
      });
    }
  }
}

function toGiView(g: GiRecord): GiView {
  return {
    id: g.id,
    regime: g.regime,
    regimeName: GI_REGIME_NAMES[g.regime],
    registrationNumber: g.registrationNumber,
    productName: g.productName,
    holder: { uscc: g.holderUscc, name: g.holderName },
    protectedArea: {
      codes: g.areaCodes.map((code) => ({ code, name: findRegion(code)?.fullName ?? code })),
      text: g.areaText,
      boundingBox: g.boundingBox,
    },
    specReference: g.specReference,
    announcementNumber: g.announcementNumber,
    announcedOn: g.announcedOn,
    chinaEu: g.chinaEu,
    status: g.status,
    revokedOn: g.revokedOn,
    revokedReason: g.revokedReason,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

function toAuthorisationView(a: GiAuthorisation, org: OrganizationIdentity | undefined): AuthorisationView {
  const quota = toClaimAuthorisation(a).yearlyQuota;
  return {
    id: a.id,
    giId: a.giId,
    organization: { id: a.organizationId, name: org?.name ?? '', uscc: org?.uscc ?? null },
    validFrom: a.validFrom,
    validTo: a.validTo,
    yearlyQuota: quota,
    status: a.status,
    revokedOn: a.revokedOn,
    revokedReason: a.revokedReason,
    createdAt: a.createdAt.toISOString(),
  };
}

