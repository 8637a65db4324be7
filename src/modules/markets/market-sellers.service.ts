import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { generateTraceCode, idNumberHmac, maskIdNumber, parseChineseIdNumber, parseUscc } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { LABEL_LAYOUTS, type LabelLayout, qrSvg, renderLabelsPdf } from '../../../libs/labels';
import { isUniqueViolation } from '../../common/db-errors';
import { todayInChina } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { Page, pageRows, toPage } from '../../common/pagination';
import { likeEscape } from '../../common/sql-like';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, canRead, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { OrganizationsService, OrganizationSummary } from '../organizations';
import { requireRegion } from '../regions/domain';
import { normalizePlate, sellerRetainUntil } from './domain/gate-input';
import { CreateSellerDto, CreateStallDto, ListSellersDto, StopSellerDto } from './dto/market.dto';
import { MarketSeller } from './market-seller.entity';
import { MarketStall } from './market-stall.entity';

export interface SellerView {
  id: string;
  marketId: string;
  name: string;
  kind: 'business' | 'individual';
  uscc: string | null;
  idNumberMasked: string | null;
  contact: MarketSeller['contact'];
  address: string | null;
  products: string[];
  supplyChannels: string[];
  origins: string[];
  originRegionCode: string | null;
  vehiclePlates: string[];
  status: string;
  stoppedOn: string | null;
  retainUntil: string | null;
  createdAt: string;
}

/** What the gate needs of a seller. */
export type GateSeller = Pick<MarketSeller, 'id' | 'originRegionCode' | 'origins'>;

export interface StallView {
  id: string;
  marketId: string;
  number: string;
  code: string;
  publicUrl: string;
  sellerId: string | null;
  createdAt: string;
}

/**
 * The market's files: 入场销售者档案 (sellers) and stalls. Written by the market's own org_admin
 * and operators; read also by the regulators of the market's region.
 */
const MARKET_SUMMARY_TTL_MS = 30_000;

@Injectable()
export class MarketSellersService {
  private readonly summaries = new Map<string, { summary: OrganizationSummary; until: number }>();

  constructor(
    @InjectRepository(MarketSeller) private readonly sellers: Repository<MarketSeller>,
    @InjectRepository(MarketStall) private readonly stalls: Repository<MarketStall>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The caller's market, or 403 MARKET_REQUIRED (sellers and gates exist only at markets). */
  async requireMarket(actor: Actor): Promise<OrganizationSummary> {
    const id = requireOwnOrganization(actor);
    const org = await this.marketSummary(id);
    if (!org || org.kind !== 'market') {
      throw new DomainError('MARKET_REQUIRED', 'Only an organisation of kind market keeps sellers, stalls and gate entries');
    }
    return org;
  }

  /**
   * An organisation's summary, kept MARKET_SUMMARY_TTL_MS in this process: every gate check needs
   * it, and an organisation's kind and region do not change (a new name shows after the TTL).
   */
  private async marketSummary(id: string): Promise<OrganizationSummary | null> {
    const cached = this.summaries.get(id);
    if (cached && cached.until > Date.now()) return cached.summary;
    const summary = await this.organizations.summary(id);
    if (this.summaries.size >= 1000) this.summaries.clear();
    if (summary) this.summaries.set(id, { summary, until: Date.now() + MARKET_SUMMARY_TTL_MS });
    return summary;
  }

  async create(actor: Actor, dto: CreateSellerDto): Promise<SellerView> {
    const market = await this.requireMarket(actor);
    const seller = this.sellers.create({
      organizationId: market.id, regionCode: market.regionCode, name: dto.name.trim(), kind: dto.kind, ...this.identify(dto),
      contact: { ...dto.contact }, address: dto.address?.trim() || null,
      products: clean(dto.products), supplyChannels: clean(dto.supplyChannels), origins: clean(dto.origins),
      originRegionCode: dto.originRegionCode ? requireRegion(dto.originRegionCode, 'originRegionCode').code : null,
      vehiclePlates: [...new Set((dto.vehiclePlates ?? []).map((p, i) => normalizePlate(p, `vehiclePlates[${i}]`)))],
      status: 'active', stoppedOn: null, retainUntil: null,
    });
    try {
      return this.view(await this.dataSource.transaction((m) => m.save(seller)));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_market_sellers_uscc') || isUniqueViolation(error, 'uq_market_sellers_id_number')) {
        throw new DomainError('SELLER_DUPLICATE', 'This seller is already on file at this market', { field: dto.kind === 'business' ? 'uscc' : 'idNumber', rule: 'unique' });
      }
      throw error;
    }
  }

  async get(actor: Actor, id: string): Promise<SellerView> {
    return this.view(await this.findReadable(actor, id));
  }

  /** Own sellers (a regulator: its region's markets'); `q` matches a name part or a plate. */
  async list(actor: Actor, query: ListSellersDto): Promise<Page<SellerView>> {
    const qb = this.sellers.createQueryBuilder('s');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('s.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('s.organization_id = :org', { org: actor.organizationId });
    const q = query.q?.trim();
    if (q) {
      const plate = q.normalize('NFKC').toUpperCase().replace(/[\s.·-]/g, '');
      qb.andWhere("(s.name ILIKE :name ESCAPE '\\' OR :plate = ANY(s.vehicle_plates))", { name: `%${likeEscape(q)}%`, plate });
    }
    const limit = query.limit ?? 50;
    return toPage(await pageRows(qb, 's', limit, query.cursor), limit, (s) => this.view(s));
  }

  /** The seller stops selling here: the file is kept until the retention date. */
  async stop(actor: Actor, id: string, dto: StopSellerDto): Promise<SellerView> {
    const seller = await this.findWritable(actor, id);
    const stoppedOn = dto.stoppedOn ?? todayInChina();
    if (stoppedOn > todayInChina()) throw new DomainError('VALIDATION_FAILED', 'stoppedOn cannot be in the future', { field: 'stoppedOn', rule: 'not_future' });
    Object.assign(seller, { status: 'stopped', stoppedOn, retainUntil: sellerRetainUntil(stoppedOn, this.config.marketSellerRetentionMonths) });
    return this.view(await this.dataSource.transaction((m) => m.save(seller)));
  }

  /** Deleting a file: only for a stopped seller, and only after the retention period (RETENTION_PERIOD before). */
  async delete(actor: Actor, id: string): Promise<void> {
    const seller = await this.findWritable(actor, id);
    if (seller.status !== 'stopped' || !seller.retainUntil) {
      throw new DomainError('SELLER_ACTIVE', 'A seller still selling cannot be deleted; record that the seller stopped first');
    }
    if (todayInChina() <= seller.retainUntil) {
      throw new DomainError('RETENTION_PERIOD', `The seller file must be kept until ${seller.retainUntil} (at least ${this.config.marketSellerRetentionMonths} months after the seller stopped)`, {
        rule: 'retention', retainUntil: seller.retainUntil,
      });
    }
    await this.dataSource.transaction((m) => m.remove(seller));
  }

  /** An active seller of this market, in the gate's transaction (404 for another market's). */
  async activeSeller(m: EntityManager, marketId: string, id: string): Promise<MarketSeller> {
    const seller = isUuid(id) ? await m.findOneBy(MarketSeller, { id, organizationId: marketId }) : null;
    if (!seller) throw new DomainError('NOT_FOUND', 'Seller not found', { field: 'sellerId', rule: 'exists' });
    if (seller.status !== 'active') {
      throw new DomainError('SELLER_STOPPED', `The seller stopped selling here on ${seller.stoppedOn}`, { field: 'sellerId', rule: 'active_seller' });
    }
    return seller;
  }

  /**
   * The gate's one read of its files, in the entry's transaction: the active seller (404 for
   * another market's, SELLER_STOPPED) and the stall the lots go to — the one named (this market's),
   * else the seller's own first stall.
   */
  async gateSeller(m: EntityManager, marketId: string, sellerId: string, stallId: string | undefined): Promise<{ seller: GateSeller; stallId: string | null }> {
    if (!isUuid(sellerId)) throw new DomainError('NOT_FOUND', 'Seller not found', { field: 'sellerId', rule: 'exists' });
    const named = stallId !== undefined && isUuid(stallId) ? stallId : null;
    const { entities, raw } = await m.createQueryBuilder(MarketSeller, 's')
      .addSelect((sub) => sub.select('st.id').from(MarketStall, 'st')
        .where('st.organization_id = s.organization_id')
        .andWhere(named ? 'st.id = :stallId' : 'st.seller_id = s.id', named ? { stallId: named } : {})
        .orderBy('st.created_at', 'ASC').limit(1), 'gate_stall_id')
      .where('s.id = :sellerId AND s.organization_id = :marketId', { sellerId, marketId })
      .getRawAndEntities<{ gate_stall_id: string | null }>();
    const seller = entities[0];
    if (!seller) throw new DomainError('NOT_FOUND', 'Seller not found', { field: 'sellerId', rule: 'exists' });
    if (seller.status !== 'active') {
      throw new DomainError('SELLER_STOPPED', `The seller stopped selling here on ${seller.stoppedOn}`, { field: 'sellerId', rule: 'active_seller' });
    }
    const found = raw[0]?.gate_stall_id ?? null;
    if (stallId !== undefined && !found) throw new DomainError('NOT_FOUND', 'Stall not found', { field: 'stallId', rule: 'exists' });
    return { seller, stallId: found };
  }

  async createStall(actor: Actor, dto: CreateStallDto): Promise<StallView> {
    const market = await this.requireMarket(actor);
    if (dto.sellerId) await this.activeSeller(this.dataSource.manager, market.id, dto.sellerId);
    try {
      const saved = await this.dataSource.transaction((m) => m.save(m.create(MarketStall, {
        organizationId: market.id, regionCode: market.regionCode, number: dto.number, code: generateTraceCode(), sellerId: dto.sellerId ?? null,
      })));
      return this.stallView(saved);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_market_stalls_number')) throw new DomainError('STALL_NUMBER_TAKEN', `Stall ${dto.number} already exists at this market`, { field: 'number', rule: 'unique' });
      throw error;
    }
  }

  async listStalls(actor: Actor, query: { limit?: number; cursor?: string }): Promise<Page<StallView>> {
    const qb = this.stalls.createQueryBuilder('s');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('s.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('s.organization_id = :org', { org: actor.organizationId });
    const limit = query.limit ?? 50;
    return toPage(await pageRows(qb, 's', limit, query.cursor), limit, (s) => this.stallView(s));
  }

  /**
   * 一店一码 printable: the stall's QR (opening /s/{code}) as label PDF — a sheet of 40 on A4 to
   * cut, or roll labels for a thermal printer — or as SVG. The market's own stalls only.
   */
  async stallQr(actor: Actor, id: string, format: 'pdf' | 'svg', layout: string | undefined): Promise<Buffer | string> {
    const market = await this.requireMarket(actor);
    const stall = isUuid(id) ? await this.stalls.findOneBy({ id, organizationId: market.id }) : null;
    if (!stall) throw new DomainError('NOT_FOUND', 'Stall not found');
    const url = `${this.config.publicBaseUrl}/s/${stall.code}`;
    if (format === 'svg') return qrSvg(url);
    const chosen = (layout ?? 'a4-40') as LabelLayout;
    if (!Object.prototype.hasOwnProperty.call(LABEL_LAYOUTS, chosen)) {
      throw new DomainError('VALIDATION_FAILED', `layout must be one of ${Object.keys(LABEL_LAYOUTS).join(', ')}`, { field: 'layout', rule: 'label_layout' });
    }
    const copies = chosen === 'a4-40' ? 40 : 1;
    const label = { qrText: url, productName: `${stall.number} 号摊位 · 扫码查看今日商品`, lot: stall.number, date: todayInChina(), producer: market.name.slice(0, 200) };
    return renderLabelsPdf(Array.from({ length: copies }, () => label), chosen);
  }

  /** Public: a stall by its code (null when unknown). */
  stallByCode(code: string): Promise<MarketStall | null> {
    return /^[0-9A-Z]{13}$/.test(code) ? this.stalls.findOneBy({ code }) : Promise.resolve(null);
  }

  sellerById(id: string): Promise<MarketSeller | null> {
    return this.sellers.findOneBy({ id });
  }

  private identify(dto: CreateSellerDto): Pick<MarketSeller, 'uscc' | 'idNumberHmac' | 'idNumberMasked'> {
    if (dto.kind === 'business') {
      if (dto.idNumber) throw new DomainError('VALIDATION_FAILED', 'idNumber: a business is identified by its USCC', { field: 'idNumber', rule: 'only_for_individuals' });
      if (!dto.uscc) throw new DomainError('VALIDATION_FAILED', 'uscc: required for a business', { field: 'uscc', rule: 'required' });
      return { uscc: parseUscc(dto.uscc).value, idNumberHmac: null, idNumberMasked: null };
    }
    if (dto.uscc) throw new DomainError('VALIDATION_FAILED', 'uscc: an individual has no USCC; use idNumber', { field: 'uscc', rule: 'not_for_individuals' });
    if (!dto.idNumber) throw new DomainError('VALIDATION_FAILED', 'idNumber: required for an individual seller', { field: 'idNumber', rule: 'required' });
    const idNumber = parseChineseIdNumber(dto.idNumber);
    return { uscc: null, idNumberHmac: idNumberHmac(this.config.secretKey, idNumber), idNumberMasked: maskIdNumber(idNumber) };
  }

  private async findReadable(actor: Actor, id: string): Promise<MarketSeller> {
    const seller = isUuid(id) ? await this.sellers.findOneBy({ id }) : null;
    if (!seller || !canRead(actor, seller.organizationId, [seller.regionCode])) throw new DomainError('NOT_FOUND', 'Seller not found');
    return seller;
  }

  private async findWritable(actor: Actor, id: string): Promise<MarketSeller> {
    const market = await this.requireMarket(actor);
    const seller = isUuid(id) ? await this.sellers.findOneBy({ id, organizationId: market.id }) : null;
    if (!seller) throw new DomainError('NOT_FOUND', 'Seller not found');
    return seller;
  }

  view(s: MarketSeller): SellerView {
    return {
      id: s.id, marketId: s.organizationId, name: s.name, kind: s.kind, uscc: s.uscc, idNumberMasked: s.idNumberMasked, contact: s.contact,
      address: s.address, products: s.products, supplyChannels: s.supplyChannels, origins: s.origins, originRegionCode: s.originRegionCode,
      vehiclePlates: s.vehiclePlates, status: s.status, stoppedOn: s.stoppedOn, retainUntil: s.retainUntil, createdAt: s.createdAt.toISOString(),
    };
  }

  stallView(s: MarketStall): StallView {
    return {
      id: s.id, marketId: s.organizationId, number: s.number, code: s.code, publicUrl: `${this.config.publicBaseUrl}/s/${s.code}`,
      sellerId: s.sellerId, createdAt: s.createdAt.toISOString(),
    };
  }
}

function clean(list: string[] | undefined): string[] {
  return [...new Set((list ?? []).map((s) => s.trim()).filter((s) => s.length > 0))];
}
