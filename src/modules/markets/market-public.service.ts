import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { formatDecimal } from '../../../libs/quantity';
import { isUuid } from '../../common/ids';
import { CertificateCollectionsService } from '../certificates';
import { OrganizationsService } from '../organizations';
import { findRegion } from '../regions/domain';
import { MarketEntryItem } from './market-entry.entity';
import { MarketSeller } from './market-seller.entity';
import { MarketStall } from './market-stall.entity';

/** One lot as the public sees it: never who presented it beyond the stall's seller name, never ID numbers. */
export interface PublicLot {
  productName: string;
  quantity: string;
  origin: string | null;
  proof: MarketEntryItem['proof'];
  certificate: { number: string; status: string; url: string } | null;
  rapidTest: { analyte: string; result: 'pass' | 'fail' } | null;
  outcome: 'accepted' | 'refused';
  stallNumber: string | null;
  sellerName: string | null;
  reason: string | null;
  disposal: { method: string; note: string | null } | null;
}

export interface StallPageView {
  code: string;
  stallNumber: string;
  market: { id: string; name: string; complaintPhone: string | null };
  sellerName: string | null;
  on: string;
  /** Goods that entered for this stall today. */
  lots: PublicLot[];
  /** Today's entry rapid tests of this stall's goods (passed and failed). */
  tests: PublicLot[];
}

export interface MarketBoardView {
  market: { id: string; name: string; complaintPhone: string | null };
  on: string;
  tests: PublicLot[];
  /** Lots refused entry that day, with their disposal once recorded. */
  refused: PublicLot[];
  entered: number;
}

/** The public pages of markets: a stall's goods today (一店一码) and the market's 公示 per day. */
@Injectable()
export class MarketPublicService {
  constructor(
    @InjectRepository(MarketStall) private readonly stalls: Repository<MarketStall>,
    @InjectRepository(MarketEntryItem) private readonly items: Repository<MarketEntryItem>,
    @InjectRepository(MarketSeller) private readonly sellers: Repository<MarketSeller>,
    private readonly organizations: OrganizationsService,
    private readonly certificates: CertificateCollectionsService,
  ) {}

  async stall(code: string, baseUrl: string): Promise<StallPageView> {
    const stall = /^[0-9A-Z]{13}$/.test(code) ? await this.stalls.findOneBy({ code }) : null;
    if (!stall) throw new DomainError('NOT_FOUND', 'Unknown stall');
    const on = chinaDate(new Date());
    const [market, seller, rows] = await Promise.all([
      this.market(stall.organizationId),
      stall.sellerId ? this.sellers.findOneBy({ id: stall.sellerId }) : null,
      this.items.find({ where: { stallId: stall.id, enteredOn: on }, order: { createdAt: 'ASC' }, take: 200 }),
    ]);
    const lots = await this.publicLots(rows, baseUrl, new Map([[stall.id, stall.number]]), new Map());
    return {
      code: stall.code, stallNumber: stall.number, market: market!, sellerName: seller?.name ?? null, on,
      lots: lots.filter((l) => l.outcome === 'accepted'), tests: lots.filter((l) => l.rapidTest),
    };
  }

  async board(marketId: string, on: string | undefined, baseUrl: string): Promise<MarketBoardView> {
    const market = isUuid(marketId) ? await this.market(marketId) : null;
    if (!market) throw new DomainError('NOT_FOUND', 'Unknown market');
    const day = on && /^\d{4}-\d{2}-\d{2}$/.test(on) && !Number.isNaN(Date.parse(`${on}T00:00:00Z`)) ? on : chinaDate(new Date());
    const rows = await this.items.find({ where: { organizationId: market.id, enteredOn: day }, order: { createdAt: 'ASC' }, take: 2000 });
    const stallIds = [...new Set(rows.map((r) => r.stallId).filter((id): id is string => !!id))];
    const stalls = stallIds.length ? await this.stalls.findBy({ id: In(stallIds) }) : [];
    const lots = await this.publicLots(rows, baseUrl, new Map(stalls.map((s) => [s.id, s.number])), new Map(stalls.map((s) => [s.id, s.sellerId ?? ''])));
    return {
      market, on: day, tests: lots.filter((l) => l.rapidTest), refused: lots.filter((l) => l.outcome === 'refused'),
      entered: lots.filter((l) => l.outcome === 'accepted').length,
    };
  }

  private async market(id: string): Promise<{ id: string; name: string; complaintPhone: string | null } | null> {
    const org = await this.organizations.summary(id);
    return org && org.kind === 'market' ? { id: org.id, name: org.name, complaintPhone: org.contact.phone ?? null } : null;
  }

  private async publicLots(rows: MarketEntryItem[], baseUrl: string, stallNumbers: Map<string, string>, stallSellers: Map<string, string>): Promise<PublicLot[]> {
    const certs = await this.certificates.factsOf(rows.map((r) => r.certificateId ?? ''));
    const sellerIds = [...new Set([...stallSellers.values()].filter(isUuid))];
    const sellers = sellerIds.length ? await this.sellers.findBy({ id: In(sellerIds) }) : [];
    return rows.map((r) => {
      const cert = r.certificateId ? certs.get(r.certificateId) : undefined;
      const sellerId = r.stallId ? stallSellers.get(r.stallId) : undefined;
      return {
        productName: r.productName, quantity: `${formatDecimal(r.quantityValue)} ${r.quantityUnit}`,
        origin: r.origin ?? (r.originRegionCode ? findRegion(r.originRegionCode)?.fullName ?? r.originRegionCode : null),
        proof: r.proof, certificate: cert ? { number: cert.number, status: cert.status, url: `${baseUrl}/c/${cert.token}` } : null,
        rapidTest: r.rapidTest ? { analyte: r.rapidTest.analyte, result: r.rapidTest.result } : null,
        outcome: r.outcome, stallNumber: r.stallId ? stallNumbers.get(r.stallId) ?? null : null,
        sellerName: sellers.find((s) => s.id === sellerId)?.name ?? null,
        reason: r.outcome === 'refused' ? r.reason : null, disposal: r.disposal ? { method: r.disposal.method, note: r.disposal.note } : null,
      };
    });
  }
}
