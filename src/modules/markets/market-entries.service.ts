import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError, type ErrorCode } from '../../../libs/errors';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { formatDecimal, parseQuantity, Quantity } from '../../../libs/quantity';
import { isUuid } from '../../common/ids';
import { Page, pageRows, toPage } from '../../common/pagination';
import { auditedInsert } from '../audit';
import { Actor, canRead, isAdmin, regulatorPrefix } from '../auth';
import { BatchesService } from '../batches';
import { CategoriesService } from '../categories';
import { CertificateCollectionsService, CertificateFacts } from '../certificates';
import { TraceCodesService } from '../codes';
import { IdempotencyService } from '../idempotency';
import { NotificationsService } from '../notifications';
import { OrganizationsService, OrganizationSummary } from '../organizations';
import { ConfirmatorySamplesService } from '../sampling';
import { entryVerdict } from './domain/entry-verdict';
import { normalizePlate, traceCodeIn } from './domain/gate-input';
import { CreateEntryDto, DisposeItemDto, EntryItemDto, ListEntriesDto } from './dto/market.dto';
import { MarketEntry, MarketEntryItem } from './market-entry.entity';
import { GateSeller, MarketSellersService } from './market-sellers.service';

export interface EntryItemView {
  id: string;
  position: number;
  proof: MarketEntryItem['proof'];
  presented: string;
  category: string;
  productName: string;
  quantity: { value: string; unit: string };
  outcome: 'accepted' | 'refused';
  code: string | null;
  reason: string | null;
  certificate: { id: string; number: string } | null;
  batchId: string | null;
  collectionId: string | null;
  originRegionCode: string | null;
  origin: string | null;
  otherProof: MarketEntryItem['otherProof'];
  rapidTest: MarketEntryItem['rapidTest'];
  sampleId: string | null;
  disposal: MarketEntryItem['disposal'];
}

export interface EntryView {
  id: string;
  marketId: string;
  sellerId: string | null;
  stallId: string | null;
  enteredAt: string;
  enteredOn: string;
  vehiclePlate: string | null;
  status: MarketEntry['status'];
  verified: boolean;
  itemCount: number;
  refusedCount: number;
  items: EntryItemView[];
  createdAt: string;
}

/** What the gate knows about an item before its transaction (reads that need no lock). */
interface Prepared {
  dto: EntryItemDto;
  index: number;
  categoryPath: string;
  productName: string;
  quantity: Quantity;
  certificateQuantity: Quantity | null;
  /** A scanned trace code: its batch, or null when no such code exists. */
  trace: { code: string; batchId: string | null } | null;
  analytes: string[];
}

/** The order in which an entry's refusal is answered when several lots were refused. */
const REFUSAL_ORDER: ErrorCode[] = [
  'RAPID_TEST_FAILED', 'CERTIFICATE_VOIDED', 'BATCH_NOT_SELLABLE', 'CERTIFICATE_PRODUCT_MISMATCH', 'CERTIFICATE_QUANTITY_EXHAUSTED',
  'CERTIFICATE_NOT_FOUND', 'TRACE_CODE_UNKNOWN', 'CERTIFICATE_LOOKUP_LIMITED',
];

/**
 * 入场查验 at a market gate: each lot of a seller's consignment is checked on its trace code,
 * certificate (through certificate collection's checks and quantity ledger) or another proof, with
 * an optional entry rapid test. The entry is recorded whatever the verdicts; refused lots are
 * reported to the market's regulator and the origin's; a failed rapid test opens a confirmatory
 * sample. Retries with the same Idempotency-Key get the first answer.
 */
@Injectable()
export class MarketEntriesService {
  constructor(
    @InjectRepository(MarketEntry) private readonly entries: Repository<MarketEntry>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sellers: MarketSellersService,
    private readonly collections: CertificateCollectionsService,
    private readonly categories: CategoriesService,
    private readonly traceCodes: TraceCodesService,
    private readonly batches: BatchesService,
    private readonly notifications: NotificationsService,
    private readonly sampling: ConfirmatorySamplesService,
    private readonly idempotency: IdempotencyService,
    private readonly organizations: OrganizationsService,
  ) {}

  async create(actor: Actor, dto: CreateEntryDto, key: string | undefined): Promise<{ view: EntryView; replayed: boolean }> {
    const market = await this.sellers.requireMarket(actor);
    const enteredAt = dto.enteredAt ? new Date(dto.enteredAt) : new Date();
    if (enteredAt.getTime() > Date.now() + 5 * 60_000) throw new DomainError('VALIDATION_FAILED', 'enteredAt cannot be in the future', { field: 'enteredAt', rule: 'not_future' });
    const plate = dto.vehiclePlate ? normalizePlate(dto.vehiclePlate) : null;
    const prepared = await Promise.all(dto.items.map((item, index) => this.prepare(item, index)));
    const { result, replayed } = await this.idempotency.run(actor, key, 'POST /api/v1/market-entries', dto, async (m) => {
      // The seller and its stall in one read: a gate check is dominated by round trips to the database.
      const { seller, stallId } = await this.sellers.gateSeller(m, market.id, dto.sellerId, dto.stallId);
      const entry = m.create(MarketEntry, {
        id: randomUUID(), organizationId: market.id, regionCode: market.regionCode, sellerId: seller.id, stallId,
        enteredAt, enteredOn: chinaDate(enteredAt), vehiclePlate: plate, status: 'accepted', verified: false, itemCount: prepared.length, refusedCount: 0,
      });
      // Every lot is checked first (collections, ledger draws, samples and reports refer to the lot's id); then the entry and its lots are written once each.
      const items: MarketEntryItem[] = [];
      const numbers = new Map<string, string>();
      for (const p of prepared) items.push(await this.checkItem(m, { market, seller, entry, numbers }, p));
      const verdict = entryVerdict(items.map((i) => ({ proof: i.proof, outcome: i.outcome, refusalCode: i.refusalCode as ErrorCode | null })));
      Object.assign(entry, { status: verdict.status, verified: verdict.verified, refusedCount: verdict.refused });
      // Each table in one statement returning the stored rows (no read back); the certificates' numbers came with the checks.
      const [stored] = await auditedInsert(m, MarketEntry, [entry]);
      entry.createdAt = stored.created_at as Date;
      const storedItems = await auditedInsert(m, MarketEntryItem, items);
      items.forEach((item, i) => { item.createdAt = storedItems[i].created_at as Date; });
      return this.view(entry, items, numbers);
    });
    if (!replayed && result.refusedCount > 0) this.notifications.deliverSoon();
    return { view: result, replayed };
  }

  /** An entry with refused lots answers with the refusal (the entry is recorded either way). */
  refusalOf(view: EntryView): DomainError | null {
    const refused = view.items.filter((i) => i.outcome === 'refused');
    if (refused.length === 0) return null;
    const first = [...refused].sort((a, b) => rank(a.code) - rank(b.code))[0];
    const entered = view.items.length - refused.length;
    return new DomainError(first.code as ErrorCode, `${refused.length} of ${view.items.length} lots were refused entry (${first.reason ?? first.code})${entered ? `; ${entered} entered` : ''}; the entry was recorded and reported to the regulator`, {
      field: `items[${first.position}]`, rule: 'entry_check', entryId: view.id, status: view.status,
      items: view.items.map((i) => ({ id: i.id, position: i.position, outcome: i.outcome, code: i.code, reason: i.reason, sampleId: i.sampleId })),
    });
  }

  private async prepare(item: EntryItemDto, index: number): Promise<Prepared> {
    const field = `items[${index}]`;
    const proofs = [item.traceCode?.trim(), item.certificate?.trim(), item.otherProof].filter((p) => !!p).length;
    if (proofs !== 1) {
      throw new DomainError('PROOF_REQUIRED', `${field}: give exactly one of traceCode, certificate or otherProof`, { field, rule: 'one_proof' });
    }
    const category = await this.categories.requireCategory(item.category, `${field}.category`);
    const quantity = parseQuantity(item.quantity, `${field}.quantity`);
    const certificateQuantity = item.certificateQuantity ? parseQuantity(item.certificateQuantity, `${field}.certificateQuantity`) : null;
    let trace: Prepared['trace'] = null;
    if (item.traceCode?.trim()) {
      const code = traceCodeIn(item.traceCode);
      const row = code ? await this.traceCodes.findByCode(code) : null;
      trace = { code: code ?? item.traceCode.trim(), batchId: row?.batchId ?? null };
    }
    const analytes = item.rapidTest?.result === 'fail' ? await this.sampling.catalogueAnalytes([item.rapidTest.analyte]) : [];
    return {
      dto: item, index, categoryPath: category.path, productName: item.productName?.trim() || category.path.split('>').at(-1)!,
      quantity, certificateQuantity, trace, analytes,
    };
  }

  private async checkItem(m: EntityManager, ctx: { market: OrganizationSummary; seller: GateSeller; entry: MarketEntry; numbers: Map<string, string> }, p: Prepared): Promise<MarketEntryItem> {
    const { market, seller, entry, numbers } = ctx;
    const field = `items[${p.index}]`;
    const item = m.create(MarketEntryItem, {
      id: randomUUID(), entryId: entry.id, organizationId: market.id, stallId: entry.stallId, enteredOn: entry.enteredOn, position: p.index,
      proof: p.trace ? 'trace_code' : p.dto.certificate?.trim() ? 'certificate' : 'other_proof',
      presented: (p.dto.traceCode ?? p.dto.certificate ?? p.dto.otherProof?.reference ?? '').trim().slice(0, 300),
      categoryPath: p.categoryPath, productName: p.productName.slice(0, 100), quantityValue: p.quantity.value, quantityUnit: p.quantity.unit,
      batchId: null, certificateId: null, collectionId: null, originRegionCode: seller.originRegionCode, origin: seller.origins[0] ?? null,
      outcome: 'accepted', refusalCode: null, reason: null, rapidTest: p.dto.rapidTest ? { analyte: p.dto.rapidTest.analyte, result: p.dto.rapidTest.result, method: p.dto.rapidTest.method ?? null } : null,
      otherProof: p.dto.otherProof ? { kind: p.dto.otherProof.kind, reference: p.dto.otherProof.reference.trim(), issuer: p.dto.otherProof.issuer?.trim() || null } : null,
      sampleId: null, disposal: null,
    });
    const refuse = (code: ErrorCode, reason: string) => Object.assign(item, { outcome: 'refused', refusalCode: code, reason });
    const useCertificate = (c: CertificateFacts) => {
      numbers.set(c.id, c.number);
      return Object.assign(item, { certificateId: c.id, batchId: c.batchId, originRegionCode: c.regionCode, origin: c.origin });
    };

    if (p.dto.rapidTest?.result === 'fail') {
      // The lot stays out: nothing is drawn from a certificate; its batch (if known) gets a confirmatory sample.
      const cert = p.dto.certificate?.trim() ? await this.collections.lookup(m, market.id, p.dto.certificate, p.certificateQuantity) : null;
      if (cert) useCertificate(cert);
      const batchId = cert?.batchId ?? p.trace?.batchId ?? null;
      if (batchId) Object.assign(item, { batchId, originRegionCode: cert?.regionCode ?? (await this.batches.byId(batchId, m))?.regionCode ?? item.originRegionCode });
      refuse('RAPID_TEST_FAILED', `入场快检不合格（${p.dto.rapidTest.analyte}）：禁止入场，已启动监督抽检`);
      if (batchId) {
        const opened = await this.sampling.open(m, {
          batchId, regionCode: market.regionCode, analytes: p.analytes, categoryPath: p.categoryPath,
          note: `${market.name} 入场快检不合格（${p.dto.rapidTest.analyte}），确证抽检`,
        });
        item.sampleId = opened.opened ? opened.sampleId : null;
      }
      await this.report(m, market, item, 'market_entry.rapid_test_failed');
      return item;
    }

    if (p.trace) {
      const batch = p.trace.batchId ? await this.batches.byId(p.trace.batchId, m) : null;
      if (!batch) {
        refuse('TRACE_CODE_UNKNOWN', '查无此追溯码');
      } else {
        Object.assign(item, { batchId: batch.id, originRegionCode: batch.regionCode });
        const cert = await this.collections.validForBatch(m, batch.id);
        if (batch.status !== 'active') {
          refuse('BATCH_NOT_SELLABLE', batch.status === 'recalled' ? '该批次已召回' : '该批次已被暂停销售（扣留）');
        } else if (cert) {
          // The batch's certificate is checked and drawn on exactly like a scanned certificate.
          useCertificate(cert);
          return this.collected(m, market, item, p, field, { certificateId: cert.id }, numbers);
        }
      }
      if (item.outcome === 'refused') await this.report(m, market, item, `market_entry.${item.refusalCode === 'TRACE_CODE_UNKNOWN' ? 'unknown_code' : 'batch_not_sellable'}`);
      return item;
    }

    if (item.proof === 'certificate') return this.collected(m, market, item, p, field, {}, numbers);
    return item;
  }

  /** The certificate check of certificate collection (validity, category, quantity ledger), recorded as the market's 查验. */
  private async collected(m: EntityManager, market: OrganizationSummary, item: MarketEntryItem, p: Prepared, field: string, by: { certificateId?: string },
    numbers: Map<string, string>): Promise<MarketEntryItem> {
    const checked = await this.collections.check(m, {
      organizationId: market.id, regionCode: market.regionCode, collectorName: market.name, source: 'market_entry',
      productId: null, productName: p.productName, categoryPath: p.categoryPath, presented: item.presented, certificateId: by.certificateId,
      certificateQuantity: p.certificateQuantity, quantity: p.quantity, supplierName: null,
      field: by.certificateId ? `${field}.traceCode` : `${field}.certificate`, quantityField: `${field}.quantity`,
    });
    const c = checked.certificate;
    if (c) numbers.set(c.id, c.number);
    const changes: Partial<MarketEntryItem> = {
      collectionId: checked.row.id,
      ...(c ? { certificateId: c.id, batchId: c.batchId, originRegionCode: c.regionCode, origin: c.origin } : {}),
      ...(checked.refusal ? { outcome: 'refused' as const, refusalCode: checked.refusal.code, reason: checked.reason } : {}),
    };
    return Object.assign(item, changes);
  }

  /**
   * Refusals not made by certificate collection (which reports its own): to the regulators of the
   * market's region and of the goods' origin, each once.
   */
  private async report(m: EntityManager, market: OrganizationSummary, item: MarketEntryItem, kind: string): Promise<void> {
    const subject = { type: 'market_entry_items', id: item.id };
    const payload = {
      entryId: item.entryId, itemId: item.id, market: market.name, marketRegionCode: market.regionCode, code: item.refusalCode, reason: item.reason,
      presented: item.presented, batchId: item.batchId, originRegionCode: item.originRegionCode, sampleId: item.sampleId,
    };
    const local = await this.notifications.notify(m, { regionCode: market.regionCode, kind, subject, payload });
    if (item.originRegionCode) {
      await this.notifications.notify(m, { regionCode: item.originRegionCode, kind, subject, payload, exceptOrganizationIds: local.recipientIds });
    }
  }

  async get(actor: Actor, id: string): Promise<EntryView> {
    const entry = await this.findReadable(actor, id);
    const items = await this.dataSource.manager.find(MarketEntryItem, { where: { entryId: entry.id }, order: { position: 'ASC' } });
    return this.viewWithNumbers(entry, items);
  }

  /** Own entries (a regulator: its region's markets'), newest first; filters status and day. */
  async list(actor: Actor, query: ListEntriesDto): Promise<Page<EntryView>> {
    const qb = this.entries.createQueryBuilder('e');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('e.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('e.organization_id = :org', { org: actor.organizationId });
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.on) qb.andWhere('e.entered_on = :on', { on: query.on });
    const limit = query.limit ?? 50;
    const rows = await pageRows(qb, 'e', limit, query.cursor);
    const items = rows.length ? await this.dataSource.manager.find(MarketEntryItem, { where: { entryId: In(rows.map((r) => r.id)) }, order: { position: 'ASC' } }) : [];
    const numbers = await this.certificateNumbers(items);
    return toPage(rows, limit, (e) => this.view(e, items.filter((i) => i.entryId === e.id), numbers));
  }

  /** Records what happened to a refused lot (销毁, 退货 …): shown on the market's 公示 page. Once. */
  async dispose(actor: Actor, entryId: string, itemId: string, dto: DisposeItemDto): Promise<EntryView> {
    const market = await this.sellers.requireMarket(actor);
    const entry = isUuid(entryId) ? await this.entries.findOneBy({ id: entryId, organizationId: market.id }) : null;
    const item = entry && isUuid(itemId) ? await this.dataSource.manager.findOneBy(MarketEntryItem, { id: itemId, entryId: entry.id }) : null;
    if (!entry || !item) throw new DomainError('NOT_FOUND', 'Entry item not found');
    if (item.outcome !== 'refused') throw new DomainError('ITEM_NOT_REFUSED', 'Only a lot refused entry is disposed of');
    await this.dataSource.transaction(async (m) => {
      const [row] = await m.query('SELECT disposal FROM market_entry_items WHERE id = $1 FOR UPDATE', [item.id]) as { disposal: unknown }[];
      if (row.disposal) throw new DomainError('ITEM_ALREADY_DISPOSED', 'This lot\'s disposal is already recorded');
      await m.update(MarketEntryItem, { id: item.id }, { disposal: { method: dto.method, note: dto.note?.trim() || null, at: new Date().toISOString() } });
    });
    return this.get(actor, entry.id);
  }

  private async findReadable(actor: Actor, id: string): Promise<MarketEntry> {
    const entry = isUuid(id) ? await this.entries.findOneBy({ id }) : null;
    if (!entry || !canRead(actor, entry.organizationId, [entry.regionCode])) throw new DomainError('NOT_FOUND', 'Market entry not found');
    return entry;
  }

  private certificateNumbers(items: MarketEntryItem[]): Promise<Map<string, string>> {
    return this.collections.numbersOf(items.map((i) => i.certificateId ?? ''));
  }

  private async viewWithNumbers(entry: MarketEntry, items: MarketEntryItem[]): Promise<EntryView> {
    return this.view(entry, items, await this.certificateNumbers(items));
  }

  private view(e: MarketEntry, items: MarketEntryItem[], numbers: Map<string, string> = new Map()): EntryView {
    return {
      id: e.id, marketId: e.organizationId, sellerId: e.sellerId, stallId: e.stallId, enteredAt: e.enteredAt.toISOString(), enteredOn: e.enteredOn,
      vehiclePlate: e.vehiclePlate, status: e.status, verified: e.verified, itemCount: e.itemCount, refusedCount: e.refusedCount,
      items: items.map((i) => ({
        id: i.id, position: i.position, proof: i.proof, presented: i.presented, category: i.categoryPath, productName: i.productName,
        quantity: { value: formatDecimal(i.quantityValue), unit: i.quantityUnit }, outcome: i.outcome, code: i.refusalCode, reason: i.reason,
        certificate: i.certificateId ? { id: i.certificateId, number: numbers.get(i.certificateId) ?? '' } : null,
        batchId: i.batchId, collectionId: i.collectionId, originRegionCode: i.originRegionCode, origin: i.origin, otherProof: i.otherProof,
        rapidTest: i.rapidTest, sampleId: i.sampleId, disposal: i.disposal,
      })),
      createdAt: e.createdAt.toISOString(),
    };
  }
}

function rank(code: string | null): number {
  const at = REFUSAL_ORDER.indexOf(code as ErrorCode);
  return at < 0 ? REFUSAL_ORDER.length : at;
}
