import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { isTraceCodeFormat, parseDigitalLinkPath } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { BATCH_CHANGED, batchEvents, BatchesService } from '../batches/batches.service';
import { formatDecimal } from '../batches/domain/quantity';
import { batchQrContent, itemQrContent, traceUrl } from '../codes/domain/qr-content';
import { TraceCodesService } from '../codes/trace-codes.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { ProductsService } from '../products/products.service';
import { findRegion } from '../regions/domain/region-codes';
import { SitesService } from '../sites/sites.service';
import type { ClientInfo } from './domain/client-info';
import { ScanRecorder, ScanRecord } from './scan-recorder';

/** What a consumer sees for a code: public facts only (no ids, no personal data). */
export interface ScanView {
  code: string;
  kind: 'batch' | 'item';
  serial: number | null;
  traceUrl: string;
  qrContent: string;
  status: 'active' | 'on_hold' | 'recalled' | 'closed';
  banner: { level: 'danger' | 'warning'; title: string; text: string } | null;
  product: { name: string; category: string; gtin: string | null; spec: string | null; standard: string | null };
  producer: { name: string; kind: string; regionCode: string; regionName: string };
  site: { name: string; regionCode: string; regionName: string };
  batch: { lotCode: string; producedOn: string; quantity: { value: string; unit: string } };
  scans: { count: number; firstScannedAt: string | null; copyWarning: boolean } | null;
}

interface CacheEntry {
  view: ScanView;
  batchId: string;
  storedCount: number;
  firstScannedAt: Date | null;
  until: number;
}

/** Public pages are cached briefly; a status change of the batch drops its entries at once. */
const CACHE_MS = 5_000;
const CACHE_MAX = 50_000;

const BANNERS: Record<string, ScanView['banner']> = {
  recalled: { level: 'danger', title: '该批次产品已召回', text: '请勿食用。如已购买，请联系销售者或生产者退货。' },
  on_hold: { level: 'warning', title: '该批次产品暂停销售', text: '该批次正在核查中，请暂勿食用，留意后续通知。' },
};

@Injectable()
export class ScanService implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly onBatchChanged = (batchId: string) => this.forgetBatch(batchId);

  constructor(
    private readonly traceCodes: TraceCodesService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly organizations: OrganizationsService,
    private readonly recorder: ScanRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    batchEvents.on(BATCH_CHANGED, this.onBatchChanged);
    this.recorder.onFlushed((counts) => {
      for (const c of counts) {
        const entry = this.cache.get(c.code);
        if (entry) {
          entry.storedCount += c.count;
          entry.firstScannedAt ??= c.first;
        }
      }
    });
  }

  onModuleDestroy(): void {
    batchEvents.off(BATCH_CHANGED, this.onBatchChanged);
  }

  /** Looks a code up and records the scan. Unknown or malformed codes → NOT_FOUND. */
  async scan(rawCode: string, via: ScanRecord['via'], client: ClientInfo): Promise<ScanView> {
    const entry = await this.entry(rawCode);
    const now = new Date();
    this.recorder.record({ code: entry.view.code, batchId: entry.batchId, at: now, via, ...client });
    return this.withScans(entry, now);
  }

  /** Resolves a GS1 Digital Link path (/01/…/10/…[/21/…]) to the code it stands for. */
  async codeForDigitalLink(path: string): Promise<string> {
    const link = parseDigitalLinkPath(path);
    if (!link.lot) throw new DomainError('NOT_FOUND', 'A trace page needs the batch/lot (10) in the link');
    if (link.serial !== undefined) {
      const entry = await this.entry(link.serial);
      if (entry.view.product.gtin !== link.gtin || entry.view.batch.lotCode !== link.lot || entry.view.kind !== 'item') {
        throw new DomainError('NOT_FOUND', 'No item with this GTIN, lot and serial');
      }
      return entry.view.code;
    }
    const batch = await this.batches.findByProductsAndLot(await this.products.idsByGtin(link.gtin), link.lot);
    if (!batch?.traceCode) throw new DomainError('NOT_FOUND', 'No batch with this GTIN and lot');
    return batch.traceCode;
  }

  private withScans(entry: CacheEntry, now: Date): ScanView {
    if (entry.view.kind !== 'item') return entry.view;
    const count = entry.storedCount + this.recorder.pendingFor(entry.view.code);
    const first = entry.firstScannedAt ?? now;
    return {
      ...entry.view,
      scans: { count, firstScannedAt: first.toISOString(), copyWarning: count > this.config.scanCopyWarnThreshold },
    };
  }

  private async entry(rawCode: string): Promise<CacheEntry> {
    if (!isTraceCodeFormat(rawCode)) throw new DomainError('NOT_FOUND', 'Unknown trace code');
    const cached = this.cache.get(rawCode);
    if (cached && cached.until > Date.now()) return cached;
    const entry = await this.load(rawCode);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(rawCode, entry);
    return entry;
  }

  private async load(code: string): Promise<CacheEntry> {
    const traceCode = await this.traceCodes.findByCode(code);
    const batch = traceCode ? await this.batches.byId(traceCode.batchId) : null;
    if (!traceCode || !batch) throw new DomainError('NOT_FOUND', 'Unknown trace code');
    const [product, site, producer] = await Promise.all([
      this.products.byId(batch.productId), this.sites.byId(batch.siteId), this.organizations.summary(batch.organizationId),
    ]);
    if (!product || !site || !producer) throw new DomainError('NOT_FOUND', 'Unknown trace code');
    const subject = { gtin: product.gtin, lot: batch.lotCode, code };
    const view: ScanView = {
      code,
      kind: traceCode.kind,
      serial: traceCode.serial,
      traceUrl: traceUrl(this.config.publicBaseUrl, code),
      qrContent: traceCode.kind === 'item' ? itemQrContent(this.config.publicBaseUrl, subject) : batchQrContent(this.config.publicBaseUrl, subject),
      status: batch.status,
      banner: BANNERS[batch.status] ? { ...BANNERS[batch.status]!, text: batch.statusReason ? `${BANNERS[batch.status]!.text}（原因：${batch.statusReason}）` : BANNERS[batch.status]!.text } : null,
      product: { name: product.name, category: product.category, gtin: product.gtin, spec: product.spec, standard: product.standard },
      producer: { name: producer.name, kind: producer.kind, regionCode: producer.regionCode, regionName: findRegion(producer.regionCode)?.fullName ?? producer.regionCode },
      site: { name: site.name, regionCode: site.regionCode, regionName: site.regionName },
      batch: { lotCode: batch.lotCode, producedOn: batch.producedOn, quantity: { value: formatDecimal(batch.quantityValue), unit: batch.quantityUnit } },
      scans: null,
    };
    return {
      view,
      batchId: batch.id,
      storedCount: traceCode.scanCount,
      firstScannedAt: traceCode.firstScannedAt,
      until: Date.now() + CACHE_MS,
    };
  }

  private forgetBatch(batchId: string): void {
    for (const [code, entry] of this.cache) if (entry.batchId === batchId) this.cache.delete(code);
  }
}
