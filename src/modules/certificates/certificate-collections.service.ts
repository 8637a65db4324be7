import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError, type ErrorCode } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { Page, pageRows, PageQueryDto, toPage } from '../../common/pagination';
import { Actor, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { formatDecimal, parseQuantity, Quantity } from '../../../libs/quantity';
import { decimal } from '../../../libs/decimal';
import { auditedInsert, auditedQuery } from '../audit';
import { isSameOrWithin } from '../categories/domain';
import { NotificationsService } from '../notifications';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { Certificate, CertificateEvidence } from './certificate.entity';
import { CertificateCollection, CollectionOutcome } from './certificate-collection.entity';
import { CertificateLedger } from './certificate-ledger.entity';
import { ledgerDraw, ledgerRemaining } from './domain/ledger';
import { parseCertificateReference } from './domain/certificate-ids';
import { matchesPrintedQuantity } from './domain/collection-proof';
import { CollectCertificateDto } from './dto/collect-certificate.dto';

export interface CollectionView {
  id: string;
  organizationId: string;
  outcome: CollectionOutcome;
  reason: string | null;
  presented: string | null;
  certificate: { id: string; number: string; status: string; productName: string; issuerName: string } | null;
  productId: string | null;
  categoryPath: string | null;
  source: CertificateCollection['source'];
  quantity: { value: string; unit: string } | null;
  supplierName: string | null;
  otherProof: CertificateCollection['otherProof'];
  createdAt: string;
}

/** Refused collections answer with these codes (the record is kept and shown to the regulator). */
const REFUSALS: Record<'mismatch' | 'voided' | 'unknown' | 'exhausted', { code: ErrorCode; status: string }> = {
  mismatch: { code: 'CERTIFICATE_PRODUCT_MISMATCH', status: 'does not match the product bought' },
  voided: { code: 'CERTIFICATE_VOIDED', status: 'has been voided' },
  unknown: { code: 'CERTIFICATE_NOT_FOUND', status: 'is not on record (a typed number must come with the quantity printed on the certificate)' },
  exhausted: { code: 'CERTIFICATE_QUANTITY_EXHAUSTED', status: 'has less left than this quantity (earlier collections used it up)' },
};

/** One 查验 to check and record (see CertificateCollectionsService.check). */
export interface CollectionCheck {
  organizationId: string;
  /** The collector's region (its regulator hears of refusals). */
  regionCode: string;
  collectorName: string;
  source: CertificateCollection['source'];
  productId: string | null;
  productName: string;
  categoryPath: string;
  /** What was scanned or typed (kept on the record). */
  presented: string;
  /** Instead of parsing `presented`: the certificate already identified (a trace code's batch certificate). */
  certificateId?: string;
  /** The quantity printed on the certificate: the proof a typed number needs. */
  certificateQuantity: Quantity | null;
  /** The quantity collected now (drawn from the ledger); null draws nothing. */
  quantity: Quantity | null;
  supplierName: string | null;
  /** Field names for the error details (a gate names items[i].…). */
  field?: string;
  quantityField?: string;
}

export interface CheckedCollection {
  row: CertificateCollection;
  certificate: Certificate | null;
  outcome: CollectionOutcome;
  reason: string | null;
  /** The error to answer with when refused (already recorded and reported). */
  refusal: DomainError | null;
}

/** What other features may know of a certificate (they never see the entity). */
export interface CertificateFacts {
  id: string;
  number: string;
  token: string;
  status: string;
  batchId: string;
  organizationId: string;
  regionCode: string;
  productName: string;
  productCategory: string;
  origin: string;
  issuerName: string;
  quantity: { value: string; unit: string };
}

function facts(c: Certificate): CertificateFacts {
  return {
    id: c.id, number: c.number, token: c.token, status: c.status, batchId: c.batchId, organizationId: c.organizationId, regionCode: c.regionCode,
    productName: c.productName, productCategory: c.productCategory, origin: c.origin, issuerName: c.issuerName,
    quantity: { value: formatDecimal(c.quantityValue), unit: c.quantityUnit },
  };
}

function refusalReason(outcome: CollectionOutcome, certificate: Certificate | null, input: CollectionCheck, remaining: { value: string; unit: string } | null): string | null {
  switch (outcome) {
    case 'mismatch': return `证上产品「${certificate!.productName}」（${certificate!.productCategory}）与${input.source === 'purchase' ? '收购' : '申报'}产品「${input.productName}」（${input.categoryPath}）不符`;
    case 'voided': return `合格证已作废：${certificate!.voidReason ?? ''}`;
    case 'unknown': return '查无此合格证';
    case 'exhausted': return `合格证数量已用尽：证上 ${formatDecimal(certificate!.quantityValue)} ${certificate!.quantityUnit}，剩余 ${remaining!.value} ${remaining!.unit}，本次 ${input.quantity!.value} ${input.quantity!.unit}`;
    case 'accepted': case 'other_proof': return null;
  }
}

@Injectable()
export class CertificateCollectionsService {
  private readonly logger = new Logger('CertificateCollections');

  constructor(
    @InjectRepository(CertificateCollection) private readonly collections: Repository<CertificateCollection>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductsService,
    private readonly organizations: OrganizationsService,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 查验: a purchaser or market records an incoming certificate (scanned QR or typed number) for
   * goods it buys as one of its products. Valid and matching → accepted. A voided or mismatching
   * certificate is refused (422), an unknown one (404) — a typed number counts as unknown unless the
   * quantity printed on the certificate comes with it — and each refusal is recorded and reported
   * to the regulators. With a quantity, the collection draws on the certificate's quantity ledger:
   * more than the certificate has left is refused (422 CERTIFICATE_QUANTITY_EXHAUSTED). Without a
   * certificate, the purchase is refused unless another proof of quality is recorded.
   */
  async collect(actor: Actor, dto: CollectCertificateDto): Promise<CollectionView> {
    const organizationId = requireOwnOrganization(actor);
    const product = await this.products.findReadable(actor, dto.productId);
    if (product.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Product not found', { field: 'productId' });
    const collector = await this.organizations.summary(organizationId);
    const quantity = dto.quantity ? parseQuantity(dto.quantity) : null;

    if (!dto.certificate?.trim()) {
      if (!dto.otherProof) {
        throw new DomainError('CERTIFICATE_REQUIRED', 'A purchase needs the supplier\'s certificate (scan or type it) or another proof of quality', {
          field: 'certificate', rule: 'certificate_or_other_proof',
        });
      }
      const saved = await this.collections.save(this.collections.create({
        organizationId, regionCode: collector!.regionCode, productId: product.id, categoryPath: product.categoryPath, source: 'purchase',
        quantityValue: quantity?.value ?? null, quantityUnit: quantity?.unit ?? null, supplierName: dto.supplierName?.trim() || null,
        outcome: 'other_proof', presented: null, certificateId: null, reason: null,
        otherProof: { kind: dto.otherProof.kind, reference: dto.otherProof.reference.trim(), issuer: dto.otherProof.issuer?.trim() || null },
      }));
      return this.toView(saved, null);
    }

    const presented = dto.certificate.trim();
    const ref = parseCertificateReference(presented);
    const proof = ref && 'number' in ref ? requireProof(dto) : null;
    const checked = await this.dataSource.transaction((m) => this.check(m, {
      organizationId, regionCode: collector!.regionCode, collectorName: collector!.name, source: 'purchase',
      productId: product.id, productName: product.name, categoryPath: product.categoryPath,
      presented, certificateQuantity: proof, quantity, supplierName: dto.supplierName?.trim() || null,
    }));
    if (checked.refusal) {
      this.notifications.deliverSoon();
      throw checked.refusal;
    }
    return this.toView(checked.row, checked.certificate);
  }

  /**
   * The checks of 查验, in the caller's transaction, for the purchase route and the market gate
   * alike: the certificate must exist (a typed number only with the quantity printed on it), be
   * valid, be for the same kind of food, and — when a quantity is collected — have that much left
   * on its ledger. The collection is recorded whatever the outcome; a refusal is reported to the
   * regulators of the collector's region and of the certificate's origin, and returned (not thrown,
   * so that the record and the reports commit) as the DomainError the caller answers with.
   */
  async check(m: EntityManager, input: CollectionCheck): Promise<CheckedCollection> {
    const ref = input.certificateId ? null : parseCertificateReference(input.presented);
    if (ref && 'number' in ref) await this.limitFailedLookups(m, input.organizationId);
    const certificate = input.certificateId ? await m.findOneBy(Certificate, { id: input.certificateId }) : await this.find(m, ref, input.certificateQuantity);
    let outcome: CollectionOutcome = !certificate ? 'unknown'
      : certificate.status !== 'valid' ? 'voided'
        : !isSameOrWithin(certificate.productCategory, input.categoryPath) ? 'mismatch' : 'accepted';
    let remaining: { value: string; unit: string } | null = null;
    if (outcome === 'accepted' && input.quantity) {
      remaining = await this.draw(m, certificate!, input.quantity, input.quantityField ?? 'quantity');
      if (remaining) outcome = 'exhausted';
    }
    const reason = refusalReason(outcome, certificate, input, remaining);
    // Inserted returning the stored row: no read back for the audit (a gate check is dominated by round trips).
    const row = m.create(CertificateCollection, {
      id: randomUUID(), organizationId: input.organizationId, regionCode: input.regionCode, productId: input.productId, categoryPath: input.categoryPath,
      source: input.source, quantityValue: input.quantity?.value ?? null, quantityUnit: input.quantity?.unit ?? null, supplierName: input.supplierName,
      outcome, presented: input.presented, certificateId: certificate?.id ?? null, reason, otherProof: null,
    });
    const [stored] = await auditedInsert(m, CertificateCollection, [row]);
    row.createdAt = stored.created_at as Date;
    if (outcome === 'accepted') return { row, certificate, outcome, reason, refusal: null };
    await this.report(m, row, input.collectorName, certificate, reason);
    const refusal = REFUSALS[outcome as keyof typeof REFUSALS];
    const error = new DomainError(refusal.code, `The certificate ${refusal.status}; the collection was recorded and reported to the regulator`, {
      field: input.field ?? 'certificate', rule: outcome === 'exhausted' ? 'within_certified_quantity' : 'valid_matching_certificate',
      collectionId: row.id, reason, ...(remaining ? { remaining } : {}),
    });
    return { row, certificate, outcome, reason, refusal: error };
  }

  /**
   * Draws `quantity` from the certificate's ledger: one conditional upsert, so that concurrent
   * collections queue on the ledger row and each sees the others' draws (PostgreSQL re-checks the
   * WHERE against the latest row). Returns null when drawn, or what was left when refused.
   */
  private async draw(m: EntityManager, certificate: Certificate, quantity: Quantity, field: string): Promise<{ value: string; unit: string } | null> {
    const certified = { value: certificate.quantityValue, unit: certificate.quantityUnit };
    const milli = ledgerDraw(certified, quantity, field);
    const drawn = await auditedQuery(m,
      `INSERT INTO certificate_ledger (certificate_id, collected_base_milli, collections)
       SELECT $1, $2::numeric, 1 WHERE $2::numeric <= $3::numeric
       ON CONFLICT (certificate_id) DO UPDATE
         SET collected_base_milli = certificate_ledger.collected_base_milli + EXCLUDED.collected_base_milli,
             collections = certificate_ledger.collections + 1, updated_at = now()
       WHERE certificate_ledger.collected_base_milli + EXCLUDED.collected_base_milli <= $3::numeric
       RETURNING *`,
      [certificate.id, milli, certificate.baseMilli], { target: CertificateLedger, verb: 'update', subjects: [certificate.id] });
    if (drawn.length > 0) return null;
    const ledger = await m.findOneBy(CertificateLedger, { certificateId: certificate.id });
    return ledgerRemaining(certified, certificate.baseMilli, ledger?.collectedBaseMilli ?? '0');
  }

  /** How much of a certificate has been collected, and how much is left (market pages, views). */
  async ledgerOf(certificateIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, { collected: { value: string; unit: string }; remaining: { value: string; unit: string } }>> {
    const ids = [...new Set(certificateIds)].filter(isUuid);
    if (ids.length === 0) return new Map();
    const [certs, rows] = await Promise.all([manager.findBy(Certificate, { id: In(ids) }), manager.findBy(CertificateLedger, { certificateId: In(ids) })]);
    return new Map(certs.map((c) => {
      const certified = { value: c.quantityValue, unit: c.quantityUnit };
      const collectedMilli = rows.find((r) => r.certificateId === c.id)?.collectedBaseMilli ?? '0';
      const remaining = ledgerRemaining(certified, c.baseMilli, collectedMilli);
      const collected = ledgerRemaining(certified, c.baseMilli, decimal(c.baseMilli).minus(decimal(collectedMilli)).toFixed(0));
      return [c.id, { collected, remaining }];
    }));
  }

  /**
   * A certificate by what was presented (QR URL, token, or typed number with its printed quantity),
   * without recording a collection: a market gate names the lot of goods it keeps out. Typed numbers
   * count against the same failed-lookup limit.
   */
  async lookup(m: EntityManager, organizationId: string, presented: string, certificateQuantity: Quantity | null): Promise<CertificateFacts | null> {
    const ref = parseCertificateReference(presented);
    if (ref && 'number' in ref) await this.limitFailedLookups(m, organizationId);
    const cert = await this.find(m, ref, certificateQuantity);
    return cert ? facts(cert) : null;
  }

  /** Certificate numbers by id (lists of other features show them). */
  async numbersOf(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const valid = [...new Set(ids)].filter(isUuid);
    const rows = valid.length ? await manager.find(Certificate, { where: { id: In(valid) }, select: { id: true, number: true } }) : [];
    return new Map(rows.map((c) => [c.id, c.number]));
  }

  /** Certificates' public facts by id (market and listing pages show each one's state now). */
  async factsOf(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, CertificateFacts>> {
    const valid = [...new Set(ids)].filter(isUuid);
    const rows = valid.length ? await manager.findBy(Certificate, { id: In(valid) }) : [];
    return new Map(rows.map((c) => [c.id, facts(c)]));
  }

  /** The newest valid certificate of a batch (a scanned trace code stands for its batch's certificate). */
  async validForBatch(m: EntityManager, batchId: string): Promise<CertificateFacts | null> {
    const cert = await m.findOne(Certificate, { where: { batchId, status: 'valid' }, order: { createdAt: 'DESC' } });
    return cert ? facts(cert) : null;
  }

  /**
   * A refused certificate is reported to the regulators of the purchaser's region and, as the
   * certificate rules ask, to those of its origin (each regulator once).
   */
  private async report(m: EntityManager, row: CertificateCollection, collector: string, certificate: Certificate | null, reason: string | null): Promise<void> {
    const kind = `collection.${row.outcome}`;
    const subject = { type: 'certificate_collections', id: row.id };
    const payload = {
      collectionId: row.id, collector, collectorRegionCode: row.regionCode, presented: row.presented,
      certificateNumber: certificate?.number ?? null, originRegionCode: certificate?.regionCode ?? null, reason,
    };
    const local = await this.notifications.notify(m, { regionCode: row.regionCode, kind, subject, payload });
    if (certificate) {
      await this.notifications.notify(m, { regionCode: certificate.regionCode, kind, subject, payload, exceptOrganizationIds: local.recipientIds });
    }
  }

  /**
   * Certificate numbers are sequential: failed lookups by number are limited per organisation so
   * that guessing numbers (and quantities) stops early. The lock makes a burst count one by one.
   */
  private async limitFailedLookups(m: EntityManager, organizationId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`certificate-lookups:${organizationId}`]);
    const windowMinutes = this.config.certificateLookupWindowMinutes;
    const [{ failures, retry }] = await m.query(
      `SELECT count(*)::int AS failures,
              ceil(extract(epoch FROM min(created_at) + make_interval(mins => $2) - now()))::int AS retry
         FROM certificate_collections
        WHERE organization_id = $1 AND outcome = 'unknown' AND created_at > now() - make_interval(mins => $2)`,
      [organizationId, windowMinutes],
    ) as { failures: number; retry: number | null }[];
    if (failures < this.config.certificateLookupFailuresMax) return;
    this.logger.warn({ msg: 'certificate lookups by number refused: too many failures', organizationId, failures, windowMinutes });
    const retryAfterSeconds = Math.max(1, retry ?? 1);
    throw new DomainError('CERTIFICATE_LOOKUP_LIMITED',
      `Too many failed certificate lookups in the last ${windowMinutes} minutes: scan the certificate's QR, or try again in ${retryAfterSeconds} s`,
      { field: 'certificate', rule: 'failed_lookup_limit', retryAfterSeconds });
  }

  /**
   * A scanned URL / token, or a typed number with the quantity printed on the certificate. A
   * number whose quantity does not match is not found, exactly like a number that does not exist.
   */
  private async find(m: EntityManager, ref: ReturnType<typeof parseCertificateReference>, proof: Quantity | null): Promise<Certificate | null> {
    if (!ref) return null;
    if ('token' in ref) return m.findOneBy(Certificate, { token: ref.token });
    const certificate = await m.findOneBy(Certificate, { number: ref.number });
    return certificate && proof && matchesPrintedQuantity({ value: certificate.quantityValue, unit: certificate.quantityUnit }, proof) ? certificate : null;
  }

  /**
   * The upstream certificates a purchaser certificate rests on (in the issuing transaction): each
   * collection must be this organisation's, accepted, for the same product, and its certificate
   * still valid now — otherwise the purchaser certificate is refused.
   */
  async upstreamFor(manager: EntityManager, organizationId: string, productId: string, ids: string[]): Promise<CertificateEvidence['upstream']> {
    if (ids.length === 0) {
      throw new DomainError('UPSTREAM_REQUIRED', 'A purchaser certificate must name the collected certificates of its inputs', { field: 'upstreamCollectionIds', rule: 'required_for_purchaser' });
    }
    const valid = [...new Set(ids)].filter(isUuid);
    const rows = valid.length ? await manager.findBy(CertificateCollection, { id: In(valid), organizationId }) : [];
    const certs = rows.length ? await manager.findBy(Certificate, { id: In(rows.map((r) => r.certificateId).filter((id): id is string => !!id)) }) : [];
    return ids.map((id, index) => {
      const field = `upstreamCollectionIds[${index}]`;
      const row = rows.find((r) => r.id === id);
      if (!row) throw new DomainError('COLLECTION_NOT_FOUND', `Collection ${id} not found`, { field, rule: 'exists' });
      const cert = certs.find((c) => c.id === row.certificateId);
      if (row.outcome !== 'accepted' || !cert) {
        throw new DomainError('UPSTREAM_CERTIFICATE_MISSING', 'An input was bought without a valid certificate', { field, rule: 'input_has_certificate', outcome: row.outcome });
      }
      if (cert.status !== 'valid') {
        throw new DomainError('UPSTREAM_CERTIFICATE_VOIDED', `The input's certificate ${cert.number} has been voided since it was collected`, { field, rule: 'input_certificate_valid', number: cert.number });
      }
      if (row.productId !== productId) {
        throw new DomainError('UPSTREAM_PRODUCT_MISMATCH', 'The collection was for another product than this batch', { field, rule: 'same_product' });
      }
      return { collectionId: row.id, certificateId: cert.id, number: cert.number };
    });
  }

  /** Own collections; a regulator sees its region's, by default the refused ones worth a look. */
  async list(actor: Actor, query: PageQueryDto & { outcome?: string }): Promise<Page<CollectionView>> {
    const qb = this.collections.createQueryBuilder('k');
    const prefix = regulatorPrefix(actor);
    // A regulator sees collections made in its region and those of certificates from its region (the origin).
    if (prefix) {
      qb.andWhere('(k.region_code LIKE :prefix OR k.certificate_id IN (SELECT c.id FROM certificates c WHERE c.region_code LIKE :prefix))', { prefix: `${prefix}%` });
    } else if (!isAdmin(actor)) qb.andWhere('k.organization_id = :org', { org: actor.organizationId });
    if (query.outcome) qb.andWhere('k.outcome = :outcome', { outcome: query.outcome });
    const limit = query.limit ?? 50;
    const rows = await pageRows(qb, 'k', limit, query.cursor);
    const ids = rows.map((r) => r.certificateId).filter((id): id is string => !!id);
    const certs = ids.length ? await this.dataSource.manager.findBy(Certificate, { id: In(ids) }) : [];
    return toPage(rows, limit, (r) => this.toView(r, certs.find((c) => c.id === r.certificateId) ?? null));
  }

  private toView(r: CertificateCollection, cert: Certificate | null): CollectionView {
    return {
      id: r.id, organizationId: r.organizationId, outcome: r.outcome, reason: r.reason, presented: r.presented,
      certificate: cert ? { id: cert.id, number: cert.number, status: cert.status, productName: cert.productName, issuerName: cert.issuerName } : null,
      productId: r.productId, categoryPath: r.categoryPath, source: r.source,
      quantity: r.quantityValue && r.quantityUnit ? { value: formatDecimal(r.quantityValue), unit: r.quantityUnit } : null,
      supplierName: r.supplierName, otherProof: r.otherProof, createdAt: r.createdAt.toISOString(),
    };
  }
}

/** A typed number needs the quantity printed on the certificate (a number alone proves nothing). */
function requireProof(dto: CollectCertificateDto): Quantity {
  if (!dto.certificateQuantity) {
    throw new DomainError('VALIDATION_FAILED', "A typed certificate number needs certificateQuantity, the quantity printed on the certificate (or scan the certificate's QR)", {
      field: 'certificateQuantity', rule: 'required_with_number',
    });
  }
  return parseQuantity(dto.certificateQuantity, 'certificateQuantity');
}
