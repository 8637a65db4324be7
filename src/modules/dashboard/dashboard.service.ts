import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../libs/errors';
import { Actor, isAdmin } from '../auth';
import { normalizeCategoryPath } from '../categories/domain';
import { CategoriesService } from '../categories';
import { CertificateGapsService } from '../certificates';
import { INDICATORS, INDICATOR_KEYS } from '../indicators/domain';
import type { GroupDimension, IndicatorQuery, IndicatorResult } from '../indicators/domain';
import { IndicatorsService } from '../indicators';
import { LotView, SupplyChainService } from '../events';
import { InputApplicationsService } from '../farm-inputs';
import { MarketSamplingFigure, MarketSamplingService } from '../market-sampling';
import { OrganizationsService } from '../organizations';
import { findRegion, isWithinRegion, Region } from '../regions/domain';
import { BatchHead, DashboardListsService, ListScope, OrganizationHead } from './dashboard-lists.service';
import { DashboardFilters, filterQuery, windowDates } from './domain/filters';
import { categoryTable, giTable, kpiTable, organizationTable, regionTable, trendTable } from './domain/indicator-tables';
import { regionTrail } from './domain/jurisdiction';
import { batchesTable, failedSamplesTable, farmEventsTable, farmRecordsTable, gapsSummaryTable, gapsTable, samplesTable, traceTable } from './list-tables';
import type { Table } from './domain/table';
import { EXPORT_CAP } from './exports/table-export';

/** Rows per page on the dashboard's lists. */
export const PAGE_SIZE = 50;
/** Steps followed up and down the supply chain from a batch (the trace API's default). */
const TRACE_DEPTH = 10;

export const TABLE_IDS = ['kpi', 'trend', 'regions', 'categories', 'gi', 'organizations', 'batches', 'samples', 'trace', 'farm-records', 'farm-events', 'failed-samples', 'certificate-gaps', 'certificate-gaps-summary'] as const;
export type TableId = (typeof TABLE_IDS)[number];

/** The records a table belongs to (an organisation's batches, a batch's samples). */
export interface TableRefs {
  organization?: string;
  batch?: string;
}

export interface Overview {
  regionName: string;
  trail: Region[];
  kpi: IndicatorResult;
  kpiTable: Table;
  trend: IndicatorResult;
  trendTable: Table;
  /** Child regions, or the organisations of a county; null for a producer (its own batches instead). */
  breakdown: Table | null;
  /** The child categories of the category filter (or the top of the tree). */
  categories: Table;
  /** Claimed quantities per GI product and unit. */
  gi: Table;
  /** The market regulator's published all-food sampling figure for the region and window (shown beside 食品抽检合格率), if imported. */
  marketSampling: MarketSamplingFigure | null;
}

/** A page of a list as a table, with the cursor of the next page. */
export interface TablePage {
  table: Table;
  nextCursor: string | null;
}

/**
 * What the dashboard shows, as tables: indicator figures from IndicatorsService (scoped there), the
 * drill-down lists from DashboardListsService, certificate gaps from CertificateGapsService. Pages
 * and exports ask here for the same tables, so an export holds what the page shows.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly indicators: IndicatorsService,
    private readonly lists: DashboardListsService,
    private readonly gapsReport: CertificateGapsService,
    private readonly categoryTree: CategoriesService,
    private readonly supplyChain: SupplyChainService,
    private readonly farmRecords: InputApplicationsService,
    private readonly organizations: OrganizationsService,
    private readonly marketSampling: MarketSamplingService,
  ) {}

  async categories(): Promise<string[]> {
    return (await this.categoryTree.list()).map((c) => c.path);
  }

  /**
   * Checks what only the dashboard knows before any query runs: the category exists, the region is
   * inside a regulator's jurisdiction (outside answers 404, as the indicator service does).
   */
  async check(actor: Actor, f: DashboardFilters, categories: string[]): Promise<DashboardFilters> {
    if (f.region && actor.role === 'regulator' && !(actor.regionCode && isWithinRegion(f.region, actor.regionCode))) {
      throw new DomainError('NOT_FOUND', 'Region outside your jurisdiction', { field: 'region' });
    }
    if (!f.category) return f;
    const category = normalizeCategoryPath(f.category);
    if (!categories.includes(category)) {
      throw new DomainError('UNKNOWN_CATEGORY', `category "${f.category}" is not in the food-category tree`, { field: 'category', rule: 'known_category' });
    }
    return { ...f, category };
  }

  /** The region the figures cover: the one asked, else a regulator's jurisdiction; null = no region (a producer's own). */
  scopeRegion(actor: Actor, f: DashboardFilters): string | null {
    return f.region ?? (actor.role === 'regulator' ? actor.regionCode : null);
  }

  regionName(actor: Actor, f: DashboardFilters): string {
    const code = this.scopeRegion(actor, f);
    return code ? (findRegion(code)?.fullName ?? code) : '本单位';
  }

  trail(actor: Actor, f: DashboardFilters, code: string | null = this.scopeRegion(actor, f)): Region[] {
    return code ? regionTrail(code, actor.role === 'regulator' ? actor.regionCode : null) : [];
  }

  /** KPI tiles, trends, the breakdowns one level down and by category, and the GI table: independent queries at once. */
  async overview(actor: Actor, f: DashboardFilters): Promise<Overview> {
    const breakdown = this.breakdownDimension(actor, f);
    const region = this.scopeRegion(actor, f);
    const [kpi, trend, split, byCategory, byGi, marketSampling] = await Promise.all([
      this.indicators.query(actor, this.query(f, [])),
      this.indicators.query(actor, this.query(f, [f.period])),
      breakdown ? this.indicators.query(actor, this.query(f, [breakdown])) : Promise.resolve(null),
      this.indicators.query(actor, this.query(f, ['category'])),
      this.indicators.query(actor, this.giQuery(f)),
      region ? this.marketSampling.figureFor(region, f.from, f.to) : Promise.resolve(null),
    ]);
    return {
      regionName: this.regionName(actor, f), trail: this.trail(actor, f), kpi, kpiTable: kpiTable(kpi), trend, trendTable: trendTable(trend),
      breakdown: split && breakdown ? this.breakdownTable(f, split, breakdown) : null,
      categories: this.categoryBreakdown(f, byCategory),
      gi: giTable(byGi),
      marketSampling,
    };
  }

  /**
   * An organisation's own figures and a page of its batches. A regulator reads an organisation
   * registered or producing in its jurisdiction, and only the figures inside it.
   */
  async organization(actor: Actor, id: string, f: DashboardFilters, cursor?: string): Promise<{ organization: OrganizationHead; kpi: IndicatorResult } & TablePage> {
    const organization = await this.lists.organization(actor, id);
    const [kpi, batches] = await Promise.all([
      this.indicators.query(actor, { ...this.query(f, []), organizationId: id }),
      this.lists.batchesOf(actor, id, this.listScope(f), { limit: PAGE_SIZE, cursor }),
    ]);
    return { organization, kpi, table: batchesTable(batches.items, this.batchLink(f)), nextCursor: batches.nextCursor };
  }

  /** A batch, a page of its samples, and the lots it came from and went to (up to 10 steps each way). */
  async batch(actor: Actor, id: string, f: DashboardFilters, cursor?: string): Promise<{ batch: BatchHead; trace: Table; farm: Table[] } & TablePage> {
    const batch = await this.lists.batch(actor, id);
    const [samples, trace, farm] = await Promise.all([
      this.lists.samplesOf(actor, id, { limit: PAGE_SIZE, cursor }),
      this.traceTable(actor, id, f),
      this.farmTables(actor, batch.id),
    ]);
    return { batch, table: samplesTable(samples.items), nextCursor: samples.nextCursor, trace, farm };
  }

  /** The farm records behind a batch and the warnings, overrides and judgements around them (read after the batch's access check). */
  private async farmTables(actor: Actor, batchId: string): Promise<[Table, Table]> {
    const record = await this.farmRecords.batchRecord(actor, batchId);
    const regulators = await this.organizations.identities({ ids: [...new Set(record.overrides.map((o) => o.regulatorOrganizationId))] });
    const names = new Map(regulators.map((o) => [o.id, o.name]));
    return [farmRecordsTable(record.applications), farmEventsTable(record, (orgId) => names.get(orgId) ?? orgId)];
  }

  private async traceTable(actor: Actor, id: string, f: DashboardFilters): Promise<Table> {
    const view = await this.supplyChain.trace(actor, id, 'both', TRACE_DEPTH);
    return traceTable(view.lots, (lot) => (this.mayOpen(actor, lot) ? this.batchLink(f)(lot.id) : undefined));
  }

  /** Whether the batch page would open for this reader (links elsewhere would answer 404). */
  private mayOpen(actor: Actor, lot: LotView): boolean {
    if (isAdmin(actor)) return true;
    if (actor.role === 'regulator') return !!actor.regionCode && isWithinRegion(lot.regionCode, actor.regionCode);
    return lot.organization.id === actor.organizationId;
  }

  async failedSamples(actor: Actor, f: DashboardFilters, cursor?: string, limit = PAGE_SIZE): Promise<TablePage> {
    const page = await this.lists.failedSamples(actor, this.listScope(f), { limit, cursor });
    return { table: failedSamplesTable(page.items, this.batchLink(f)), nextCursor: page.nextCursor };
  }

  /** The list's page and how many failed samples it holds in all. */
  async failedSamplesWithTotal(actor: Actor, f: DashboardFilters, cursor?: string): Promise<TablePage & { total: number }> {
    const [page, total] = await Promise.all([this.failedSamples(actor, f, cursor), this.lists.countFailedSamples(actor, this.listScope(f))]);
    return { ...page, total };
  }

  /**
   * Batches lacking a certificate, in the category filter's subtree: a page of the list
   * (CertificateGapsService) and, at the same time, the per-organisation totals from the
   * certificate_issuance indicator (the report's own summary aggregates every batch of the region:
   * about a second for a province).
   */
  async certificateGaps(actor: Actor, f: DashboardFilters, cursor?: string, limit = PAGE_SIZE): Promise<{ summary: Table } & TablePage> {
    const dates = windowDates(f);
    const [gaps, issuance] = await Promise.all([
      this.gapsReport.gaps(actor, { region: f.region ?? undefined, category: f.category ?? undefined, from: dates.from, to: dates.to, limit, cursor }, { summary: false }),
      this.gapsSummary(actor, f),
    ]);
    return { summary: issuance, table: gapsTable(gaps.items, this.batchLink(f)), nextCursor: gaps.nextCursor };
  }

  private async gapsSummary(actor: Actor, f: DashboardFilters): Promise<Table> {
    const result = await this.indicators.query(actor, { ...this.query(f, ['organization']), indicators: ['certificate_issuance'] });
    return gapsSummaryTable(result, (orgId) => `/app/dashboard/organizations/${orgId}${filterQuery(f)}`);
  }

  /** A whole table for an export: every page, up to EXPORT_CAP rows (then marked truncated). */
  async exportTable(actor: Actor, id: string, f: DashboardFilters, refs: TableRefs): Promise<Table> {
    const table = await this.fullTable(actor, id, f, refs);
    if (table.rows.length <= EXPORT_CAP) return table;
    return { ...table, rows: table.rows.slice(0, EXPORT_CAP), truncatedAt: EXPORT_CAP };
  }

  private async fullTable(actor: Actor, id: string, f: DashboardFilters, refs: TableRefs): Promise<Table> {
    const all = { limit: EXPORT_CAP + 1 };
    switch (id as TableId) {
      case 'kpi':
        return kpiTable(await this.indicators.query(actor, this.query(f, [])));
      case 'trend':
        return trendTable(await this.indicators.query(actor, this.query(f, [f.period])));
      case 'regions':
        return this.breakdownTable(f, await this.indicators.query(actor, this.query(f, ['region'])), 'region');
      case 'categories':
        return this.categoryBreakdown(f, await this.indicators.query(actor, this.query(f, ['category'])));
      case 'gi':
        return giTable(await this.indicators.query(actor, this.giQuery(f)));
      case 'organizations':
        return this.breakdownTable(f, await this.indicators.query(actor, this.query(f, ['organization'])), 'organization');
      case 'batches': {
        const orgId = required(refs.organization, 'organization');
        return batchesTable((await this.lists.batchesOf(actor, orgId, this.listScope(f), all)).items, this.batchLink(f));
      }
      case 'samples':
        return samplesTable((await this.lists.samplesOf(actor, required(refs.batch, 'batch'), all)).items);
      case 'trace':
        return this.traceTable(actor, required(refs.batch, 'batch'), f);
      case 'farm-records':
      case 'farm-events': {
        const batch = await this.lists.batch(actor, required(refs.batch, 'batch'));
        const [records, events] = await this.farmTables(actor, batch.id);
        return id === 'farm-records' ? records : events;
      }
      case 'failed-samples':
        return (await this.failedSamples(actor, f, undefined, EXPORT_CAP + 1)).table;
      case 'certificate-gaps':
        return (await this.certificateGaps(actor, f, undefined, EXPORT_CAP + 1)).table;
      case 'certificate-gaps-summary':
        return this.gapsSummary(actor, f);
      default:
        throw new DomainError('NOT_FOUND', `No table ${id}`);
    }
  }

  /** Regulators see the next level down: child regions, or at a county its organisations. Producers see themselves. */
  private breakdownDimension(actor: Actor, f: DashboardFilters): 'region' | 'organization' | null {
    if (actor.role !== 'regulator' && !isAdmin(actor)) return null;
    const code = this.scopeRegion(actor, f);
    return code && findRegion(code)?.level === 'county' ? 'organization' : 'region';
  }

  private breakdownTable(f: DashboardFilters, result: IndicatorResult, dimension: 'region' | 'organization'): Table {
    if (dimension === 'organization') {
      return organizationTable(result, (orgId) => `/app/dashboard/organizations/${orgId}${filterQuery(f)}`);
    }
    return regionTable(result, (code) => `/app/dashboard${filterQuery(f, { region: code })}`);
  }

  private categoryBreakdown(f: DashboardFilters, result: IndicatorResult): Table {
    return categoryTable(result, (path) => `/app/dashboard${filterQuery(f, { category: path })}`);
  }

  private batchLink(f: DashboardFilters): (id: string) => string {
    return (id) => `/app/dashboard/batches/${id}${filterQuery(f)}`;
  }

  private query(f: DashboardFilters, groupBy: GroupDimension[]): IndicatorQuery {
    // Split by category, only the indicators that have one (organisations' USCC coverage has none).
    const indicators = groupBy.includes('category') ? INDICATOR_KEYS.filter((k) => INDICATORS[k].dimensions.category) : [];
    return { indicators, region: f.region ?? undefined, category: f.category ?? undefined, from: f.from, to: f.to, groupBy };
  }

  private giQuery(f: DashboardFilters): IndicatorQuery {
    return { ...this.query(f, ['gi']), indicators: ['gi_claimed'] };
  }

  private listScope(f: DashboardFilters): ListScope {
    return { region: f.region, category: f.category, ...windowDates(f) };
  }
}

function required(value: string | undefined, field: string): string {
  if (!value) throw new DomainError('VALIDATION_FAILED', `${field}: required for this table`, { field, rule: 'required' });
  return value;
}
