import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { Page, pageRows, PageQueryDto, toPage } from '../../common/pagination';
import { Actor, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth/actor';
import { formatDecimal, parseQuantity } from '../../../libs/quantity';
import { isSameOrWithin } from '../categories/domain/category-path';
import { NotificationsService } from '../notifications/notifications.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { ProductsService } from '../products/products.service';
import { Certificate, CertificateEvidence } from './certificate.entity';
import { CertificateCollection, CollectionOutcome } from './certificate-collection.entity';
import { parseCertificateReference } from './domain/certificate-ids';
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
const REFUSALS: Record<'mismatch' | 'voided' | 'unknown', { code: string; status: string }> = {
  mismatch: { code: 'CERTIFICATE_PRODUCT_MISMATCH', status: 'does not match the product bought' },
  voided: { code: 'CERTIFICATE_VOIDED', status: 'has been voided' },
  unknown: { code: 'CERTIFICATE_NOT_FOUND', status: 'is not a certificate on record' },
};

@Injectable()
export class CertificateCollectionsService {
  constructor(
    @InjectRepository(CertificateCollection) private readonly collections: Repository<CertificateCollection>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductsService,
    private readonly organizations: OrganizationsService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * 查验: a purchaser or market records an incoming certificate (scanned QR or typed number) for
   * goods it buys as one of its products. Valid and matching → accepted. A voided, unknown or
   * mismatching certificate is refused (422) but recorded, for the region's regulator. Without a
   * certificate, the purchase is refused unless another proof of quality is recorded.
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
    const certificate = await this.resolve(presented);
    const outcome: CollectionOutcome = !certificate ? 'unknown'
      : certificate.status !== 'valid' ? 'voided'
        : !isSameOrWithin(certificate.productCategory, product.categoryPath) ? 'mismatch' : 'accepted';
    const reason = outcome === 'mismatch'
      ? `证上产品「${certificate!.productName}」（${certificate!.productCategory}）与收购产品「${product.name}」（${product.categoryPath}）不符`
      : outcome === 'voided' ? `合格证已作废：${certificate!.voidReason ?? ''}` : outcome === 'unknown' ? '查无此合格证' : null;
    const saved = await this.dataSource.transaction(async (m) => {
      const row = await m.save(m.create(CertificateCollection, { ...base, outcome, presented, certificateId: certificate?.id ?? null, reason, otherProof: null }));
      // A refused certificate is reported to the regulators of the purchaser's region.
      if (outcome !== 'accepted') {
        await this.notifications.notify(m, {
          regionCode: base.regionCode, kind: `collection.${outcome}`, subject: { type: 'certificate_collections', id: row.id },
          payload: { collectionId: row.id, collector: collector!.name, presented, certificateNumber: certificate?.number ?? null, reason },
        });
      }
      return row;
    });
    if (outcome !== 'accepted') {
      this.notifications.deliverSoon();
      const refusal = REFUSALS[outcome as keyof typeof REFUSALS];
      throw new DomainError(refusal.code, `The certificate ${refusal.status}; the collection was recorded and reported to the regulator`, {
        field: 'certificate', rule: 'valid_matching_certificate', collectionId: saved.id, reason,
      });
    }
    return this.toView(saved, certificate);
  }

  /** A scanned URL / token, or a typed number. */
  private async resolve(presented: string): Promise<Certificate | null> {
    const ref = parseCertificateReference(presented);
    if (!ref) return null;
    return this.dataSource.manager.findOneBy(Certificate, 'token' in ref ? { token: ref.token } : { number: ref.number });
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
    if (prefix) qb.andWhere('k.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('k.organization_id = :org', { org: actor.organizationId });
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
