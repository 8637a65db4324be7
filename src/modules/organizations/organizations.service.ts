import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { idNumberHmac, maskIdNumber, normalizeCompanyPrefix, normalizeGln, parseChineseIdNumber, parseUscc } from '../../../libs/codes';
import { DomainError, isDomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../common/db-errors';
import { Actor, canRead, isAdmin, regulatorPrefix, ApiKeysService, CreatedKey } from '../auth';
import type { KeyRole } from '../auth';
import { findRegion, isWithinRegion, requireRegion } from '../regions/domain';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { Organization, UsccStatus } from './organization.entity';
import { repositoryIn } from '../../common/read-replica';

export interface OrganizationView {
  id: string;
  name: string;
  kind: string;
  uscc: string | null;
  usccStatus: UsccStatus;
  idNumberMasked?: string | null;
  regionCode: string;
  regionName: string;
  address: string | null;
  gln: string | null;
  gs1CompanyPrefix: string | null;
  contact: Organization['contact'];
  createdAt: string;
}

/** What other features may know about an organisation (they never see the entity). */
export interface OrganizationSummary {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
  /** Printed on documents the organisation issues (certificates); never shown on scan pages. */
  contact: Organization['contact'];
}

/** What documents naming a party print about it. */
export interface PartyDetails {
  id: string;
  name: string;
  address: string | null;
  gln: string | null;
  regionCode: string;
  phone: string | null;
}

/** A summary with the USCC, for features that match organisations by USCC (GI authorised users). */
export interface OrganizationIdentity extends Omit<OrganizationSummary, 'contact'> {
  uscc: string | null;
}

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectRepository(Organization) private readonly orgs: Repository<Organization>,
    private readonly apiKeys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateOrganizationDto): Promise<OrganizationView> {
    const region = requireRegion(dto.regionCode);
    this.assertMayRegister(actor, region.code);
    const org = this.orgs.create({
      name: dto.name.trim(),
      kind: dto.kind,
      regionCode: region.code,
      address: dto.address ?? null,
      contact: { ...dto.contact },
      gln: dto.gln ? normalizeGln(dto.gln) : null,
      gs1CompanyPrefix: dto.gs1CompanyPrefix ? normalizeCompanyPrefix(dto.gs1CompanyPrefix) : null,
      ...this.identify(actor, dto),
    });
    try {
      return this.view(await this.orgs.save(org));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_organizations_uscc')) {
        throw new DomainError('DUPLICATE_USCC', 'An organisation with this USCC is already registered', { field: 'uscc', rule: 'unique' });
      }
      if (isUniqueViolation(error, 'uq_organizations_gln')) {
        throw new DomainError('CONFLICT', 'Another organisation has this GLN', { field: 'gln', rule: 'unique' });
      }
      throw error;
    }
  }

  async get(actor: Actor, id: string): Promise<OrganizationView> {
    return this.view(await this.findReadable(actor, id));
  }

  async list(actor: Actor, limit = 50, cursor?: string): Promise<Page<OrganizationView>> {
    const qb = this.orgs.createQueryBuilder('o');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('o.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('o.id = :id', { id: actor.organizationId });
    return listPage(qb, 'o', limit, cursor, (o) => this.view(o));
  }

  /** Used by other features to check ownership and show producer names. */
  async summary(id: string, reader?: EntityManager): Promise<OrganizationSummary | null> {
    const org = await repositoryIn(this.orgs, reader).findOne({ where: { id }, select: { id: true, name: true, kind: true, regionCode: true, contact: true } });
    return org ? { id: org.id, name: org.name, kind: org.kind, regionCode: org.regionCode, contact: org.contact } : null;
  }

  /** Organisations by id or by USCC, in one query (bulk imports). Unknown ones are simply absent. */
  async identities(query: { ids?: string[]; usccs?: string[] }): Promise<OrganizationIdentity[]> {
    const ids = (query.ids ?? []).filter(isUuid);
    const usccs = query.usccs ?? [];
    if (ids.length === 0 && usccs.length === 0) return [];
    const rows = await this.orgs.createQueryBuilder('o')
      .select(['o.id', 'o.name', 'o.kind', 'o.regionCode', 'o.uscc'])
      .where('o.id = ANY(:ids) OR o.uscc = ANY(:usccs)', { ids, usccs })
      .getMany();
    return rows.map((o) => ({ id: o.id, name: o.name, kind: o.kind, regionCode: o.regionCode, uscc: o.uscc }));
  }

  /**
   * Regulator organisations whose jurisdiction covers this region (county, 市(州) and province).
   * Pass the caller's transaction manager when calling inside a transaction (embedded PGlite has
   * a single connection).
   */
  async regulatorIdsCovering(regionCode: string, manager: EntityManager = this.orgs.manager): Promise<string[]> {
    const scopes = [...new Set([regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`])];
    const rows = await manager.find(Organization, { where: { kind: 'regulator', regionCode: In(scopes) }, select: { id: true, regionCode: true } });
    return rows.filter((r) => isWithinRegion(regionCode, r.regionCode)).map((r) => r.id);
  }

  /**
   * The regulator closest to a place: the county's, else its 市(州)'s, else the province's (a market
   * gate's confirmatory sample is issued in its name). Null when none is registered.
   */
  async nearestRegulator(regionCode: string, manager: EntityManager = this.orgs.manager): Promise<string | null> {
    const scopes = [regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`];
    const rows = await manager.find(Organization, { where: { kind: 'regulator', regionCode: In(scopes) }, select: { id: true, regionCode: true }, order: { createdAt: 'ASC' } });
    return scopes.map((scope) => rows.find((r) => r.regionCode === scope)).find((r) => !!r)?.id ?? null;
  }

  /** The testing labs on the platform (a sampling plan's or a sample's lab is chosen among them), by name. */
  async labs(limit = 200): Promise<OrganizationSummary[]> {
    const rows = await this.orgs.find({ where: { kind: 'lab' }, select: { id: true, name: true, kind: true, regionCode: true, contact: true }, order: { name: 'ASC' }, take: limit });
    return rows.map((o) => ({ id: o.id, name: o.name, kind: o.kind, regionCode: o.regionCode, contact: o.contact }));
  }

  /** A testing lab near a place: in the county, else the 市(州), else the province. Null when none. */
  async nearestLab(regionCode: string, manager: EntityManager = this.orgs.manager): Promise<string | null> {
    const [row] = await manager.query(
      `SELECT id FROM organizations WHERE kind = 'lab' AND region_code LIKE $2
        ORDER BY (region_code = $1) DESC, (left(region_code, 4) = left($1, 4)) DESC, created_at, id LIMIT 1`,
      [regionCode, `${regionCode.slice(0, 2)}%`]) as { id: string }[];
    return row?.id ?? null;
  }

  /** The GS1 company prefix of an organisation (null: none on record). */
  /** Every organisation of these kinds in a region (id and region; risk grading reads a province at once). */
  async inRegion(regionPrefix: string, kinds: readonly string[]): Promise<{ id: string; regionCode: string }[]> {
    return this.orgs.manager.query(
      'SELECT id, region_code AS "regionCode" FROM organizations WHERE region_code LIKE $1 AND kind = ANY($2::text[]) ORDER BY id',
      [`${regionPrefix}%`, [...kinds]],
    ) as Promise<{ id: string; regionCode: string }[]>;
  }

  async companyPrefix(id: string): Promise<string | null> {
    const org = isUuid(id) ? await this.orgs.findOne({ where: { id }, select: { id: true, gs1CompanyPrefix: true } }) : null;
    return org?.gs1CompanyPrefix ?? null;
  }

  /** Party GLNs of these organisations (those that have one), for EPCIS. */
  async glns(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)].filter(isUuid);
    if (unique.length === 0) return new Map();
    const rows = await this.orgs.createQueryBuilder('o').select(['o.id', 'o.gln']).where('o.id IN (:...ids)', { ids: unique }).andWhere('o.gln IS NOT NULL').getMany();
    return new Map(rows.map((r) => [r.id, r.gln!]));
  }

  /**
   * Name, address, GLN and phone of several organisations (logistic labels, FSMA 204 and EU 931/2011
   * records name parties with their addresses). Unknown ids are absent.
   */
  async parties(ids: string[], reader?: EntityManager): Promise<Map<string, PartyDetails>> {
    const unique = [...new Set(ids)].filter(isUuid);
    const rows = unique.length
      ? await repositoryIn(this.orgs, reader).find({ where: { id: In(unique) }, select: { id: true, name: true, address: true, gln: true, regionCode: true, contact: true } })
      : [];
    return new Map(rows.map((o) => [o.id, { id: o.id, name: o.name, address: o.address, gln: o.gln, regionCode: o.regionCode, phone: o.contact?.phone ?? null }]));
  }

  /** Summaries of several organisations at once (other features show names in lists and reports). */
  async summaries(ids: string[]): Promise<Map<string, OrganizationSummary>> {
    const unique = [...new Set(ids)].filter(isUuid);
    const rows = unique.length
      ? await this.orgs.find({ where: { id: In(unique) }, select: { id: true, name: true, kind: true, regionCode: true, contact: true } })
      : [];
    return new Map(rows.map((o) => [o.id, { id: o.id, name: o.name, kind: o.kind, regionCode: o.regionCode, contact: o.contact }]));
  }

  async createApiKey(actor: Actor, orgId: string, role: KeyRole, label?: string): Promise<CreatedKey> {
    const org = await this.findReadable(actor, orgId);
    if (!isAdmin(actor) && !(actor.role === 'org_admin' && actor.organizationId === org.id)) {
      throw new DomainError('FORBIDDEN', 'Only a platform admin or this organisation\'s org_admin can create its keys');
    }
    return this.apiKeys.create(org, role, label, actor);
  }

  async listApiKeys(actor: Actor, orgId: string) {
    const org = await this.findReadable(actor, orgId);
    if (!isAdmin(actor) && !(actor.role === 'org_admin' && actor.organizationId === org.id)) {
      throw new DomainError('FORBIDDEN', 'Only a platform admin or this organisation\'s org_admin can list its keys');
    }
    const keys = await this.apiKeys.list(org.id);
    return keys.map((k) => ({
      id: k.id, role: k.role, label: k.label, tokenPrefix: k.tokenPrefix,
      createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null,
    }));
  }

  async revokeApiKey(actor: Actor, orgId: string, keyId: string): Promise<void> {
    const org = await this.findReadable(actor, orgId);
    if (!isAdmin(actor) && !(actor.role === 'org_admin' && actor.organizationId === org.id)) {
      throw new DomainError('FORBIDDEN', 'Only a platform admin or this organisation\'s org_admin can revoke its keys');
    }
    await this.apiKeys.revoke(org.id, keyId);
  }

  private async findReadable(actor: Actor, id: string): Promise<Organization> {
    const org = isUuid(id) ? await this.orgs.findOneBy({ id }) : null;
    if (!org || !canRead(actor, org.id, [org.regionCode])) {
      throw new DomainError('NOT_FOUND', 'Organisation not found');
    }
    return org;
  }

  private assertMayRegister(actor: Actor, regionCode: string): void {
    if (isAdmin(actor)) return;
    if (actor.role === 'regulator' && actor.regionCode && isWithinRegion(regionCode, actor.regionCode)) return;
    if (actor.role === 'regulator') {
      throw new DomainError('FORBIDDEN', 'A regulator registers organisations only inside its own region', {
        field: 'regionCode', rule: 'jurisdiction',
      });
    }
    throw new DomainError('FORBIDDEN', 'Only a platform admin or a regulator registers organisations');
  }

  /** USCC for every kind but individual farmers; ID number (protected) for farmers. */
  private identify(actor: Actor, dto: CreateOrganizationDto): Partial<Organization> {
    if (dto.kind === 'individual') {
      if (dto.uscc) throw new DomainError('VALIDATION_FAILED', 'uscc: individual farmers have no USCC; use idNumber', { field: 'uscc', rule: 'not_for_individuals' });
      if (!dto.idNumber) return { uscc: null, usccStatus: 'none', usccOverride: null, idNumberHmac: null, idNumberMasked: null };
      const idNumber = parseChineseIdNumber(dto.idNumber);
      return {
        uscc: null,
        usccStatus: 'none',
        usccOverride: null,
        idNumberHmac: idNumberHmac(this.config.secretKey, idNumber),
        idNumberMasked: maskIdNumber(idNumber),
      };
    }
    if (dto.idNumber) throw new DomainError('VALIDATION_FAILED', 'idNumber: only individual farmers are identified by ID number', { field: 'idNumber', rule: 'only_for_individuals' });
    if (!dto.uscc) throw new DomainError('VALIDATION_FAILED', `uscc: required for kind ${dto.kind}`, { field: 'uscc', rule: 'required' });
    try {
      return { uscc: parseUscc(dto.uscc).value, usccStatus: 'valid', usccOverride: null };
    } catch (error) {
      const checkFailed = isDomainError(error) && ['check_character', 'org_code_check'].includes(String(error.details?.rule));
      if (!dto.usccOverride || !checkFailed) throw error;
      if (!isAdmin(actor)) throw new DomainError('FORBIDDEN', 'Only a platform admin can accept a USCC that fails the check', { field: 'usccOverride', rule: 'admin_only' });
      return {
        uscc: dto.uscc.trim().toUpperCase(),
        usccStatus: 'override',
        usccOverride: { reason: dto.usccOverride.reason, by: actor.apiKeyId ?? 'admin', at: new Date().toISOString() },
      };
    }
  }

  private view(org: Organization): OrganizationView {
    return {
      id: org.id,
      name: org.name,
      kind: org.kind,
      uscc: org.uscc,
      usccStatus: org.usccStatus,
      ...(org.kind === 'individual' ? { idNumberMasked: org.idNumberMasked } : {}),
      regionCode: org.regionCode,
      regionName: findRegion(org.regionCode)?.fullName ?? org.regionCode,
      address: org.address,
      gln: org.gln ?? null,
      gs1CompanyPrefix: org.gs1CompanyPrefix ?? null,
      contact: org.contact,
      createdAt: org.createdAt.toISOString(),
    };
  }
}
