import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError, type ErrorCode } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { Page, pageRows, PageQueryDto, toPage } from '../../common/pagination';
import { Actor, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { formatDecimal, parseQuantity, Quantity } from '../../../libs/quantity';
import { isSameOrWithin } from '../categories/domain';
import { NotificationsService } from '../notifications';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { Certificate, CertificateEvidence } from './certificate.entity';
import { CertificateCollection, CollectionOutcome } from './certificate-collection.entity';
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
  productId: string;
  quantity: { value: string; unit: string } | null;
  supplierName: string | null;
  otherProof: CertificateCollection['otherProof'];
  createdAt: string;
}

/** Refused collections answer with these codes (the record is kept and shown to the regulator). */
const REFUSALS: Record<'mismatch' | 'voided' | 'unknown', { code: ErrorCode; status: string }> = {
  mismatch: { code: 'CERTIFICATE_PRODUCT_MISMATCH', status: 'does not match the product bought' },
  voided: { code: 'CERTIFICATE_VOIDED', status: 'has been voided' },
  unknown: { code: 'CERTIFICATE_NOT_FOUND', status: 'is not on record (a typed number must come with the quantity printed on the certificate)' },
};

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
   * to the regulators. Without a certificate, the purchase is refused unless another proof of
   * quality is recorded.
   */
  async collect(actor: Actor, dto: CollectCertificateDto): Promise<CollectionView> {
    const organizationId = requireOwnOrganization(actor);
    const product = await this.products.findReadable(actor, dto.productId);
    if (product.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Product not found', { field: 'productId' });
    const collector = await this.organizations.summary(organizationId);
    const quantity = dto.quantity ? parseQuantity(dto.quantity) : null;
    const base = {
      organizationId, regionCode: collector!.regionCode, productId: product.id, quantityValue: quantity?.value ?? null,
      quantityUnit: quantity?.unit ?? null, supplierName: dto.supplierName?.trim() || null,
    };

    if (!dto.certificate?.trim()) {
      if (!dto.otherProof) {
        throw new DomainError('CERTIFICATE_REQUIRED', 'A purchase needs the supplier\'s certificate (scan or type it) or another proof of quality', {
          field: 'certificate', rule: 'certificate_or_other_proof',
        });
      }
      const saved = await this.collections.save(this.collections.create({
        ...base, outcome: 'other_proof', presented: null, certificateId: null, reason: null,
        otherProof: { kind: dto.otherProof.kind, reference: dto.otherProof.reference.trim(), issuer: dto.otherProof.issuer?.trim() || null },
      }));
      return this.toView(saved, null);
    }

    const presented = dto.certificate.trim();
    const ref = parseCertificateReference(presented);
    const proof = ref && 'number' in ref ? requireProof(dto) : null;
    const { row, certificate, outcome, reason } = await this.dataSource.transaction(async (m) => {
      if (proof) await this.limitFailedLookups(m, organizationId);
      const certificate = await this.find(m, ref, proof);
      const outcome: CollectionOutcome = !certificate ? 'unknown'
        : certificate.status !== 'valid' ? 'voided'
          : !isSameOrWithin(certificate.productCategory, product.categoryPath) ? 'mismatch' : 'accepted';
      const reason = outcome === 'mismatch'
        ? `证上产品「${certificate!.productName}」（${certificate!.productCategory}）与收购产品「${product.name}」（${product.categoryPath}）不符`
        : outcome === 'voided' ? `合格证已作废：${certificate!.voidReason ?? ''}` : outcome === 'unknown' ? '查无此合格证' : null;
      const row = await m.save(m.create(CertificateCollection, { ...base, outcome, presented, certificateId: certificate?.id ?? null, reason, otherProof: null }));
      if (outcome !== 'accepted') await this.report(m, row, collector!.name, certificate, reason);
      return { row, certificate, outcome, reason };
    });
    if (outcome !== 'accepted') {
      this.notifications.deliverSoon();
      const refusal = REFUSALS[outcome as keyof typeof REFUSALS];
      throw new DomainError(refusal.code, `The certificate ${refusal.status}; the collection was recorded and reported to the regulator`, {
        field: 'certificate', rule: 'valid_matching_certificate', collectionId: row.id, reason,
      });
    }
    return this.toView(row, certificate);
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
      productId: r.productId,
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
