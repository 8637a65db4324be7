import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Repository } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { generateTraceCode } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { QUEUES } from '../../../libs/queues';
import { afterCommit } from '../../common/after-commit';
import { BATCH_CHANGED, BatchChangeOrigin, batchEvents, LOCAL } from '../../common/batch-events';
import { isUniqueViolation } from '../../common/db-errors';
import { isUuid } from '../../common/ids';
import { Page, pageRows, PageQueryDto, toPage } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, canRead, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { BatchesService } from '../batches';
import { CategoriesService } from '../categories';
import { CertificateCollectionsService } from '../certificates';
import { IdempotencyService } from '../idempotency';
import { OutboxService } from '../jobs';
import { NotificationsService } from '../notifications';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { BadgeBatch, badgeState, BadgeState, PLATFORM_NAMES } from './domain/badge';
import { CreateListingDto, ListingSessionDto, ShipBatchesDto } from './dto/listing.dto';
import { Listing, ListingBatch, ListingSession } from './listing.entity';
import { preparedSql } from '../../common/prepared-statements';

export interface ListingBatchView extends BadgeBatch {
  batchId: string;
  traceUrl: string;
  since: string;
  certificate: { number: string; status: string; url: string } | null;
}

export interface ListingView {
  id: string;
  organizationId: string;
  code: string;
  publicUrl: string;
  badgeUrl: string;
  platform: string;
  platformName: string;
  platformRef: string;
  productId: string;
  productName: string;
  category: string;
  certificateRequired: boolean;
  certified: boolean;
  state: BadgeState;
  /** The batches shipped under the listing now. */
  batches: ListingBatchView[];
  sessions: { id: string; host: string; startsAt: string; endsAt: string; batchIds: string[] }[];
  createdAt: string;
}

/** The listings shipping a batch now. */
const LISTINGS_OF_BATCH_SQL = preparedSql('SELECT listing_id FROM listing_batches WHERE batch_id = $1 AND until IS NULL');

/**
 * Online listings (平台销售 · 直播带货): a producer's product on a platform, with the batches shipped
 * under it now. In a category that needs a 承诺达标合格证 every listed batch must have a valid one.
 * A hold or recall of a listed batch turns the badge red (the badge reads the batch's status) and
 * is sent to the listing's owner as the signed webhook `listing.batch_on_hold` /
 * `listing.batch_recalled`, once per listing, batch and status: the change's own transaction records
 * a `listing-alerts` job in the outbox (whichever process or job made it: an API replica, the
 * sampling worker's hold, a recall), and the job's one transaction records the alert and the
 * notification with its deliveries — a retried job finds the alert and sends nothing twice.
 */
@Injectable()
export class ListingsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Listings');
  /**
   * Only the process that made a change refreshes the listings it touches: every process that
   * changes batches has this service (API, worker, CLI), so a relayed copy (REMOTE) would repeat the
   * same refresh once per process.
   */
  private readonly onBatchChanged = (batchId: string, origin: BatchChangeOrigin = LOCAL) => {
    if (origin !== LOCAL) return;
    this.batchChanged(batchId).catch((error: unknown) => this.logger.error({ msg: 'listing update after a batch change failed', batchId, error: String(error) }));
  };

  constructor(
    @InjectRepository(Listing) private readonly listings: Repository<Listing>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductsService,
    private readonly batches: BatchesService,
    private readonly categories: CategoriesService,
    private readonly certificates: CertificateCollectionsService,
    private readonly notifications: NotificationsService,
    private readonly organizations: OrganizationsService,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    batchEvents.on(BATCH_CHANGED, this.onBatchChanged);
    this.batches.addStatusHook((m, batchIds, status) => this.queueAlerts(m, batchIds, status));
  }

  /** In the transaction that holds or recalls batches: a `listing-alerts` job for each batch some listing ships now. */
  private async queueAlerts(m: EntityManager, batchIds: string[], status: 'on_hold' | 'recalled'): Promise<void> {
    const rows = await m.query('SELECT DISTINCT batch_id AS "batchId" FROM listing_batches WHERE batch_id = ANY($1::uuid[]) AND until IS NULL', [batchIds]) as { batchId: string }[];
    for (const { batchId } of rows) {
      // One job per change: a later change of the same batch is another job (the alert itself stays once per listing, batch and status).
      await this.outbox.add(m, QUEUES.listingAlerts, `listing-alerts_${batchId}_${status}_${randomUUID()}`, { batchId, status });
    }
    if (rows.length > 0) afterCommit(m, () => void this.outbox.poke());
  }

  onModuleDestroy(): void {
    batchEvents.off(BATCH_CHANGED, this.onBatchChanged);
  }

  async create(actor: Actor, dto: CreateListingDto, key: string | undefined): Promise<{ view: ListingView; replayed: boolean }> {
    const organizationId = requireOwnOrganization(actor);
    const product = await this.products.findReadable(actor, dto.productId);
    if (product.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Product not found', { field: 'productId', rule: 'exists' });
    const category = await this.categories.requireCategory(product.categoryPath, 'productId');
    const org = await this.organizations.summary(organizationId);
    const { result, replayed } = await this.idempotency.run(actor, key, 'POST /api/v1/listings', dto, async (m) => {
      const listing = m.create(Listing, {
        organizationId, regionCode: org!.regionCode, code: generateTraceCode(), platform: dto.platform, platformRef: dto.platformRef.trim(),
        productId: product.id, productName: product.name, categoryPath: category.path, certificateRequired: category.certificateRequired, certified: false,
      });
      try {
        await m.save(listing);
      } catch (error) {
        if (isUniqueViolation(error, 'uq_listings_platform_ref')) throw new DomainError('LISTING_DUPLICATE', 'This platform listing is already registered', { field: 'platformRef', rule: 'unique' });
        throw error;
      }
      await this.ship(m, listing, dto.batchIds, 'batchIds');
      for (const [i, s] of (dto.sessions ?? []).entries()) await this.addSession(m, listing, s, `sessions[${i}]`);
      return this.view(m, listing);
    });
    return { view: result, replayed };
  }

  /** Rolling: the batches shipped from now on replace the current ones. */
  async shipBatches(actor: Actor, id: string, dto: ShipBatchesDto): Promise<ListingView> {
    const listing = await this.findOwn(actor, id);
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT id FROM listings WHERE id = $1 FOR UPDATE', [listing.id]);
      await this.ship(m, listing, dto.batchIds, 'batchIds');
      return this.view(m, listing);
    });
  }

  async addLiveSession(actor: Actor, id: string, dto: ListingSessionDto): Promise<ListingView> {
    const listing = await this.findOwn(actor, id);
    return this.dataSource.transaction(async (m) => {
      await this.addSession(m, listing, dto, '');
      return this.view(m, listing);
    });
  }

  async get(actor: Actor, id: string): Promise<ListingView> {
    const listing = isUuid(id) ? await this.listings.findOneBy({ id }) : null;
    if (!listing || !canRead(actor, listing.organizationId, [listing.regionCode])) throw new DomainError('NOT_FOUND', 'Listing not found');
    return this.view(this.dataSource.manager, listing);
  }

  async list(actor: Actor, query: PageQueryDto): Promise<Page<ListingView>> {
    const qb = this.listings.createQueryBuilder('l');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('l.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('l.organization_id = :org', { org: actor.organizationId });
    const limit = query.limit ?? 50;
    const rows = await pageRows(qb, 'l', limit, query.cursor);
    const views = await Promise.all(rows.slice(0, limit).map((l) => this.view(this.dataSource.manager, l)));
    return toPage(rows, limit, (l) => views.find((v) => v.id === l.id)!);
  }

  /** Public: the listing by its code (/l/{code} and its badge). */
  async byCode(code: string): Promise<ListingView> {
    const listing = /^[0-9A-Z]{13}$/.test(code) ? await this.listings.findOneBy({ code }) : null;
    if (!listing) throw new DomainError('NOT_FOUND', 'Unknown listing');
    return this.view(this.dataSource.manager, listing);
  }

  /** Each batch must be the owner's, of the listed product, sellable and — in a mandatory category — certified. */
  private async ship(m: EntityManager, listing: Listing, batchIds: string[], field: string): Promise<void> {
    const ids = [...new Set(batchIds)];
    for (const [i, id] of ids.entries()) await this.requireListable(m, listing, id, `${field}[${i}]`);
    await m.update(ListingBatch, { listingId: listing.id, until: IsNull() }, { until: new Date() });
    const now = new Date();
    await m.save(ids.map((batchId) => m.create(ListingBatch, { listingId: listing.id, batchId, since: now, until: null })));
    await this.refreshCertified(m, listing);
  }

  private async addSession(m: EntityManager, listing: Listing, s: ListingSessionDto, prefix: string): Promise<void> {
    const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
    if (Date.parse(s.endsAt) <= Date.parse(s.startsAt)) throw new DomainError('VALIDATION_FAILED', `${at('endsAt')} must be after startsAt`, { field: at('endsAt'), rule: 'after_start' });
    for (const [i, id] of s.batchIds.entries()) await this.requireListable(m, listing, id, `${at('batchIds')}[${i}]`);
    await m.save(m.create(ListingSession, { listingId: listing.id, host: s.host.trim(), startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt), batchIds: [...new Set(s.batchIds)] }));
  }

  private async requireListable(m: EntityManager, listing: Listing, batchId: string, field: string): Promise<void> {
    const batch = await this.batches.byId(batchId, m);
    if (!batch || batch.organizationId !== listing.organizationId) throw new DomainError('NOT_FOUND', 'Batch not found', { field, rule: 'own_batch' });
    if (batch.productId !== listing.productId) throw new DomainError('LISTING_BATCH_WRONG_PRODUCT', 'The batch is of another product than the listing', { field, rule: 'same_product' });
    if (batch.status !== 'active') throw new DomainError('LISTING_BATCH_NOT_SELLABLE', `The batch is ${batch.status}`, { field, rule: 'active_batch' });
    if (listing.certificateRequired && !(await this.certificates.validForBatch(m, batch.id))) {
      throw new DomainError('LISTING_CERTIFICATE_REQUIRED', `${listing.categoryPath} needs a 承诺达标合格证: the batch has no valid certificate`, { field, rule: 'certified_batch' });
    }
  }

  private async refreshCertified(m: EntityManager, listing: Listing): Promise<BadgeBatch[]> {
    const current = await this.currentBatches(m, listing);
    const certified = current.length > 0 && current.every((b) => b.certificate?.status === 'valid');
    if (certified !== listing.certified) {
      await m.update(Listing, { id: listing.id }, { certified });
      listing.certified = certified;
    }
    return current;
  }

  private async currentBatches(m: EntityManager, listing: Listing): Promise<ListingBatchView[]> {
    const rows = await m.find(ListingBatch, { where: { listingId: listing.id, until: IsNull() }, order: { since: 'ASC' } });
    const views: ListingBatchView[] = [];
    for (const row of rows) {
      const batch = await this.batches.byId(row.batchId, m);
      if (!batch) continue;
      const cert = await this.certificates.validForBatch(m, batch.id);
      views.push({
        batchId: batch.id, lotCode: batch.lotCode, status: batch.status, since: row.since.toISOString(),
        traceUrl: `${this.config.publicBaseUrl}/t/${batch.traceCode}`,
        certificate: cert ? { number: cert.number, status: cert.status, url: `${this.config.publicBaseUrl}/c/${cert.token}` } : null,
      });
    }
    return views;
  }

  /**
   * A batch's public facts changed (after commit; announced by this process or relayed from
   * another): listings shipping it refresh `certified` (a voided certificate). Alerts are not sent
   * from here: they go through the `listing-alerts` job (see alertBatch).
   */
  async batchChanged(batchId: string): Promise<number> {
    // Runs after every batch change (a certificate issued, a test recorded): prepared, as most find no listing.
    const links = await this.dataSource.query(LISTINGS_OF_BATCH_SQL, [batchId]) as { listing_id: string }[];
    if (links.length === 0) return 0;
    await this.dataSource.transaction(async (m) => {
      for (const listing of await m.findBy(Listing, { id: In(links.map((l) => l.listing_id)) })) await this.refreshCertified(m, listing);
    });
    return links.length;
  }

  /**
   * The `listing-alerts` job: every listing shipping the batch now refreshes `certified` and, if the
   * batch is still held or recalled as the job says, alerts its owner — the alert row and the
   * notification (with its webhook deliveries, through the outbox) in one transaction, so a retry
   * or a second job for the same change sends nothing twice. Returns the alerts sent.
   */
  async alertBatch(batchId: string, status: 'on_hold' | 'recalled'): Promise<number> {
    const batch = await this.batches.byId(batchId);
    if (!batch) return 0;
    let alerted = 0;
    await this.dataSource.transaction(async (m) => {
      const links = await m.find(ListingBatch, { where: { batchId, until: IsNull() } });
      if (links.length === 0) return;
      for (const listing of await m.findBy(Listing, { id: In(links.map((l) => l.listingId)) })) {
        await this.refreshCertified(m, listing);
        // Released (or recalled since a hold) before the job ran: that status is not alerted as current.
        if (batch.status !== status) continue;
        const [fresh] = await m.query(`INSERT INTO listing_alerts (listing_id, batch_id, status) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING listing_id`,
          [listing.id, batch.id, batch.status]) as unknown[];
        if (!fresh) continue;
        await this.notifications.notify(m, {
          organizationId: listing.organizationId, kind: `listing.batch_${batch.status}`, subject: { type: 'listings', id: listing.id },
          payload: {
            listingId: listing.id, platform: listing.platform, platformRef: listing.platformRef, batchId: batch.id, lotCode: batch.lotCode,
            status: batch.status, reason: batch.statusReason, publicUrl: `${this.config.publicBaseUrl}/l/${listing.code}`,
          },
        });
        alerted++;
      }
    });
    if (alerted) this.notifications.deliverSoon();
    return alerted;
  }

  private async findOwn(actor: Actor, id: string): Promise<Listing> {
    const organizationId = requireOwnOrganization(actor);
    const listing = isUuid(id) ? await this.listings.findOneBy({ id, organizationId }) : null;
    if (!listing) throw new DomainError('NOT_FOUND', 'Listing not found');
    return listing;
  }

  private async view(m: EntityManager, l: Listing): Promise<ListingView> {
    const batches = await this.currentBatches(m, l);
    const sessions = await m.find(ListingSession, { where: { listingId: l.id }, order: { startsAt: 'DESC' }, take: 20 });
    const base = this.config.publicBaseUrl;
    return {
      id: l.id, organizationId: l.organizationId, code: l.code, publicUrl: `${base}/l/${l.code}`, badgeUrl: `${base}/l/${l.code}/badge.svg`,
      platform: l.platform, platformName: PLATFORM_NAMES[l.platform as keyof typeof PLATFORM_NAMES] ?? l.platform, platformRef: l.platformRef,
      productId: l.productId, productName: l.productName, category: l.categoryPath, certificateRequired: l.certificateRequired, certified: l.certified,
      state: badgeState(batches, l.certificateRequired), batches,
      sessions: sessions.map((s) => ({ id: s.id, host: s.host, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), batchIds: s.batchIds })),
      createdAt: l.createdAt.toISOString(),
    };
  }
}
