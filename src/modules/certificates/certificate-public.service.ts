import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DomainError } from '../../../libs/errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { BatchesService } from '../batches';
import { BATCH_CHANGED, BATCHES_RESYNC, batchEvents } from '../../common/batch-events';
import { formatDecimal } from '../../../libs/quantity';
import { traceUrl } from '../codes/domain';
import { Certificate } from './certificate.entity';
import { CertificatesService } from './certificates.service';
import { isCertificateToken } from './domain/certificate-ids';
import type { PublicCertificate } from './domain/public-certificate';
import { TEMPLATES } from './domain/templates';
import { renderCertificatePage } from './views/certificate-page';

interface Cached {
  view: PublicCertificate;
  /** The page, rendered and encoded once per cached view. */
  html?: Buffer;
  batchId: string;
  until: number;
}

/**
 * A void is visible at once in every process (announced as a batch change, see BatchChangeRelay);
 * the TTL only bounds how stale a page can be if an announcement is lost.
 */
const TTL_MS = 5_000;
const CACHE_MAX = 50_000;

/** The public /c/{token} view, cached briefly (the page is as hot as a scan page). */
@Injectable()
export class CertificatePublicService implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, Cached>();
  /** Bumped by every batch change: a read that a change overtook is not cached. */
  private generation = 0;
  private readonly onBatchChanged = (batchId: string) => {
    this.generation++;
    for (const [token, entry] of this.cache) if (entry.batchId === batchId) this.cache.delete(token);
  };
  private readonly onResync = () => {
    this.generation++;
    this.cache.clear();
  };

  constructor(
    private readonly certificates: CertificatesService,
    private readonly batches: BatchesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    batchEvents.on(BATCH_CHANGED, this.onBatchChanged);
    batchEvents.on(BATCHES_RESYNC, this.onResync);
  }

  onModuleDestroy(): void {
    batchEvents.off(BATCH_CHANGED, this.onBatchChanged);
    batchEvents.off(BATCHES_RESYNC, this.onResync);
  }

  /** Malformed and unknown tokens are both NOT_FOUND (a 404 page, never a 500). */
  async byToken(token: string): Promise<PublicCertificate> {
    return (await this.entry(token)).view;
  }

  /** The public page as UTF-8 bytes. */
  async pageByToken(token: string): Promise<Buffer> {
    const entry = await this.entry(token);
    entry.html ??= Buffer.from(renderCertificatePage(entry.view));
    return entry.html;
  }

  private async entry(token: string): Promise<Cached> {
    if (!isCertificateToken(token)) throw new DomainError('NOT_FOUND', 'Unknown certificate');
    const cached = this.cache.get(token);
    if (cached && cached.until > Date.now()) return cached;
    const generation = this.generation;
    const cert = await this.certificates.byToken(token);
    if (!cert) throw new DomainError('NOT_FOUND', 'Unknown certificate');
    const entry: Cached = { view: await this.toPublic(cert), batchId: cert.batchId, until: Date.now() + TTL_MS };
    if (generation !== this.generation) return entry;
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, entry);
    return entry;
  }

  async toPublic(cert: Certificate): Promise<PublicCertificate> {
    const template = TEMPLATES[cert.templateVersion];
    const [batch, replacement] = await Promise.all([
      this.batches.byId(cert.batchId),
      cert.status === 'voided' ? this.certificates.replacementOf(cert.id) : Promise.resolve(null),
    ]);
    return {
      number: cert.number,
      status: cert.status,
      title: template.title,
      templateVersion: cert.templateVersion,
      style: cert.style,
      productName: cert.productName,
      quantity: { value: formatDecimal(cert.quantityValue), unit: cert.quantityUnit },
      origin: cert.origin,
      issuerLabel: template.styles[cert.style]?.issuerLabel ?? '开具单位',
      issuer: { name: cert.issuerName, contact: cert.issuerContact, signedBy: cert.signedBy },
      issuedOn: cert.issuedOn,
      commitment: cert.commitment,
      basis: cert.style === 'producer' ? template.basisOptions.map((o) => ({ code: o.code, label: o.label, ticked: cert.basis.includes(o.code) })) : [],
      upstreamNumbers: cert.evidence.upstream.map((u) => u.number),
      voided: cert.voidedAt ? { at: cert.voidedAt.toISOString(), reason: cert.voidReason ?? '' } : null,
      replacedBy: replacement ? { number: replacement.number, url: this.certificates.verifyUrl(replacement.token) } : null,
      traceUrl: batch?.traceCode ? traceUrl(this.config.publicBaseUrl, batch.traceCode) : null,
      verifyUrl: this.certificates.verifyUrl(cert.token),
    };
  }
}
