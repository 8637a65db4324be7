import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { normalizeGln } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { isUniqueViolation } from '../../common/db-errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { Actor, canRead, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { findRegion, requireRegion } from '../regions/domain';
import { CreateSiteDto } from './dto/create-site.dto';
import { Site } from './site.entity';
import { repositoryIn } from '../../common/read-replica';

export interface SiteView {
  id: string;
  organizationId: string;
  name: string;
  regionCode: string;
  regionName: string;
  address: string | null;
  location: { lat: number; lng: number } | null;
  gln: string | null;
  createdAt: string;
}

@Injectable()
export class SitesService {
  constructor(@InjectRepository(Site) private readonly sites: Repository<Site>) {}

  async create(actor: Actor, dto: CreateSiteDto): Promise<SiteView> {
    const organizationId = requireOwnOrganization(actor);
    const region = requireRegion(dto.regionCode);
    const saved = await this.saveUniqueGln(this.sites.create({
      organizationId,
      name: dto.name.trim(),
      regionCode: region.code,
      address: dto.address ?? null,
      lat: dto.location ? String(dto.location.lat) : null,
      lng: dto.location ? String(dto.location.lng) : null,
      gln: dto.gln ? normalizeGln(dto.gln) : null,
    }));
    return toSiteView(saved);
  }

  /**
   * Edits a site of the caller's own organisation: name, address, location. The region stays: the
   * site's batches carry it (regulators' jurisdiction), so a site in another county is a new site.
   */
  async update(actor: Actor, id: string, dto: CreateSiteDto): Promise<SiteView> {
    const organizationId = requireOwnOrganization(actor);
    const site = isUuid(id) ? await this.sites.findOneBy({ id, organizationId }) : null;
    if (!site) throw new DomainError('NOT_FOUND', 'Site not found');
    if (dto.regionCode !== site.regionCode) {
      throw new DomainError('SITE_REGION_FIXED', 'A site keeps its region; create a new site for another county', { field: 'regionCode', rule: 'unchanged' });
    }
    const changes = {
      name: dto.name.trim(), address: dto.address ?? null,
      lat: dto.location ? String(dto.location.lat) : null, lng: dto.location ? String(dto.location.lng) : null,
      // Absent keeps the GLN (the console's form does not show it yet); an empty string clears it.
      gln: dto.gln === undefined ? site.gln : dto.gln ? normalizeGln(dto.gln) : null,
    };
    await this.saveUniqueGln({ ...site, ...changes }); // save, not update by criteria: the audit entry names the site
    return toSiteView({ ...site, ...changes });
  }

  /** A GLN names one location: another site holding it is a 409. */
  private async saveUniqueGln(site: Site): Promise<Site> {
    try {
      return await this.sites.save(site);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_sites_gln')) throw new DomainError('CONFLICT', 'Another site has this GLN', { field: 'gln', rule: 'unique' });
      throw error;
    }
  }

  /** GLNs of these sites (those that have one), for EPCIS. */
  async glns(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)].filter(isUuid);
    if (unique.length === 0) return new Map();
    const rows = await this.sites.createQueryBuilder('s').select(['s.id', 's.gln']).where('s.id IN (:...ids)', { ids: unique }).andWhere('s.gln IS NOT NULL').getMany();
    return new Map(rows.map((r) => [r.id, r.gln!]));
  }

  async get(actor: Actor, id: string): Promise<SiteView> {
    return toSiteView(await this.findReadable(actor, id));
  }

  /** A site is visible to its owner and to regulators whose region holds it. */
  async findReadable(actor: Actor, id: string, field = 'siteId'): Promise<Site> {
    const site = isUuid(id) ? await this.sites.findOneBy({ id }) : null;
    if (!site || !canRead(actor, site.organizationId, [site.regionCode])) {
      throw new DomainError('NOT_FOUND', 'Site not found', { field });
    }
    return site;
  }

  /** Internal lookup for public views (scan pages); no access check. */
  async byId(id: string): Promise<SiteView | null> {
    const site = isUuid(id) ? await this.sites.findOneBy({ id }) : null;
    return site ? toSiteView(site) : null;
  }

  /** Internal lookup of several sites at once (documents naming locations with their addresses); no access check. */
  async byIds(ids: string[], reader?: EntityManager): Promise<Map<string, SiteView>> {
    const unique = [...new Set(ids)].filter(isUuid);
    const rows = unique.length ? await repositoryIn(this.sites, reader).findBy({ id: In(unique) }) : [];
    return new Map(rows.map((r) => [r.id, toSiteView(r)]));
  }

  async list(actor: Actor, limit = 50, cursor?: string): Promise<Page<SiteView>> {
    const qb = this.sites.createQueryBuilder('s');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('s.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('s.organization_id = :org', { org: actor.organizationId });
    return listPage(qb, 's', limit, cursor, toSiteView);
  }
}

function toSiteView(s: Site): SiteView {
  return {
    id: s.id,
    organizationId: s.organizationId,
    name: s.name,
    regionCode: s.regionCode,
    regionName: findRegion(s.regionCode)?.fullName ?? s.regionCode,
    address: s.address,
    location: s.lat !== null && s.lng !== null ? { lat: Number(s.lat), lng: Number(s.lng) } : null,
    gln: s.gln ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}
