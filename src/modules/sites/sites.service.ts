import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { Actor, canRead, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { findRegion, requireRegion } from '../regions/domain';
import { CreateSiteDto } from './dto/create-site.dto';
import { Site } from './site.entity';

export interface SiteView {
  id: string;
  organizationId: string;
  name: string;
  regionCode: string;
  regionName: string;
  address: string | null;
  location: { lat: number; lng: number } | null;
  createdAt: string;
}

@Injectable()
export class SitesService {
  constructor(@InjectRepository(Site) private readonly sites: Repository<Site>) {}

  async create(actor: Actor, dto: CreateSiteDto): Promise<SiteView> {
    const organizationId = requireOwnOrganization(actor);
    const region = requireRegion(dto.regionCode);
    const saved = await this.sites.save(this.sites.create({
      organizationId,
      name: dto.name.trim(),
      regionCode: region.code,
      address: dto.address ?? null,
      lat: dto.location ? String(dto.location.lat) : null,
      lng: dto.location ? String(dto.location.lng) : null,
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
    };
    await this.sites.save({ ...site, ...changes }); // save, not update by criteria: the audit entry names the site
    return toSiteView({ ...site, ...changes });
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
    createdAt: s.createdAt.toISOString(),
  };
}
