import PDFDocument from 'pdfkit';
import { cjkFont } from '../../../../libs/labels';

/** Everything the recall plan and summary report (召回计划及总结报告) prints, already in words. */
export interface RecallSummaryDocument {
  recallId: string;
  regionName: string;
  /** The starting lot: product and lot code. */
  product: string;
  lotCode: string;
  producer: string;
  reason: string;
  /** Facts as label/value rows (grade, deadlines, state …) in print order. */
  facts: [string, string][];
  organizations: {
    name: string;
    lots: number;
    distributed: string;
    recovered: string;
    disposed: string;
    soldThrough: string;
    total: string;
    state: string;
    confirmedAt: string;
    note: string;
  }[];
  /** The balance in one sentence (all balanced, or who is still open). */
  balance: string;
  generatedAt: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const WIDTH = A4[0] - 2 * MARGIN;
const COLUMNS: { title: string; key: keyof RecallSummaryDocument['organizations'][number]; width: number }[] = [
  { title: '主体', key: 'name', width: 0.2 },
  { title: '批次', key: 'lots', width: 0.06 },
  { title: '应召回（分发）', key: 'distributed', width: 0.14 },
  { title: '已收回', key: 'recovered', width: 0.1 },
  { title: '已处置', key: 'disposed', width: 0.1 },
  { title: '已售出', key: 'soldThrough', width: 0.1 },
  { title: '合计', key: 'total', width: 0.1 },
  { title: '核对', key: 'state', width: 0.1 },
  { title: '确认时间', key: 'confirmedAt', width: 0.1 },
];

/**
 * The recall plan and summary report for the county regulator as an A4 PDF: grade and deadlines,
 * each affected organisation's confirmed quantities against what it was distributed, and the
 * balance. Text is real text in the embedded CJK subset font (pdftotext extracts it).
 */
export async function renderRecallSummaryPdf(d: RecallSummaryDocument): Promise<Buffer> {
  const doc = new PDFDocument({ size: A4, margin: MARGIN, info: { Title: `召回计划及总结报告 ${d.recallId}`, Creator: 'Tianfu Trace', Producer: 'Tianfu Trace (pdfkit)' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', cjkFont('regular'));
  doc.registerFont('cjk-bold', cjkFont('bold'));

  doc.font('cjk-bold').fontSize(18).text('食品召回计划及总结报告', MARGIN, MARGIN, { width: WIDTH, align: 'center' });
  doc.font('cjk').fontSize(10).fillColor('#444444').text(`报送：${d.regionName} 农产品质量安全监管部门`, { width: WIDTH, align: 'center' }).fillColor('#000000');
  doc.moveDown(0.8);
  section(doc, '一、召回产品');
  rows(doc, [['产品', d.product], ['批次号', d.lotCode], ['生产者', d.producer], ['召回原因', d.reason], ['召回编号', d.recallId]]);
  section(doc, '二、召回分级与时限');
  rows(doc, d.facts);
  section(doc, '三、受影响主体及数量核对');
  table(doc, d.organizations);
  doc.moveDown(0.6);
  doc.font('cjk-bold').fontSize(10.5).text(d.balance, MARGIN, doc.y, { width: WIDTH });
  const notes = d.organizations.filter((o) => o.note);
  if (notes.length) {
    doc.moveDown(0.4);
    for (const o of notes) doc.font('cjk').fontSize(9).text(`${o.name} 说明：${o.note}`, MARGIN, doc.y, { width: WIDTH });
  }
  doc.moveDown(1.2);
  doc.font('cjk').fontSize(8.5).fillColor('#555555')
    .text(`本报告由天府溯源平台于 ${d.generatedAt} 根据召回记录和各主体确认的数量生成。数量以各主体确认为准；“已收回 + 已处置 + 已售出”须与分发数量一致方可结案。`, MARGIN, doc.y, { width: WIDTH });
  doc.end();
  return done;
}

function section(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(0.6);
  doc.font('cjk-bold').fontSize(12).fillColor('#1d6b43').text(title, MARGIN, doc.y, { width: WIDTH }).fillColor('#000000');
  doc.moveDown(0.2);
}

function rows(doc: PDFKit.PDFDocument, pairs: [string, string][]): void {
  for (const [label, value] of pairs) {
    const y = doc.y;
    doc.font('cjk-bold').fontSize(10).text(label, MARGIN, y, { width: 96 });
    doc.font('cjk').fontSize(10).text(value || '—', MARGIN + 100, y, { width: WIDTH - 100 });
    doc.y = Math.max(doc.y, y + 14) + 2;
  }
}

function table(doc: PDFKit.PDFDocument, lines: RecallSummaryDocument['organizations']): void {
  const widths = COLUMNS.map((c) => c.width * WIDTH);
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'cjk-bold' : 'cjk').fontSize(8.5);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c || '—', { width: widths[i] - 6 }))) + 6;
    if (doc.y + height > A4[1] - MARGIN) doc.addPage();
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.rect(x, top, widths[i], height).lineWidth(0.5).strokeColor('#9aa8a0').stroke();
      doc.fillColor('#000000').text(cell || '—', x + 3, top + 3, { width: widths[i] - 6 });
      x += widths[i];
    });
    doc.x = MARGIN;
    doc.y = top + height;
  };
  drawRow(COLUMNS.map((c) => c.title), true);
  for (const line of lines) drawRow(COLUMNS.map((c) => String(line[c.key])), false);
}
