import { cjkFont } from './cjk-font';
import { mmToPt } from './layouts';
import { qrMatrix } from './qr-matrix';
import { darkRuns } from './qr-runs';
import type PDFDocumentClass from 'pdfkit';

/** pdfkit (with fontkit) takes a tenth of a second to load; only label and certificate renders need it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfDocument = (): typeof PDFDocumentClass => require('pdfkit') as typeof PDFDocumentClass;

/** Everything printed on a 承诺达标合格证, already in the words of its own template. */
export interface CertificateDocument {
  /** 「承诺达标合格证」 (or an older template's title). */
  title: string;
  number: string;
  /** Label/value rows in print order (empty values are left out). */
  fields: [string, string | null][];
  commitment: string;
  /** The template's basis options, ticked as issued; empty for a purchaser certificate. */
  basis: { label: string; ticked: boolean }[];
  /** "生产者（签名）：…" — who signs for the issuer. */
  signature: string;
  qrContent: string;
  qrCaption: string;
  /** A line under the QR (e.g. the trace code on a combined label). */
  qrNote?: string;
  voided?: boolean;
}

export const CERTIFICATE_LAYOUTS = ['label-60x80', 'a4', 'combined-60x80'] as const;
export type CertificateLayout = (typeof CERTIFICATE_LAYOUTS)[number];

/** The certificate is drawn in a 60 × 80 mm box; A4 draws the same box 2.4× larger. */
const BOX_W = mmToPt(60);
const BOX_H = mmToPt(80);
const A4 = [mmToPt(210), mmToPt(297)] as const;
const A4_SCALE = 2.4;

/**
 * Renders one certificate as a PDF: a 60 × 80 mm label, or an A4 page. Text is real text in an
 * embedded CJK subset font (searchable, extractable with pdftotext); the QR is vector.
 */
export async function renderCertificatePdf(cert: CertificateDocument, layout: CertificateLayout): Promise<Buffer> {
  const a4 = layout === 'a4';
  const doc = new (pdfDocument())({
    size: a4 ? [...A4] : [BOX_W, BOX_H],
    margin: 0,
    info: { Title: `${cert.title} ${cert.number}`, Creator: 'Tianfu Trace', Producer: 'Tianfu Trace (pdfkit)' },
  });
  const done = collect(doc);
  doc.registerFont('cjk', cjkFont('regular'));
  doc.registerFont('cjk-bold', cjkFont('bold'));
  if (a4) {
    const x = (A4[0] - BOX_W * A4_SCALE) / 2;
    doc.save().translate(x, mmToPt(20)).scale(A4_SCALE);
    drawCertificate(doc, cert);
    doc.restore();
    doc.font('cjk').fontSize(9).fillColor('#555555')
      .text('本合格证由天府溯源平台开具。扫描二维码核验真伪与状态；作废的合格证不得使用。', mmToPt(30), mmToPt(20) + BOX_H * A4_SCALE + 18, { width: A4[0] - mmToPt(60), align: 'center' });
  } else {
    drawCertificate(doc, cert);
  }
  doc.end();
  return done;
}

/** The PDF's bytes once pdfkit has ended the document (other label PDFs of this library use it too). */
export function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const M = mmToPt(3);
const INNER_W = BOX_W - 2 * M;
const QR_SIZE = mmToPt(20);
const QR_INSET = mmToPt(1.5);

function drawCertificate(doc: PDFKit.PDFDocument, cert: CertificateDocument): void {
  doc.lineWidth(0.6).strokeColor('#000000').rect(M / 2, M / 2, BOX_W - M, BOX_H - M).stroke();
  doc.font('cjk-bold').fontSize(13).fillColor('#000000').text(cert.title, M, M + 1, { width: INNER_W, align: 'center' });
  doc.font('cjk').fontSize(5.2).text(`编号 ${cert.number}`, M, M + 17, { width: INNER_W, align: 'center' });
  let y = M + 25;
  if (cert.voided) {
    doc.font('cjk-bold').fontSize(7).fillColor('#c62828').text('已作废 · 此证无效 VOIDED', M, y, { width: INNER_W, align: 'center' }).fillColor('#000000');
    y += 10;
  }
  doc.moveTo(M, y).lineTo(BOX_W - M, y).lineWidth(0.4).stroke();
  y += 3;
  for (const [label, value] of cert.fields) {
    if (!value) continue;
    doc.font('cjk-bold').fontSize(6).text(`${label}：`, M, y, { continued: true }).font('cjk').text(value, { width: INNER_W });
    y = doc.y + 1.2;
  }
  y += 1;
  doc.font('cjk').fontSize(5.6).text(cert.commitment, M, y, { width: INNER_W, lineGap: 0.6 });
  y = doc.y + 2.5;
  if (cert.basis.length > 0) {
    doc.font('cjk-bold').fontSize(5.6).text('承诺依据：', M, y);
    y = doc.y + 1;
    let x = M;
    for (const option of cert.basis) {
      const width = doc.font('cjk').fontSize(5.6).widthOfString(option.label) + 9;
      if (x + width > BOX_W - M) {
        x = M;
        y += 8;
      }
      drawCheckbox(doc, x, y + 0.6, option.ticked);
      doc.text(option.label, x + 7, y, { lineBreak: false });
      x += width + 4;
    }
    y += 9;
  }
  // The QR keeps ≥ 2 mm of white (about 3 modules) to the frame: enough quiet zone for phone readers.
  const qrLeft = BOX_W - M - QR_INSET - QR_SIZE;
  const qrTop = BOX_H - M - QR_SIZE - 10;
  drawQr(doc, cert.qrContent, qrLeft, qrTop, QR_SIZE);
  doc.font('cjk').fontSize(4.8).text(cert.qrCaption, qrLeft - 4, qrTop + QR_SIZE + 1.5, { width: QR_SIZE + 8, align: 'center' });
  if (cert.qrNote) doc.fontSize(4.4).text(cert.qrNote, qrLeft - 4, qrTop + QR_SIZE + 7, { width: QR_SIZE + 8, align: 'center', lineBreak: false });
  doc.font('cjk').fontSize(6).text(cert.signature, M, Math.max(y, qrTop + QR_SIZE - 14), { width: INNER_W - QR_SIZE - QR_INSET - 4 });
  if (cert.voided) drawVoidStamp(doc);
}

function drawCheckbox(doc: PDFKit.PDFDocument, x: number, y: number, ticked: boolean): void {
  doc.lineWidth(0.4).rect(x, y, 5, 5).stroke();
  if (ticked) doc.lineWidth(0.8).moveTo(x + 0.9, y + 2.6).lineTo(x + 2.1, y + 4).lineTo(x + 4.4, y + 0.8).stroke();
}

function drawQr(doc: PDFKit.PDFDocument, content: string, x: number, y: number, size: number): void {
  const matrix = qrMatrix(content);
  const module = size / matrix.size;
  const runs = darkRuns(matrix);
  doc.save().fillColor('#000000');
  for (let i = 0; i < runs.length; i += 3) doc.rect(x + runs[i] * module, y + runs[i + 1] * module, runs[i + 2] * module, module);
  doc.fill().restore();
}

/** A voided certificate is crossed out (and says so under its number, see drawCertificate). */
function drawVoidStamp(doc: PDFKit.PDFDocument): void {
  doc.save().strokeColor('#c62828').strokeOpacity(0.6).lineWidth(1.2)
    .moveTo(M, M).lineTo(BOX_W - M, BOX_H - M).moveTo(BOX_W - M, M).lineTo(M, BOX_H - M).stroke().restore();
}
