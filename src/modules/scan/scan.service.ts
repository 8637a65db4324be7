import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { isTraceCodeFormat, parseDigitalLinkPath } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { BatchesService } from '../batches';
import { BATCH_CHANGED, BATCHES_RESYNC, batchEvents } from '../../common/batch-events';
import { formatDecimal } from '../../../libs/quantity';
import { batchQrContent, itemQrContent, traceUrl } from '../codes/domain';
import { TraceCodesService } from '../codes';
import { OrganizationSummary, OrganizationsService } from '../organizations';
import { ProductsService, ProductView } from '../products';
import { ReadReplica } from '../../common/read-replica';
import { findRegion } from '../regions/domain';
import { SitesService } from '../sites';
import type { ClientFingerprint, ClientInfo } from './domain/client-info';
import { ScanRecorder, ScanRecord } from './scan-recorder';
import { ScanSections } from '../scan-sections';

/**
 * What a consumer sees for a code: public facts only (no ids, no personal data). Sections other
 * features contribute (see ScanSections) appear under their own keys, e.g. `certificates`.
 */
export type ScanView = CoreScanView & { [sectionKey: string]: unknown };

interface CoreScanView {
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
  /** clients: distinct clients (people, roughly) that scanned it lately; the copy warning counts these, not requests. */
  scans: { count: number; clients: number; firstScannedAt: string | null; copyWarning: boolean } | null;
}

/** A Digital Link resolved as far down as its identifiers go (see ScanService.resolveDigitalLink). */
export interface DigitalLinkResolution {
  gtin: string;
  /** A serial or lot in the link was unknown, so the answer is for the level above. */
  walkedUp: boolean;
  itemCode: string | null;
  lot: { traceCode: string; lotCode: string; facts: Record<string, unknown> } | null;
  product: CoreScanView['product'];
  producer: CoreScanView['producer'];
}

/** What a code is: immutable, so it is cached long; its scan count is kept current in memory. */
interface CodeEntry {
  code: string;
  kind: 'batch' | 'item';
  serial: number | null;
  batchId: string;
  traceUrl: string;
  qrContent: string;
  storedCount: number;
  clients: number;
  firstScannedAt: Date | null;
  until: number;
}

/** The public facts of a batch, shared by all its codes; short-lived and dropped on a status change. */
interface BatchEntry {
  facts: Omit<CoreScanView, 'code' | 'kind' | 'serial' | 'traceUrl' | 'qrContent' | 'scans'> & Record<string, unknown>;
  /** The contributed sections' HTML (the JSON facts are in `facts`). */
  sectionsHtml: string;
  productId: string;
  gtin: string | null;
  lotCode: string;
  traceCode: string | null;
  until: number;
}

/** Which batch a Digital Link's GTIN and lot name (found by both, or by a former GTIN). */
interface LotEntry {
  batchId: string;
  traceCode: string;
}

type ProductLevel = Pick<DigitalLinkResolution, 'product' | 'producer'>;

/** A read-through cache of facts derived from batches (see cachedUntilBatchChange). */
type BatchDerived<T> = Map<string, { value: T; until: number }>;

/** Codes never change batch; the TTL only refreshes scan counts written by other API processes. */
const CODE_TTL_MS = 60_000;
const CODE_CACHE_MAX = 200_000;
/**
 * Batch status can change (hold, recall): every process drops a batch as soon as it is announced
 * (BatchChangeRelay); the TTL only bounds how stale it can be if an announcement is lost.
 */
const BATCH_TTL_MS = 5_000;
const BATCH_CACHE_MAX = 20_000;
/** Well-formed codes that do not exist. */
const MISS_TTL_MS = 60_000;
const MISS_CACHE_MAX = 100_000;

const BANNERS: Record<string, ScanView['banner']> = {
  recalled: { level: 'danger', title: '该批次产品已召回', text: '请勿食用。如已购买，请联系销售者或生产者退货。' },
  on_hold: { level: 'warning', title: '该批次产品暂停销售', text: '该批次正在核查中，请暂勿食用，留意后续通知。' },
};

/** The product and producer facts a scan page and a product-level Digital Link show. */
function productLevel(product: ProductView, producer: OrganizationSummary): ProductLevel {
  return {
    product: { name: product.name, category: product.category, gtin: product.gtin, spec: product.spec, standard: product.standard },
    producer: { name: producer.name, kind: producer.kind, regionCode: producer.regionCode, regionName: findRegion(producer.regionCode)?.fullName ?? producer.regionCode },
  };
}

@Injectable()
export class ScanService implements OnModuleInit, OnModuleDestroy {
  private readonly codes = new Map<string, CodeEntry>();
  private readonly misses = new Map<string, number>();
  private readonly batchFacts = new Map<string, BatchEntry>();
  /** GTIN + lot → batch for the resolver; kept as briefly as batch facts, and dropped on any batch change. */
  private readonly lots: BatchDerived<LotEntry> = new Map();
  /** GTIN → the product level's public facts (product pages change rarely; kept as briefly as batch facts). */
  private readonly productLevel: BatchDerived<ProductLevel> = new Map();
  /** Digital Link path → its resolution: a hit skips parsing and the lookups (kept as briefly as batch facts). */
  private readonly resolutions: BatchDerived<DigitalLinkResolution> = new Map();
  /** Bumped by every batch change: a read that a change overtook is not cached. */
  private batchGeneration = 0;
  private readonly onBatchChanged = (batchId: string) => {
    this.batchGeneration++;
    this.batchFacts.delete(batchId);
    this.lots.clear();
    this.productLevel.clear();
    this.resolutions.clear();
  };
  private readonly onResync = () => {
    this.batchGeneration++;
    this.batchFacts.clear();
    this.lots.clear();
    this.productLevel.clear();
    this.resolutions.clear();
  };

  constructor(
    private readonly traceCodes: TraceCodesService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly organizations: OrganizationsService,
    private readonly recorder: ScanRecorder,
    private readonly sections: ScanSections,
    private readonly reads: ReadReplica,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    batchEvents.on(BATCH_CHANGED, this.onBatchChanged);
    batchEvents.on(BATCHES_RESYNC, this.onResync);
    this.recorder.onFlushed((counts, clients) => {
      for (const c of counts) {
        const entry = this.codes.get(c.code);
        if (entry) {
          entry.storedCount += c.count;
          entry.firstScannedAt ??= c.first;
        }
      }
      for (const c of clients) {
        const entry = this.codes.get(c.code);
        if (entry) entry.clients = c.clients;
      }
    });
  }

  onModuleDestroy(): void {
    batchEvents.off(BATCH_CHANGED, this.onBatchChanged);
    batchEvents.off(BATCHES_RESYNC, this.onResync);
  }

  /** Looks a code up and records the scan. Unknown or malformed codes → NOT_FOUND. */
  async scan(rawCode: string, via: ScanRecord['via'], client: ClientInfo & ClientFingerprint): Promise<ScanView> {
    return (await this.scanWithSections(rawCode, via, client)).view;
  }

  /** As scan(), with the contributed sections' HTML for the consumer page. */
  async scanWithSections(rawCode: string, via: ScanRecord['via'], client: ClientInfo & ClientFingerprint): Promise<{ view: ScanView; sectionsHtml: string }> {
    const code = await this.codeEntry(rawCode);
    const batch = await this.batchEntry(code.batchId);
    const now = Date.now();
    this.recorder.record({ code: code.code, kind: code.kind, batchId: code.batchId, at: now, via, ...client });
    const view: ScanView = {
      code: code.code,
      kind: code.kind,
      serial: code.serial,
      traceUrl: code.traceUrl,
      qrContent: code.qrContent,
      ...batch.facts,
      scans: code.kind === 'item' ? this.scans(code, now) : null,
    };
    return { view, sectionsHtml: batch.sectionsHtml };
  }

  /** The public facts of a code's batch, without recording a scan (link sets, redirects). */
  async peek(rawCode: string): Promise<Record<string, unknown>> {
    const code = await this.codeEntry(rawCode);
    return (await this.batchEntry(code.batchId)).facts;
  }

  /**
   * A Digital Link path (/01/{gtin}[/22/…][/10/{lot}][/21/{serial}]) resolved as far down as it goes:
   * the item (a serialised label, with or without its lot in the path), its lot, the product. An
   * unknown serial or lot walks up to the level above (`walkedUp`); an unknown GTIN is NOT_FOUND.
   */
  /** A path's resolution when it is cached: the resolver's hot path then awaits nothing before the scan. */
  cachedResolution(path: string): DigitalLinkResolution | undefined {
    const cached = this.resolutions.get(path);
    return cached && cached.until > Date.now() ? cached.value : undefined;
  }

  async resolveDigitalLink(path: string): Promise<DigitalLinkResolution> {
    // A walk-up (unknown lot or serial) is not kept: the lot may be registered the next moment.
    return (await this.cachedUntilBatchChange(this.resolutions, path, () => this.resolveUncached(path), (r) => !r.walkedUp))!;
  }

  private async resolveUncached(path: string): Promise<DigitalLinkResolution> {
    const link = parseDigitalLinkPath(path);
    let walkedUp = false;
    let itemCode: string | null = null;
    let batchId: string | null = null;
    let traceCode: string | null = null;
    if (link.serial !== undefined) {
      const item = await this.itemFor(link.gtin, link.lot, link.serial);
      if (item) {
        ({ itemCode, batchId } = item);
        traceCode = (await this.batchEntry(batchId)).traceCode;
      } else walkedUp = true;
    }
    if (!batchId && link.lot !== undefined) {
      const lot = await this.lotEntry(link.gtin, link.lot);
      if (lot) ({ batchId, traceCode } = lot);
      else walkedUp = true;
    }
    if (batchId && traceCode) {
      const batch = await this.batchEntry(batchId);
      return { gtin: link.gtin, walkedUp, itemCode, lot: { traceCode, lotCode: batch.lotCode, facts: batch.facts }, product: batch.facts.product, producer: batch.facts.producer };
    }
    const product = await this.productFacts(link.gtin);
    if (!product) throw new DomainError('NOT_FOUND', 'No product with this GTIN');
    return { gtin: link.gtin, walkedUp, itemCode: null, lot: null, ...product };
  }

  /**
   * Reads through one of the caches derived from batches: a hit is kept BATCH_TTL_MS, nothing is kept
   * when a batch change overtook the read, and misses (null, or what `keep` refuses) are never kept.
   */
  private async cachedUntilBatchChange<T>(cache: BatchDerived<T>, key: string, load: () => Promise<T | null>, keep: (value: T) => boolean = () => true): Promise<T | null> {
    const cached = cache.get(key);
    if (cached && cached.until > Date.now()) return cached.value;
    const generation = this.batchGeneration;
    const value = await load();
    if (value === null || !keep(value) || generation !== this.batchGeneration) return value;
    if (cache.size >= BATCH_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { value, until: Date.now() + BATCH_TTL_MS });
    return value;
  }

  private lotEntry(gtin: string, lotCode: string): Promise<LotEntry | null> {
    return this.cachedUntilBatchChange(this.lots, `${gtin}\u0000${lotCode}`, () => this.reads.lookup(async (m) => {
      const batch = await this.batches.findByProductsAndLot(await this.products.idsByGtin(gtin, m), lotCode, m)
        ?? await this.batches.findByProductsAndLot(await this.products.idsByFormerGtin(gtin, m), lotCode, m);
      return batch?.traceCode ? { batchId: batch.id, traceCode: batch.traceCode } : null;
    }));
  }

  private async itemFor(gtin: string, lot: string | undefined, serial: string): Promise<{ itemCode: string; batchId: string } | null> {
    try {
      const code = await this.codeEntry(serial);
      const batch = await this.batchEntry(code.batchId);
      // Labels printed before a GTIN change carry the old GTIN: it still names this product.
      const sameProduct = batch.gtin === gtin || await this.products.hasOrHadGtin(batch.productId, gtin);
      if (code.kind !== 'item' || !sameProduct || (lot !== undefined && batch.lotCode !== lot)) return null;
      return { itemCode: code.code, batchId: code.batchId };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /** The public facts of the product a GTIN (or a former GTIN) names. */
  private productFacts(gtin: string): Promise<ProductLevel | null> {
    return this.cachedUntilBatchChange(this.productLevel, gtin, () => this.loadProductFacts(gtin));
  }

  private loadProductFacts(gtin: string): Promise<ProductLevel | null> {
    return this.reads.lookup(async (m) => {
      const [id] = [...await this.products.idsByGtin(gtin, m), ...await this.products.idsByFormerGtin(gtin, m)];
      const product = id ? await this.products.byId(id, m) : null;
      const producer = product ? await this.organizations.summary(product.organizationId, m) : null;
      return product && producer ? productLevel(product, producer) : null;
    });
  }

  /**
   * Per-code reads (what a burst of scans is made of) may be answered by the read replica; a
   * code the replica does not have yet is looked up on the primary (ReadReplica.lookup). Batch facts
   * and sections (batchEntry) are always read from the primary: they are loaded at most once per
   * batch per BATCH_TTL_MS and right after each change, and a recall must show at once.
   */
  private findCode(rawCode: string) {
    return this.reads.lookup((m) => this.traceCodes.findByCode(rawCode, m));
  }

  private scans(code: CodeEntry, now: number): NonNullable<ScanView['scans']> {
    const count = code.storedCount + this.recorder.pendingFor(code.code);
    const first = code.firstScannedAt ?? new Date(now);
    return { count, clients: code.clients, firstScannedAt: first.toISOString(), copyWarning: code.clients > this.config.scanCopyWarnThreshold };
  }

  private async codeEntry(rawCode: string): Promise<CodeEntry> {
    if (!isTraceCodeFormat(rawCode)) throw new DomainError('NOT_FOUND', 'Unknown trace code');
    const cached = this.codes.get(rawCode);
    if (cached && cached.until > Date.now()) return cached;
    if ((this.misses.get(rawCode) ?? 0) > Date.now()) throw new DomainError('NOT_FOUND', 'Unknown trace code');
    const traceCode = await this.findCode(rawCode);
    if (!traceCode) {
      // Guessed codes are remembered briefly, so a flood of them costs no query each. A real code
      // is always issued before its label exists, so it is never scanned while "unknown".
      if (this.misses.size >= MISS_CACHE_MAX) this.misses.delete(this.misses.keys().next().value!);
      this.misses.set(rawCode, Date.now() + MISS_TTL_MS);
      throw new DomainError('NOT_FOUND', 'Unknown trace code');
    }
    const batch = await this.batchEntry(traceCode.batchId);
    const subject = { gtin: batch.gtin, lot: batch.lotCode, code: rawCode };
    const entry: CodeEntry = {
      code: rawCode,
      kind: traceCode.kind,
      serial: traceCode.serial,
      batchId: traceCode.batchId,
      traceUrl: traceUrl(this.config.publicBaseUrl, rawCode),
      qrContent: traceCode.kind === 'item' ? itemQrContent(this.config.publicBaseUrl, subject) : batchQrContent(this.config.publicBaseUrl, subject),
      storedCount: traceCode.scanCount,
      clients: traceCode.clientCount,
      firstScannedAt: traceCode.firstScannedAt,
      until: Date.now() + CODE_TTL_MS,
    };
    if (this.codes.size >= CODE_CACHE_MAX) this.codes.delete(this.codes.keys().next().value!);
    this.codes.set(rawCode, entry);
    return entry;
  }

  private async batchEntry(batchId: string): Promise<BatchEntry> {
    const cached = this.batchFacts.get(batchId);
    if (cached && cached.until > Date.now()) return cached;
    const generation = this.batchGeneration;
    const batch = await this.batches.byId(batchId);
    if (!batch) throw new DomainError('NOT_FOUND', 'Unknown trace code');
    const [product, site, producer, sections] = await Promise.all([
      this.products.byId(batch.productId), this.sites.byId(batch.siteId), this.organizations.summary(batch.organizationId),
      this.sections.load(batchId),
    ]);
    if (!product || !site || !producer) throw new DomainError('NOT_FOUND', 'Unknown trace code');
    const banner = BANNERS[batch.status];
    const entry: BatchEntry = {
      productId: product.id,
      gtin: product.gtin,
      lotCode: batch.lotCode,
      traceCode: batch.traceCode ?? null,
      until: Date.now() + BATCH_TTL_MS,
      sectionsHtml: sections.html,
      facts: {
        status: batch.status,
        banner: banner ? { ...banner, text: batch.statusReason ? `${banner.text}（原因：${batch.statusReason}）` : banner.text } : null,
        ...productLevel(product, producer),
        site: { name: site.name, regionCode: site.regionCode, regionName: site.regionName },
        batch: { lotCode: batch.lotCode, producedOn: batch.producedOn, quantity: { value: formatDecimal(batch.quantityValue), unit: batch.quantityUnit } },
        ...sections.facts,
      },
    };
    if (generation !== this.batchGeneration) return entry;
    if (this.batchFacts.size >= BATCH_CACHE_MAX) this.batchFacts.delete(this.batchFacts.keys().next().value!);
    this.batchFacts.set(batchId, entry);
    return entry;
  }
}
