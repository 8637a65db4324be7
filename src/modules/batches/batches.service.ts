import { announceBatchChanged } from '../../common/batch-events';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Like, Repository } from 'typeorm';
import { generateLotCode, validateLotCode } from '../../../libs/codes';
import { asField, DomainError } from '../../../libs/errors';
import { assertNotFuture } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { Page, pageRows, toPage } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../common/db-errors';
import { AuditService, auditedQuery } from '../audit';
import { Actor, canRead, canWriteAs, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { batchQrContent, traceUrl } from '../codes/domain';
import { TraceCodesService } from '../codes';
import { PhiGateService } from '../farm-inputs';
import { GiClaimsService } from '../gi';
import { IdempotencyService } from '../idempotency';
import { NotificationsService } from '../notifications';
import { ProductsService, ProductView } from '../products';
import { SitesService } from '../sites';
import { MarkClaimsService } from '../marks';
import { Batch } from './batch.entity';
import { assertTransition, BatchStatus } from './domain/batch-status';
import { formatDecimal, parseQuantity, Quantity } from '../../../libs/quantity';
import { ChangeBatchStatusDto, CreateBatchDto } from './dto/create-batch.dto';
import { repositoryIn } from '../../common/read-replica';

/**
 * A rule another feature adds to a batch leaving hold (on_hold → active or closed): it throws a
 * DomainError to refuse. Features register through `addReleaseCheck` because batches may not import
 * them (they import batches).
 */
export type BatchReleaseCheck = (batch: Batch) => Promise<void>;

/**
 * What another feature records when batches go on hold or are recalled, in that transaction (so
 * that it commits or rolls back with the change, whichever process or job made it). Features
 * register through `addStatusHook` (batches may not import them).
 */
export type BatchStatusHook = (manager: EntityManager, batchIds: string[], status: 'on_hold' | 'recalled') => Promise<void>;

export interface BatchView {
  id: string;
  organizationId: string;
  product: { id: string; name: string; category: string; gtin: string | null };
  siteId: string;
  regionCode: string;
  lotCode: string;
  quantity: Quantity;
  producedOn: string;
  harvestedOn: string | null;
  // FSMA 204 key data elements (as given on creation; null when not recorded).
  variety: string | null;
  growingArea: string | null;
  harvesterName: string | null;
  harvesterPhone: string | null;
  cooledAt: string | null;
  coolingSiteId: string | null;
  /** Where the lot code was assigned; null: the batch's own site. */
  tlcSourceSiteId: string | null;
  status: BatchStatus;
  statusReason: string | null;
  traceCode: string;
  traceUrl: string;
  qrContent: string;
  itemsIssued: number;
  createdAt: string;
}


@Injectable()
export class BatchesService {
  constructor(
    @InjectRepository(Batch) private readonly batches: Repository<Batch>,
    private readonly products: ProductsService,
    private readonly sites: SitesService,
    private readonly traceCodes: TraceCodesService,
    private readonly idempotency: IdempotencyService,
    private readonly giClaims: GiClaimsService,
    private readonly gate: PhiGateService,
    private readonly markClaims: MarkClaimsService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly releaseChecks: BatchReleaseCheck[] = [];
  private readonly statusHooks: BatchStatusHook[] = [];

  /** Adds what runs in every transaction that puts batches on hold or recalls them (see BatchStatusHook). */
  addStatusHook(hook: BatchStatusHook): void {
    this.statusHooks.push(hook);
  }

  private async statusChanged(manager: EntityManager, batchIds: string[], status: 'on_hold' | 'recalled'): Promise<void> {
    if (batchIds.length === 0) return;
    for (const hook of this.statusHooks) await hook(manager, batchIds, status);
  }

  /** Adds a rule every release from hold must pass (see BatchReleaseCheck). */
  addReleaseCheck(check: BatchReleaseCheck): void {
    this.releaseChecks.push(check);
  }

  async create(actor: Actor, dto: CreateBatchDto, idempotencyKey?: string): Promise<{ view: BatchView; replayed: boolean }> {
    const organizationId = requireOwnOrganization(actor);
    const product = await this.products.findReadable(actor, dto.productId);
    const site = await this.sites.findReadable(actor, dto.siteId);
    if (product.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Product not found', { field: 'productId' });
    if (site.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Site not found', { field: 'siteId' });
    for (const field of ['coolingSiteId', 'tlcSourceSiteId'] as const) {
      const id = dto[field];
      if (id === undefined) continue;
      const other = await this.sites.findReadable(actor, id, field);
      if (other.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Site not found', { field });
    }
    if (dto.cooledAt !== undefined && new Date(dto.cooledAt).getTime() > Date.now() + 5 * 60_000) {
      throw new DomainError('VALIDATION_FAILED', 'cooledAt cannot be in the future', { field: 'cooledAt', rule: 'not_future' });
    }
    // A cooling place without its time would be dropped (cooling is one event: when and where).
    if (dto.coolingSiteId !== undefined && dto.cooledAt === undefined) {
      throw new DomainError('VALIDATION_FAILED', 'coolingSiteId is recorded with cooledAt (FSMA 204 cooling event)', { field: 'cooledAt', rule: 'required_with' });
    }
    if ((dto.harvesterName === undefined) !== (dto.harvesterPhone === undefined)) {
      const field = dto.harvesterName === undefined ? 'harvesterName' : 'harvesterPhone';
      throw new DomainError('VALIDATION_FAILED', 'The harvester is recorded with business name and phone together (FSMA 204)', { field, rule: 'required_with' });
    }
    const quantity = parseQuantity(dto.quantity);
    assertNotFuture(dto.producedOn, 'producedOn');
    if (dto.harvestedOn !== undefined && dto.harvestedOn > dto.producedOn) {
      throw new DomainError('VALIDATION_FAILED', 'harvestedOn cannot be after producedOn', { field: 'harvestedOn', rule: 'not_after_produced' });
    }
    const gateSubject = {
      organizationId, siteId: site.id, regionCode: site.regionCode, crop: product.categoryPath, harvestedOn: dto.harvestedOn ?? dto.producedOn,
    };
    const lotCode = dto.lotCode !== undefined ? asField('lotCode', () => validateLotCode(dto.lotCode)) : undefined;

    const gi = dto.giId ? {
      giId: dto.giId, organizationId, producedOn: dto.producedOn, quantity,
      site: { regionCode: site.regionCode, location: site.lat !== null && site.lng !== null ? { lat: Number(site.lat), lng: Number(site.lng) } : null },
    } : null;
    // A mark is printed on the packed goods: it must be valid on the production (packing) date.
    const marks = dto.marks?.length ? {
      markIds: dto.marks.map((m) => m.markId), organizationId, date: dto.producedOn, quantity,
      product: { id: product.id, name: product.name, categoryPath: product.categoryPath }, site: { id: site.id, regionCode: site.regionCode },
    } : null;

    try {
      const { result, replayed } = await this.idempotency.run(actor, idempotencyKey, 'POST /api/v1/batches', dto, async (manager) => {
        const batch = await this.insertWithLot(manager, {
          organizationId, productId: product.id, siteId: site.id, regionCode: site.regionCode,
          quantityValue: quantity.value, quantityUnit: quantity.unit, producedOn: dto.producedOn, harvestedOn: dto.harvestedOn ?? null,
          variety: dto.variety?.trim() || null, growingArea: dto.growingArea?.trim() || null,
          harvesterName: dto.harvesterName?.trim() || null, harvesterPhone: dto.harvesterPhone?.trim() || null,
          cooledAt: dto.cooledAt ? new Date(dto.cooledAt) : null, coolingSiteId: dto.cooledAt ? dto.coolingSiteId ?? site.id : null,
          tlcSourceSiteId: dto.tlcSourceSiteId ?? site.id,
        }, lotCode);
        // The safe-interval gate judges the site's farm records in the batch's transaction: refused, nothing is written.
        await this.gate.check(manager, gateSubject, batch.id);
        // A GI claim is checked and recorded in the batch's transaction: both or neither.
        if (gi) await this.giClaims.claim(manager, { ...gi, batchId: batch.id });
        if (marks) await this.markClaims.claim(manager, { ...marks, batchId: batch.id });
        batch.traceCode = await this.traceCodes.issueBatchCode(manager, batch.id);
        // save() (not update by criteria) so the audit log records the row with its id.
        await manager.save(batch);
        return this.toView(batch, { id: product.id, name: product.name, category: product.categoryPath, gtin: product.gtin });
      });
      return { view: result, replayed };
    } catch (error) {
      // Refused GI claims are kept for the regulators' usage report, outside the rolled-back transaction.
      if (gi) await this.giClaims.recordRefusal(error, gi);
      await this.gate.recordRefusal(error, gateSubject);
      if (marks) await this.markClaims.recordRefusal(error, marks);
      throw error;
    }
  }

  async get(actor: Actor, id: string): Promise<BatchView> {
    const batch = await this.findReadable(actor, id);
    return this.toView(batch, await this.productOf(batch));
  }

  /** The batch if the actor may read it (owner, admin, regulator of its site's or owner's region), else 404. */
  async findReadable(actor: Actor, id: string): Promise<Batch> {
    const batch = isUuid(id) ? await this.batches.findOneBy({ id }) : null;
    if (batch && canRead(actor, batch.organizationId, [batch.regionCode])) return batch;
    throw new DomainError('NOT_FOUND', 'Batch not found');
  }

  /** The batch if the actor may write to it as its owner, else 404 (or 403 for a reader). */
  async findWritable(actor: Actor, id: string): Promise<Batch> {
    const batch = await this.findReadable(actor, id);
    if (!canWriteAs(actor, batch.organizationId)) {
      throw new DomainError('FORBIDDEN', 'Only the batch owner\'s org_admin or operator can do this');
    }
    return batch;
  }

  /** Internal lookup for public pages (no access check). */
  /** In `manager`'s transaction when given: the single-connection embedded database has no other connection to wait for. */
  byId(id: string, manager?: EntityManager): Promise<Batch | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return manager ? manager.findOneBy(Batch, { id }) : this.batches.findOneBy({ id });
  }

  /** Batches of any of these products with this lot, oldest product first. */
  async findByProductsAndLot(productIds: string[], lotCode: string, reader?: EntityManager): Promise<Batch | null> {
    if (productIds.length === 0) return null;
    const rows = await repositoryIn(this.batches, reader).createQueryBuilder('b')
      .where('b.product_id IN (:...ids) AND b.lot_code = :lot', { ids: productIds, lot: lotCode }).getMany();
    return productIds.map((pid) => rows.find((r) => r.productId === pid)).find((b) => !!b) ?? null;
  }

  async list(actor: Actor, limit = 50, cursor?: string): Promise<Page<BatchView>> {
    const qb = this.batches.createQueryBuilder('b');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('b.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('b.organization_id = :org', { org: actor.organizationId });
    const rows = await pageRows(qb, 'b', limit, cursor);
    const products = await this.products.byIds(rows.map((r) => r.productId));
    return toPage(rows, limit, (b) => this.toView(b, products.get(b.productId)!));
  }

  /** Each batch's product category path (batches not found are left out) — for other features' breakdowns by category. */
  async categoryPaths(batchIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(batchIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.batches.find({ select: { id: true, productId: true }, where: { id: In(ids) } });
    const products = await this.products.byIds(rows.map((r) => r.productId));
    return new Map(rows.flatMap((r) => { const p = products.get(r.productId); return p ? [[r.id, p.category] as [string, string]] : []; }));
  }

  /** Whether the organisation has produced any batch in the region (a code prefix) — jurisdiction checks. */
  async producesIn(organizationId: string, regionPrefix: string): Promise<boolean> {
    return this.batches.exists({ where: { organizationId, regionCode: Like(`${regionPrefix}%`) } });
  }

  async changeStatus(actor: Actor, id: string, dto: ChangeBatchStatusDto): Promise<BatchView> {
    const batch = await this.findReadable(actor, id);
    const regulatorMay = actor.role === 'regulator' && ['on_hold', 'recalled'].includes(dto.status);
    if (!isAdmin(actor) && !canWriteAs(actor, batch.organizationId) && !regulatorMay) {
      throw new DomainError('FORBIDDEN', 'Only the owner, an admin, or a regulator (hold or recall) can change a batch status');
    }
    const status = assertTransition(batch.status, dto.status, dto.reason);
    // Leaving hold, whether back on sale or closed, passes the features' rules (a failed batch needs its disposal).
    if (batch.status === 'on_hold' && (status === 'active' || status === 'closed')) {
      for (const check of this.releaseChecks) await check(batch);
    }
    await this.dataSource.transaction(async (m) => {
      const from = batch.status;
      Object.assign(batch, { status, statusReason: dto.reason ?? null, statusChangedAt: new Date() });
      await m.save(batch);
      await this.audit.record(m, {
        action: `batch.${status}`, subject: { type: 'batches', id: batch.id },
        organizationId: batch.organizationId, regionCode: batch.regionCode,
        details: { from, to: status, reason: dto.reason ?? null },
      });
      if (status === 'on_hold' || status === 'recalled') {
        // The owner and the regulators of the batch's region hear about it (webhooks, notification list).
        await this.notifications.notify(m, {
          organizationId: batch.organizationId, regionCode: batch.regionCode, kind: `batch.${status}`,
          subject: { type: 'batches', id: batch.id },
          payload: { batchId: batch.id, lotCode: batch.lotCode, traceCode: batch.traceCode, productId: batch.productId, status, reason: dto.reason ?? null },
        });
        await this.statusChanged(m, [batch.id], status);
      }
    });
    this.notifications.deliverSoon();
    announceBatchChanged(null, [batch.id]);
    return this.get(actor, id);
  }

  /**
   * Batches a sampling draw may pick: under a region prefix, of products in a category (or below
   * it), produced in [from, to], not recalled. Used by the sampling module.
   */
  async samplingCandidates(regionPrefix: string, categoryPath: string, from: string, to: string): Promise<{ id: string; organizationId: string; siteId: string; regionCode: string; categoryPath: string }[]> {
    const rows = await this.batches.createQueryBuilder('b')
      .select(['b.id', 'b.organizationId', 'b.siteId', 'b.regionCode', 'b.productId'])
      .where('b.region_code LIKE :prefix', { prefix: `${regionPrefix}%` })
      .andWhere('b.produced_on BETWEEN :from AND :to', { from, to })
      .andWhere("b.status IN ('active', 'on_hold')")
      .getMany();
    const products = await this.products.byIds([...new Set(rows.map((r) => r.productId))]);
    return rows.flatMap((b) => {
      const category = products.get(b.productId)?.category ?? '';
      return category === categoryPath || category.startsWith(`${categoryPath}>`)
        ? [{ id: b.id, organizationId: b.organizationId, siteId: b.siteId, regionCode: b.regionCode, categoryPath: category }]
        : [];
    });
  }

  /**
   * The batch, locked until the caller's transaction ends: documents that draw on the batch's
   * quantity (certificates) take this lock so concurrent issues never exceed it.
   */
  async lockForUpdate(manager: EntityManager, id: string): Promise<Batch> {
    const batch = await manager.findOne(Batch, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!batch) throw new DomainError('NOT_FOUND', 'Batch not found');
    return batch;
  }

  /**
   * A new lot inside the caller's transaction, for supply-chain events (a received inbound lot, a
   * transformation's output). The caller has checked product and site ownership.
   */
  async createLot(manager: EntityManager, fields: {
    organizationId: string; productId: string; siteId: string; regionCode: string; quantity: Quantity; producedOn: string; lotCode?: string;
  }): Promise<Batch> {
    const lotCode = fields.lotCode !== undefined ? asField('lotCode', () => validateLotCode(fields.lotCode)) : undefined;
    const batch = await this.insertWithLot(manager, {
      organizationId: fields.organizationId, productId: fields.productId, siteId: fields.siteId, regionCode: fields.regionCode,
      quantityValue: fields.quantity.value, quantityUnit: fields.quantity.unit, producedOn: fields.producedOn,
      // A new lot code is assigned here: this site is its traceability lot code source.
      tlcSourceSiteId: fields.siteId,
    }, lotCode);
    batch.traceCode = await this.traceCodes.issueBatchCode(manager, batch.id);
    await manager.save(batch);
    return batch;
  }

  /**
   * Lots of these products for traceability records (FSMA 204 spreadsheet): an organisation's own,
   * or a regulator's jurisdiction (region prefix), or every one (admin: neither given).
   */
  async lotsOfProducts(productIds: string[], scope: { organizationId?: string; regionPrefix?: string }, reader?: EntityManager): Promise<Batch[]> {
    const ids = [...new Set(productIds)].filter(isUuid);
    if (ids.length === 0) return [];
    const qb = repositoryIn(this.batches, reader).createQueryBuilder('b').where('b.product_id = ANY(:ids)', { ids });
    if (scope.organizationId) qb.andWhere('b.organization_id = :org', { org: scope.organizationId });
    if (scope.regionPrefix) qb.andWhere('b.region_code LIKE :prefix', { prefix: `${scope.regionPrefix}%` });
    return qb.orderBy('b.produced_on').addOrderBy('b.id').getMany();
  }

  /** Internal lookup of several batches at once (no access check). */
  async byIds(ids: string[], reader?: EntityManager): Promise<Batch[]> {
    const unique = [...new Set(ids)].filter(isUuid);
    if (unique.length === 0) return [];
    return repositoryIn(this.batches, reader).createQueryBuilder('b').where('b.id = ANY(:ids)', { ids: unique }).getMany();
  }

  /**
   * A recall reaching these lots (whoever owns them): every lot not yet recalled becomes recalled
   * with the reason. Returns the ids it changed; the caller announces them (announceBatchChanged).
   */
  async markRecalled(manager: EntityManager, ids: string[], reason: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await auditedQuery<{ id: string }>(manager,
      `UPDATE batches SET status = 'recalled', status_reason = $2, status_changed_at = now()
       WHERE id = ANY($1::uuid[]) AND status <> 'recalled' RETURNING id`,
      [ids, reason.slice(0, 500)], { target: Batch, verb: 'update', subjects: ids });
    const changed = rows.map((r) => r.id);
    await this.statusChanged(manager, changed, 'recalled');
    return changed;
  }

  /**
   * Reserves `count` serials after the batch's last one. The row lock makes concurrent print runs
   * of one batch take consecutive, non-overlapping ranges.
   */
  async reserveSerials(manager: EntityManager, batchId: string, count: number): Promise<{ first: number; last: number }> {
    const rows = await auditedQuery<{ last_serial: number }>(manager,
      'UPDATE batches SET last_serial = last_serial + $2 WHERE id = $1 RETURNING id, last_serial',
      [batchId, count], { target: Batch, verb: 'update', subjects: [batchId] });
    const last = rows[0].last_serial;
    return { first: last - count + 1, last };
  }

  toView(b: Batch, product: Pick<ProductView, 'id' | 'name' | 'category' | 'gtin'>): BatchView {
    const code = b.traceCode ?? '';
    return {
      id: b.id,
      organizationId: b.organizationId,
      product: { id: product.id, name: product.name, category: product.category, gtin: product.gtin },
      siteId: b.siteId,
      regionCode: b.regionCode,
      lotCode: b.lotCode,
      quantity: { value: formatDecimal(b.quantityValue), unit: b.quantityUnit as Quantity['unit'] },
      producedOn: b.producedOn,
      harvestedOn: b.harvestedOn,
      variety: b.variety,
      growingArea: b.growingArea,
      harvesterName: b.harvesterName,
      harvesterPhone: b.harvesterPhone,
      cooledAt: b.cooledAt ? b.cooledAt.toISOString() : null,
      coolingSiteId: b.coolingSiteId,
      tlcSourceSiteId: b.tlcSourceSiteId,
      status: b.status,
      statusReason: b.statusReason,
      traceCode: code,
      traceUrl: traceUrl(this.config.publicBaseUrl, code),
      qrContent: batchQrContent(this.config.publicBaseUrl, { gtin: product.gtin, lot: b.lotCode, code }),
      itemsIssued: b.lastSerial,
      createdAt: b.createdAt.toISOString(),
    };
  }

  private async productOf(batch: Batch): Promise<ProductView> {
    const product = await this.products.byId(batch.productId);
    if (!product) throw new Error(`batch ${batch.id} has no product`);
    return product;
  }

  /** Inserts the batch; a generated lot that collides is regenerated, a given one is a 409. */
  private async insertWithLot(manager: EntityManager, fields: Partial<Batch>, lotCode: string | undefined): Promise<Batch> {
    for (let attempt = 0; ; attempt++) {
      const lot = lotCode ?? generateLotCode(fields.producedOn!);
      await manager.query('SAVEPOINT insert_batch');
      try {
        const saved = await manager.save(manager.create(Batch, { ...fields, lotCode: lot }));
        await manager.query('RELEASE SAVEPOINT insert_batch');
        return saved;
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT insert_batch');
        if (!isUniqueViolation(error, 'uq_batches_product_lot')) throw error;
        if (lotCode !== undefined) {
          throw new DomainError('DUPLICATE_LOT_CODE', `This product already has a batch with lot ${lotCode}`, { field: 'lotCode', rule: 'unique' });
        }
        if (attempt >= 5) throw error;
      }
    }
  }
}

