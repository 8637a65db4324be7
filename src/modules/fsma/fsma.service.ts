import { Injectable } from '@nestjs/common';
import { PassThrough, Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type ExcelJSModule from 'exceljs';
import { normalizeGtin } from '../../../libs/codes';
import { csvChunks } from '../../../libs/csv';
import { DomainError } from '../../../libs/errors';
import { formatDecimal } from '../../../libs/quantity';
import { isRealDate } from '../../common/dates';
import { ReadReplica } from '../../common/read-replica';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { BatchesService } from '../batches';
import type { Batch } from '../batches';
import { SupplyChainService } from '../events';
import type { Shipment } from '../events';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import type { ProductView } from '../products';
import { findRegion } from '../regions/domain';
import { SitesService } from '../sites';
import {
  chinaDateAndTime, CriticalTrackingEvent, describePlace, FSMA_COLUMNS, FSMA_INDEX, FsmaCells, Place, sortCells,
} from './domain';

/** Positions of the columns the rows fill. */
const C = {
  cte: FSMA_INDEX['Critical Tracking Event'], date: FSMA_INDEX['Event Date'], time: FSMA_INDEX['Event Time'],
  tlc: FSMA_INDEX['Traceability Lot Code'], tlcSource: FSMA_INDEX['Traceability Lot Code Source'],
  tlcSourceGln: FSMA_INDEX['Traceability Lot Code Source Reference (GLN)'], description: FSMA_INDEX['Product Description'],
  commodity: FSMA_INDEX.Commodity, variety: FSMA_INDEX.Variety, gtin: FSMA_INDEX.GTIN, quantity: FSMA_INDEX.Quantity,
  unit: FSMA_INDEX['Unit of Measure'], location: FSMA_INDEX['Location Description'], locationGln: FSMA_INDEX['Location Identifier (GLN)'],
  harvestDate: FSMA_INDEX['Harvest Date'], field: FSMA_INDEX['Field or Growing Area'], harvester: FSMA_INDEX['Harvester Business Name'],
  harvesterPhone: FSMA_INDEX['Harvester Phone'], coolingLocation: FSMA_INDEX['Cooling Location'], coolingDate: FSMA_INDEX['Cooling Date'],
  packingDate: FSMA_INDEX['Initial Packing Date'], source: FSMA_INDEX['Immediate Previous Source'],
  recipient: FSMA_INDEX['Immediate Subsequent Recipient'], inputs: FSMA_INDEX['Input Traceability Lot Codes'],
  documentType: FSMA_INDEX['Reference Document Type'], documentNumber: FSMA_INDEX['Reference Document Number'], sscc: FSMA_INDEX.SSCC,
  dispatcher: FSMA_INDEX['Dispatcher Name (EU 931/2011)'], dispatcherAddress: FSMA_INDEX['Dispatcher Address (EU 931/2011)'],
  consignee: FSMA_INDEX['Consignee Name (EU 931/2011)'], consigneeAddress: FSMA_INDEX['Consignee Address (EU 931/2011)'],
} as const;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = (): typeof ExcelJSModule => require('exceljs') as typeof ExcelJSModule;

export type FsmaFormat = 'csv' | 'xlsx' | 'json';

export interface FsmaQuery {
  gtin?: string;
  from?: string;
  to?: string;
}

/** At most two years per request: what the rule makes anyone keep (21 CFR 1.1455(a)(3)). */
const MAX_DAYS = 731;

function day(value: string | undefined, field: string): string {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !isRealDate(value)) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD`, { field, rule: 'date' });
  }
  return value;
}

/**
 * FSMA 204 records: the critical tracking events of a product (by GTIN) over a date range, one row
 * each, from the records the platform already keeps (batches with their harvest, cooling and
 * packing data; shipments and receipts; transformations). Scoped as everything else: an
 * organisation sees its own events, a regulator its jurisdiction's, the admin all.
 */
@Injectable()
export class FsmaService {
  constructor(
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly organizations: OrganizationsService,
    private readonly chain: SupplyChainService,
    private readonly reads: ReadReplica,
  ) {}

  /**
   * Everything the sheet names, fetched once. An export: read from the replica when there is one
   * (records the replica has not replayed yet, at most REPLICA_MAX_LAG_MS old, are not in it yet).
   */
  private async load(gtin: string, scope: { organizationId?: string; regionPrefix?: string }, start: Date, end: Date, m: EntityManager) {
    const productIds = [...new Set([...await this.products.idsByGtin(gtin, m), ...await this.products.idsByFormerGtin(gtin, m)])];
    const lots = await this.batches.lotsOfProducts(productIds, scope, m);
    const moves = await this.chain.movementsOf(lots.map((l) => l.id), start, end, m);
    const others = await this.batches.byIds([
      ...moves.received.map((s) => s.fromBatchId),
      ...moves.transformations.flatMap((t) => t.inputs.map((i) => i.batchId)),
    ], m);
    const batchById = new Map([...lots, ...others].map((b) => [b.id, b]));
    const all = [...batchById.values()];
    const products = await this.products.byIds(all.map((b) => b.productId), m);
    const siteIds = all.flatMap((b) => [b.siteId, b.tlcSourceSiteId ?? b.siteId, ...(b.coolingSiteId ? [b.coolingSiteId] : [])]);
    const sites = await this.sites.byIds(siteIds, m);
    const orgIds = [...all.map((b) => b.organizationId), ...moves.shipped.map((s) => s.toOrganizationId), ...moves.received.map((s) => s.fromOrganizationId)];
    const parties = await this.organizations.parties(orgIds, m);
    return { lots, moves, batchById, products, sites, parties };
  }

  async records(actor: Actor, q: FsmaQuery): Promise<{ gtin: string; from: string; to: string; rows: FsmaCells[] }> {
    const gtin = normalizeGtin(q.gtin);
    const from = day(q.from, 'from');
    const to = day(q.to, 'to');
    if (to < from) throw new DomainError('VALIDATION_FAILED', 'to is before from', { field: 'to', rule: 'after_from' });
    const start = new Date(`${from}T00:00:00+08:00`);
    const end = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000);
    if ((end.getTime() - start.getTime()) / 86_400_000 > MAX_DAYS) {
      throw new DomainError('VALIDATION_FAILED', `A request covers at most ${MAX_DAYS} days`, { field: 'to', rule: 'max_range' });
    }
    const prefix = regulatorPrefix(actor);
    if (!prefix && !isAdmin(actor) && !actor.organizationId) return { gtin, from, to, rows: [] };
    const scope = prefix ? { regionPrefix: prefix } : isAdmin(actor) ? {} : { organizationId: actor.organizationId! };
    const { lots, moves, batchById, products, sites, parties } = await this.reads.read((m) => this.load(gtin, scope, start, end, m));

    const party = (id: string): Place | null => {
      const p = parties.get(id);
      return p ? { business: p.name, address: p.address, region: findRegion(p.regionCode)?.fullName ?? p.regionCode, gln: p.gln } : null;
    };
    const places = new Map<string, Place | null>();
    const place = (siteId: string, orgId: string): Place | null => {
      const key = `${siteId}:${orgId}`;
      if (places.has(key)) return places.get(key)!;
      const s = sites.get(siteId);
      const org = parties.get(orgId);
      const found = s ? { business: `${org?.name ?? ''} ${s.name}`.trim(), address: s.address, region: s.regionName, gln: s.gln } : null;
      places.set(key, found);
      return found;
    };
    const describe = (p: ProductView | undefined, b: Batch) => [p?.name, b.variety, p?.spec].filter((x) => x).join(' ');
    // The columns of a lot, computed once per lot and copied into each of its rows.
    const lotCache = new Map<string, FsmaCells>();
    const lotCells = (b: Batch): FsmaCells => {
      const cached = lotCache.get(b.id);
      if (cached) return cached;
      const p = products.get(b.productId);
      const source = place(b.tlcSourceSiteId ?? b.siteId, b.organizationId);
      const cells: FsmaCells = new Array<string | undefined>(FSMA_COLUMNS.length);
      cells[C.tlc] = b.lotCode;
      cells[C.tlcSource] = describePlace(source);
      cells[C.tlcSourceGln] = source?.gln ?? '';
      cells[C.description] = describe(p, b);
      cells[C.commodity] = p?.category.split('>').at(-1) ?? '';
      cells[C.variety] = b.variety ?? '';
      cells[C.gtin] = p?.gtin ?? '';
      lotCache.set(b.id, cells);
      return cells;
    };
    const rows: FsmaCells[] = [];
    /** A new row of `cte` with the lot's columns, its time, quantity and location. */
    const row = (cte: CriticalTrackingEvent, b: Batch, date: string, time: string, value: string, unit: string, where: Place | null): FsmaCells => {
      const cells = lotCells(b).slice();
      cells[C.cte] = cte;
      cells[C.date] = date;
      cells[C.time] = time;
      cells[C.quantity] = formatDecimal(value);
      cells[C.unit] = unit;
      cells[C.location] = describePlace(where);
      cells[C.locationGln] = where?.gln ?? '';
      rows.push(cells);
      return cells;
    };
    const harvest = (cells: FsmaCells, b: Batch) => {
      cells[C.harvestDate] = b.harvestedOn ?? '';
      cells[C.field] = b.growingArea ?? '';
      cells[C.harvester] = b.harvesterName ?? '';
      cells[C.harvesterPhone] = b.harvesterPhone ?? '';
    };
    const inRange = (date: string) => date >= from && date <= to;

    for (const b of lots) {
      if (moves.derived.has(b.id)) continue; // received or made here: its receipt or transformation row says so
      if (b.harvestedOn && inRange(b.harvestedOn)) {
        harvest(row('Harvesting', b, b.harvestedOn, '', b.quantityValue, b.quantityUnit, place(b.siteId, b.organizationId)), b);
      }
      if (b.cooledAt && b.cooledAt >= start && b.cooledAt < end) {
        const cooling = place(b.coolingSiteId ?? b.siteId, b.organizationId);
        const { date, time } = chinaDateAndTime(b.cooledAt);
        const cells = row('Cooling', b, date, time, b.quantityValue, b.quantityUnit, cooling);
        cells[C.coolingLocation] = describePlace(cooling);
        cells[C.coolingDate] = date;
      }
      if (inRange(b.producedOn)) {
        const cooling = b.cooledAt ? place(b.coolingSiteId ?? b.siteId, b.organizationId) : null;
        const cells = row('Initial Packing', b, b.producedOn, '', b.quantityValue, b.quantityUnit, place(b.tlcSourceSiteId ?? b.siteId, b.organizationId));
        harvest(cells, b);
        cells[C.coolingLocation] = describePlace(cooling);
        cells[C.coolingDate] = b.cooledAt ? chinaDateAndTime(b.cooledAt).date : '';
        cells[C.packingDate] = b.producedOn;
      }
    }
    /** EU 931/2011 names and addresses and the reference document (`document`: the shipment's, or the receipt's own). */
    const eu = (cells: FsmaCells, s: Shipment, document: { type: string | null; number: string | null }) => {
      const dispatcher = party(s.fromOrganizationId);
      const consignee = party(s.toOrganizationId);
      cells[C.dispatcher] = dispatcher?.business ?? '';
      cells[C.dispatcherAddress] = dispatcher?.address ?? dispatcher?.region ?? '';
      cells[C.consignee] = consignee?.business ?? '';
      cells[C.consigneeAddress] = consignee?.address ?? consignee?.region ?? '';
      cells[C.documentType] = document.type ?? '';
      cells[C.documentNumber] = document.number ?? '';
      cells[C.sscc] = s.sscc ?? '';
    };
    for (const s of moves.shipped) {
      const b = batchById.get(s.fromBatchId)!;
      const { date, time } = chinaDateAndTime(s.shippedAt);
      const cells = row('Shipping', b, date, time, s.quantityValue, s.quantityUnit, place(b.siteId, b.organizationId));
      cells[C.recipient] = describePlace(party(s.toOrganizationId));
      // A number without a type on a shipment is its despatch advice (EPCIS bizTransaction desadv).
      eu(cells, s, { type: s.referenceDocumentType ?? (s.referenceDocument ? 'desadv' : null), number: s.referenceDocument });
    }
    for (const s of moves.received) {
      const shippedLot = batchById.get(s.fromBatchId)!;
      const inbound = batchById.get(s.receivedBatchId!)!;
      const { date, time } = chinaDateAndTime(s.receivedAt!);
      // The lot code the food arrived under (FSMA: the receiver records the TLC it received).
      const cells = row('Receiving', shippedLot, date, time, s.quantityValue, s.quantityUnit, place(inbound.siteId, inbound.organizationId));
      cells[C.gtin] = products.get(inbound.productId)?.gtin ?? '';
      cells[C.source] = describePlace(party(s.fromOrganizationId));
      // The receiver's own document when it named one (§ 1.1345(a)(7)), else the shipment's.
      eu(cells, s, s.receiptReferenceDocument
        ? { type: s.receiptReferenceDocumentType, number: s.receiptReferenceDocument }
        : { type: s.referenceDocumentType ?? (s.referenceDocument ? 'desadv' : null), number: s.referenceDocument });
    }
    for (const t of moves.transformations) {
      const out = batchById.get(t.outputBatchId)!;
      const { date, time } = chinaDateAndTime(t.eventTime);
      const cells = row('Transformation', out, date, time, out.quantityValue, out.quantityUnit, place(out.siteId, out.organizationId));
      cells[C.inputs] = t.inputs.map((i) => {
        const input = batchById.get(i.batchId);
        return `${input?.lotCode ?? i.batchId} (${describe(input ? products.get(input.productId) : undefined, input!)}, ${i.quantity.value} ${i.quantity.unit})`;
      }).join('; ');
    }
    return { gtin, from, to, rows: sortCells(rows) };
  }

  /** The CSV file in pieces (header first), to stream to the client. */
  csv(rows: FsmaCells[]): Readable {
    return Readable.from(csvChunks([FSMA_COLUMNS, ...rows]));
  }

  /**
   * One sheet, header frozen and filtered (sortable), columns as text, written by exceljs's streaming
   * writer into the returned stream as rows are added. No styles: exceljs adds a style record per
   * cell when styles are on (2.7 s of CPU for 40,000 rows against 0.9 s without, bench/fsma204.ts).
   */
  xlsx(rows: FsmaCells[], title: string): Readable {
    const out = new PassThrough();
    const book = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: false, useSharedStrings: true });
    const write = async () => {
      const sheet = book.addWorksheet('FSMA 204', { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = FSMA_COLUMNS.map((c) => ({ header: c, width: Math.min(40, Math.max(12, c.length + 2)) }));
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: FSMA_COLUMNS.length } };
      sheet.getRow(1).commit();
      for (let i = 0; i < rows.length; i++) {
        sheet.addRow(rows[i]).commit();
        // Let the response take what is written (exceljs does not wait for the stream to drain).
        if (i % 2000 === 1999) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      sheet.commit();
      const about = book.addWorksheet('About');
      about.addRow([title]).commit();
      about.addRow(['One row per critical tracking event (21 CFR 1.1455(c)(3)(ii)); dates and times in China time (UTC+08:00).']).commit();
      about.commit();
      await book.commit();
    };
    write().catch((error: unknown) => out.destroy(error as Error));
    return out;
  }
}
