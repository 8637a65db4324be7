import { Injectable } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import type ExcelJSModule from 'exceljs';
import { normalizeGtin } from '../../../libs/codes';
import { writeCsv } from '../../../libs/csv';
import { DomainError } from '../../../libs/errors';
import { formatDecimal } from '../../../libs/quantity';
import { isRealDate } from '../../common/dates';
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
  chinaDateAndTime, CriticalTrackingEvent, describePlace, FSMA_COLUMNS, FsmaRow, Place, sortRows,
} from './domain';

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
  ) {}

  async records(actor: Actor, q: FsmaQuery): Promise<{ gtin: string; from: string; to: string; rows: FsmaRow[] }> {
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
    const productIds = [...new Set([...await this.products.idsByGtin(gtin), ...await this.products.idsByFormerGtin(gtin)])];
    const lots = await this.batches.lotsOfProducts(productIds, prefix ? { regionPrefix: prefix } : isAdmin(actor) ? {} : { organizationId: actor.organizationId! });
    const moves = await this.chain.movementsOf(lots.map((l) => l.id), start, end);

    // Everything the rows name, fetched once.
    const others = await this.batches.byIds([
      ...moves.received.map((s) => s.fromBatchId),
      ...moves.transformations.flatMap((t) => t.inputs.map((i) => i.batchId)),
    ]);
    const batchById = new Map([...lots, ...others].map((b) => [b.id, b]));
    const all = [...batchById.values()];
    const products = await this.products.byIds(all.map((b) => b.productId));
    const siteIds = all.flatMap((b) => [b.siteId, b.tlcSourceSiteId ?? b.siteId, ...(b.coolingSiteId ? [b.coolingSiteId] : [])]);
    const sites = await this.sites.byIds(siteIds);
    const orgIds = [...all.map((b) => b.organizationId), ...moves.shipped.map((s) => s.toOrganizationId), ...moves.received.map((s) => s.fromOrganizationId)];
    const parties = await this.organizations.parties(orgIds);

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
    const lotCache = new Map<string, FsmaRow>();
    const lotColumns = (b: Batch): FsmaRow => {
      const cached = lotCache.get(b.id);
      if (cached) return cached;
      const p = products.get(b.productId);
      const source = place(b.tlcSourceSiteId ?? b.siteId, b.organizationId);
      const columns: FsmaRow = {
        'Traceability Lot Code': b.lotCode,
        'Traceability Lot Code Source': describePlace(source),
        'Traceability Lot Code Source Reference (GLN)': source?.gln ?? '',
        'Product Description': describe(p, b),
        Commodity: p?.category.split('>').at(-1) ?? '',
        Variety: b.variety ?? '',
        GTIN: p?.gtin ?? '',
      };
      lotCache.set(b.id, columns);
      return columns;
    };
    const when = (at: Date) => {
      const { date, time } = chinaDateAndTime(at);
      return { 'Event Date': date, 'Event Time': time };
    };
    const row = (cte: CriticalTrackingEvent, fields: FsmaRow): FsmaRow => ({ 'Critical Tracking Event': cte, ...fields });
    const amount = (value: string, unit: string) => ({ Quantity: formatDecimal(value), 'Unit of Measure': unit });
    const at = (p: Place | null) => ({ 'Location Description': describePlace(p), 'Location Identifier (GLN)': p?.gln ?? '' });
    const inRange = (date: string) => date >= from && date <= to;

    const rows: FsmaRow[] = [];
    for (const b of lots) {
      if (moves.derived.has(b.id)) continue; // received or made here: its receipt or transformation row says so
      const base = { ...lotColumns(b), ...amount(b.quantityValue, b.quantityUnit) };
      const farm = place(b.siteId, b.organizationId);
      const harvest = {
        'Harvest Date': b.harvestedOn ?? '', 'Field or Growing Area': b.growingArea ?? '',
        'Harvester Business Name': b.harvesterName ?? '', 'Harvester Phone': b.harvesterPhone ?? '',
      };
      if (b.harvestedOn && inRange(b.harvestedOn)) {
        rows.push(row('Harvesting', { 'Event Date': b.harvestedOn, 'Event Time': '', ...base, ...at(farm), ...harvest }));
      }
      if (b.cooledAt && b.cooledAt >= start && b.cooledAt < end) {
        const cooling = place(b.coolingSiteId ?? b.siteId, b.organizationId);
        rows.push(row('Cooling', {
          ...when(b.cooledAt), ...base, ...at(cooling), 'Cooling Location': describePlace(cooling), 'Cooling Date': chinaDateAndTime(b.cooledAt).date,
        }));
      }
      if (inRange(b.producedOn)) {
        const cooling = b.cooledAt ? place(b.coolingSiteId ?? b.siteId, b.organizationId) : null;
        rows.push(row('Initial Packing', {
          'Event Date': b.producedOn, 'Event Time': '', ...base, ...at(place(b.tlcSourceSiteId ?? b.siteId, b.organizationId)), ...harvest,
          'Cooling Location': describePlace(cooling), 'Cooling Date': b.cooledAt ? chinaDateAndTime(b.cooledAt).date : '',
          'Initial Packing Date': b.producedOn,
        }));
      }
    }
    const eu = (s: Shipment) => {
      const dispatcher = party(s.fromOrganizationId);
      const consignee = party(s.toOrganizationId);
      return {
        'Dispatcher Name (EU 931/2011)': dispatcher?.business ?? '', 'Dispatcher Address (EU 931/2011)': dispatcher?.address ?? dispatcher?.region ?? '',
        'Consignee Name (EU 931/2011)': consignee?.business ?? '', 'Consignee Address (EU 931/2011)': consignee?.address ?? consignee?.region ?? '',
        'Reference Document Type': s.referenceDocumentType ?? (s.referenceDocument ? 'desadv' : ''),
        'Reference Document Number': s.referenceDocument ?? '',
        SSCC: s.sscc ?? '',
      };
    };
    for (const s of moves.shipped) {
      const b = batchById.get(s.fromBatchId)!;
      rows.push(row('Shipping', {
        ...when(s.shippedAt), ...lotColumns(b), ...amount(s.quantityValue, s.quantityUnit), ...at(place(b.siteId, b.organizationId)),
        'Immediate Subsequent Recipient': describePlace(party(s.toOrganizationId)), ...eu(s),
      }));
    }
    for (const s of moves.received) {
      const shippedLot = batchById.get(s.fromBatchId)!;
      const inbound = batchById.get(s.receivedBatchId!)!;
      rows.push(row('Receiving', {
        // The lot code the food arrived under (FSMA: the receiver records the TLC it received).
        ...when(s.receivedAt!), ...lotColumns(shippedLot), GTIN: products.get(inbound.productId)?.gtin ?? '',
        ...amount(s.quantityValue, s.quantityUnit), ...at(place(inbound.siteId, inbound.organizationId)),
        'Immediate Previous Source': describePlace(party(s.fromOrganizationId)), ...eu(s),
      }));
    }
    for (const t of moves.transformations) {
      const out = batchById.get(t.outputBatchId)!;
      rows.push(row('Transformation', {
        ...when(t.eventTime), ...lotColumns(out), ...amount(out.quantityValue, out.quantityUnit), ...at(place(out.siteId, out.organizationId)),
        'Input Traceability Lot Codes': t.inputs.map((i) => {
          const input = batchById.get(i.batchId);
          return `${input?.lotCode ?? i.batchId} (${describe(input ? products.get(input.productId) : undefined, input!)}, ${i.quantity.value} ${i.quantity.unit})`;
        }).join('; '),
      }));
    }
    return { gtin, from, to, rows: sortRows(rows) };
  }

  csv(rows: FsmaRow[]): string {
    // Empty cells as undefined: the writer skips them (a third of a row's cells are empty on most events).
    return writeCsv([[...FSMA_COLUMNS], ...rows.map((r) => FSMA_COLUMNS.map((c) => r[c] || undefined))]);
  }

  /** One sheet, header frozen and filtered (sortable), columns as text; streamed (10,000 lots stay small in memory). */
  async xlsx(rows: FsmaRow[], title: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => { sink.on('end', resolve); sink.on('error', reject); });
    const book = new (excel().stream.xlsx.WorkbookWriter)({ stream: sink, useStyles: true, useSharedStrings: false });
    const sheet = book.addWorksheet('FSMA 204', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = FSMA_COLUMNS.map((c) => ({ header: c, key: c, width: Math.min(40, Math.max(12, c.length + 2)) }));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: FSMA_COLUMNS.length } };
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const r of rows) sheet.addRow(FSMA_COLUMNS.map((c) => r[c] || null)).commit();
    sheet.commit();
    const about = book.addWorksheet('About');
    about.addRow([title]).commit();
    about.addRow(['One row per critical tracking event (21 CFR 1.1455(c)(3)(ii)); dates and times in China time (UTC+08:00).']).commit();
    about.commit();
    await book.commit();
    await done;
    return Buffer.concat(chunks);
  }
}
