import { Injectable } from '@nestjs/common';
import { CertificateDocument, CertificateLayout, renderCertificatePdf } from '../../../libs/labels';
import type { Actor } from '../auth';
import { BatchesService } from '../batches';
import { FileStore } from '../files';
import { CertificatePublicService } from './certificate-public.service';
import type { PublicCertificate } from './domain/public-certificate';
import { CertificatesService } from './certificates.service';

/** Upstream certificate numbers printed on a purchaser certificate before "等 N 张". */
const UPSTREAM_PRINTED = 3;

/**
 * Printable certificates: a 60 × 80 mm label, an A4 page, or the combined certificate + trace label
 * (证码合一) whose QR opens the batch's scan page. Rendered on first request (not while issuing)
 * and kept in the file store; a void renders anew, stamped 已作废.
 */
@Injectable()
export class CertificateDocuments {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly publicViews: CertificatePublicService,
    private readonly batches: BatchesService,
    private readonly files: FileStore,
  ) {}

  async pdf(actor: Actor, id: string, layout: CertificateLayout): Promise<Buffer> {
    const cert = await this.certificates.findReadable(actor, id);
    const key = `certificates/${cert.id}/${layout}-${cert.status}.pdf`;
    if (await this.files.exists(key)) return this.files.readAll(key);
    const view = await this.publicViews.toPublic(cert);
    const batch = layout === 'combined-60x80' ? await this.batches.byId(cert.batchId) : null;
    const pdf = await renderCertificatePdf(toDocument(view, layout, batch?.traceCode ?? null), layout);
    await this.files.write(key, pdf);
    return pdf;
  }
}

function toDocument(c: PublicCertificate, layout: CertificateLayout, traceCode: string | null): CertificateDocument {
  const combined = layout === 'combined-60x80' && c.traceUrl !== null;
  const upstream = c.upstreamNumbers.length > UPSTREAM_PRINTED
    ? `${c.upstreamNumbers.slice(0, UPSTREAM_PRINTED).join('、')} 等 ${c.upstreamNumbers.length} 张`
    : c.upstreamNumbers.join('、');
  return {
    title: c.title,
    number: c.number,
    fields: [
      ['食用农产品名称', c.productName],
      ['数量（重量）', `${c.quantity.value} ${c.quantity.unit}`],
      ['产地', c.origin],
      [c.issuerLabel, c.issuer.name],
      ['联系方式', c.issuer.contact],
      ['开具日期', c.issuedOn],
      ['上游合格证', upstream || null],
    ],
    commitment: c.commitment,
    basis: c.basis.map((b) => ({ label: b.label, ticked: b.ticked })),
    signature: `${c.issuerLabel}（签名）：${c.issuer.signedBy ?? ''}`,
    qrContent: combined ? c.traceUrl! : c.verifyUrl,
    qrCaption: combined ? '扫码查看追溯信息与合格证' : '扫码核验合格证',
    qrNote: combined && traceCode ? `追溯码 ${traceCode}` : undefined,
    voided: c.status === 'voided',
  };
}
