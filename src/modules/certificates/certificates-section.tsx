import { Injectable, OnModuleInit } from '@nestjs/common';
import { ScanSections } from '../scan-sections';
import { CertificatesService } from './certificates.service';
import { TEMPLATES } from './domain/templates';

export interface ScanCertificate {
  number: string;
  status: 'valid' | 'voided';
  title: string;
  issuedOn: string;
  issuerName: string;
  quantity: { value: string; unit: string };
  basis: string[];
  url: string;
}

/**
 * The consumer page's certificate section (证码合一: the trace QR shows the certificate too).
 * Valid certificates first; voided ones stay listed, marked, so a voided paper copy is exposed.
 */
@Injectable()
export class CertificatesSection implements OnModuleInit {
  constructor(private readonly sections: ScanSections, private readonly certificates: CertificatesService) {}

  onModuleInit(): void {
    this.sections.register<ScanCertificate[]>({
      key: 'certificates',
      order: 10,
      load: (batchId) => this.load(batchId),
      render: (certs) => (
        <section class="card" id="certificates"><h2>承诺达标合格证</h2>
          <ul class="certs">{certs.map((c) => (
            <li><a href={c.url}>{c.number}</a> <span class={c.status === 'valid' ? 'cert-valid' : 'cert-voided'}>{c.status === 'valid' ? '有效' : '已作废'}</span><br />
              <span class="muted">{c.issuedOn} · {c.issuerName} · {c.quantity.value} {c.quantity.unit}{c.basis.length ? ` · ${c.basis.join('、')}` : ''}</span></li>
          ))}</ul>
        </section>
      ),
    });
  }

  private async load(batchId: string): Promise<ScanCertificate[] | null> {
    const rows = await this.certificates.forBatch(batchId);
    if (rows.length === 0) return null;
    return rows
      .sort((a, b) => Number(a.status === 'voided') - Number(b.status === 'voided'))
      .map((c) => {
        const view = this.certificates.toView(c);
        const template = TEMPLATES[c.templateVersion];
        return {
          number: c.number, status: c.status, title: template.title, issuedOn: c.issuedOn, issuerName: c.issuerName,
          quantity: view.quantity, url: view.verifyUrl,
          basis: template.basisOptions.filter((o) => c.basis.includes(o.code)).map((o) => o.label),
        };
      });
  }
}
