import * as bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { normalizeSscc } from '../codes/sscc';
import { decimal, decimalPlaces, shift } from '../decimal';
import { amountOf, dimensionOf } from '../quantity';
import { collect } from './certificate-pdf';
import { cjkFont } from './cjk-font';
import { mmToPt } from './layouts';
import { zplEscape } from './label-zpl';

/*
 * The GS1 logistic label (GS1 General Specifications §6.6 and the GS1 Logistic Label Guideline) for
 * one logistic unit, on A6-width thermal stock: 100 × 150 mm, as a PDF and as ZPL II (203 dpi).
 *
 * Layout, top to bottom, as the guideline orders its segments:
 *  1. free-format segment: FROM (shipper) and TO (consignee) — names, addresses, GLNs;
 *  2. text segment: the data the barcodes carry, each with its data title (SSCC, CONTENT, BATCH/LOT,
 *     COUNT or NET WEIGHT), plus the product description;
 *  3. barcode segment: the GS1-128 of the contents — (02) GTIN of the contained trade items,
 *     (37) count or (310n) net weight in kg, (10) lot — when the unit holds one lot of one GTIN
 *     (a mixed unit carries its SSCC only, as the guideline says), and the GS1-128 of the SSCC (00)
 *     at the bottom, each with its human-readable interpretation under it.
 *
 * The bars come from bwip-js (Barcode Writer in Pure PostScript): it chooses the Code 128 code sets,
 * places FNC1 first and after variable-length AIs, and refuses data its GS1 linter rejects (a bad
 * check digit, a wrong AI combination). The PDF draws its bar widths as vector rectangles; the ZPL
 * draws the same bars with ^GB boxes at a whole number of dots per module, so both media print the
 * same symbol (the tests decode both with zbar).
 */

export interface LogisticLabelParty {
  name: string;
  address: string | null;
  gln: string | null;
}

export interface LogisticLabelContent {
  gtin: string | null;
  description: string;
  lotCode: string;
  quantity: { value: string; unit: string };
}

export interface LogisticLabelData {
  sscc: string;
  from: LogisticLabelParty;
  to: LogisticLabelParty | null;
  contents: LogisticLabelContent[];
  /** China calendar date the unit was packed (YYYY-MM-DD), printed as PACK DATE. */
  packedOn: string | null;
}

export interface LogisticBarcode {
  /** The GS1 element string with AIs in parentheses, e.g. `(00)069012340000000016`. */
  elementString: string;
  /** Bar and space widths in modules, starting with a bar (quiet zones not included). */
  widths: number[];
  modules: number;
}

/** Page and segment geometry in mm (the label's top-left is 0,0). */
const W = 100;
const H = 150;
const MARGIN = 4;
const QUIET_MODULES = 10;
/** GS1 logistic label: X-dimension 0.495–0.940 mm, bar height ≥ 31.75 mm at 0.495 mm for the SSCC. */
const TARGET_X = 0.5;
const SSCC_BAR_H = 32;
const CONTENT_BAR_H = 22;
const HRI_H = 5;

/** A count of trade items (AI 37) or a net weight in kg (AI 310n), or nothing when neither fits. */
function quantityAi(q: { value: string; unit: string }): string {
  if (dimensionOf(q.unit) === 'mass') {
    const kg = amountOf(q).value;
    const places = Math.max(0, decimalPlaces(kg));
    if (places > 5) return '';
    const scaled = shift(kg, places);
    if (scaled.gt(decimal('999999'))) return '';
    return `(310${places})${scaled.toFixed(0).padStart(6, '0')}`;
  }
  const count = decimal(q.value);
  if (decimalPlaces(count) > 0 || count.gt(decimal('99999999')) || count.lte(decimal('0'))) return '';
  return `(37)${count.toFixed(0)}`;
}

/** The element strings the label's barcodes carry: the contents' (one lot of one GTIN) and the SSCC's, in print order. */
export function logisticElementStrings(data: LogisticLabelData): string[] {
  const sscc = normalizeSscc(data.sscc);
  const out: string[] = [];
  const only = data.contents.length === 1 ? data.contents[0] : null;
  if (only?.gtin) {
    const q = quantityAi(only.quantity);
    // Fixed-length AIs first, the variable-length lot last (it needs no FNC1 after it).
    const fixed = q.startsWith('(310') ? q : '';
    const variable = q.startsWith('(37)') ? q : '';
    out.push(`(02)${only.gtin.padStart(14, '0')}${fixed}${variable}(10)${only.lotCode}`);
  }
  out.push(`(00)${sscc}`);
  return out;
}

/** One GS1-128 symbol as bwip-js encodes it (throws a plain Error when its GS1 linter refuses the data). */
export function gs1128(elementString: string): LogisticBarcode {
  const [symbol] = bwipjs.raw({ bcid: 'gs1-128', text: elementString }) as { sbs: number[] }[];
  const widths = symbol.sbs;
  return { elementString, widths, modules: widths.reduce((a, b) => a + b, 0) };
}

function barcodesOf(data: LogisticLabelData): LogisticBarcode[] {
  const strings = logisticElementStrings(data);
  const out: LogisticBarcode[] = [];
  for (const s of strings) {
    try {
      out.push(gs1128(s));
    } catch (e) {
      // The SSCC is validated above; a content string GS1 refuses (a lot outside set 82) is left off, not printed wrong.
      if (s.startsWith('(00)')) throw e;
    }
  }
  return out;
}

/** The lines of the text segment: data title and value. */
function textRows(data: LogisticLabelData): [string, string][] {
  const rows: [string, string][] = [['SSCC', data.sscc]];
  if (data.contents.length === 1) {
    const c = data.contents[0];
    if (c.gtin) rows.push(['CONTENT (GTIN) 内容', c.gtin.padStart(14, '0')]);
    rows.push(['PRODUCT 品名', c.description]);
    rows.push(['BATCH/LOT 批号', c.lotCode]);
    const mass = dimensionOf(c.quantity.unit) === 'mass';
    rows.push([mass ? 'NET WEIGHT 净重' : 'COUNT 数量', `${c.quantity.value} ${c.quantity.unit}`]);
  } else {
    rows.push(['CONTENT 内容', `${data.contents.length} lots 批 (mixed 混装)`]);
    for (const c of data.contents.slice(0, 4)) rows.push([c.lotCode, `${c.description} ${c.quantity.value} ${c.quantity.unit}`]);
    if (data.contents.length > 4) rows.push(['…', `+${data.contents.length - 4}`]);
  }
  if (data.packedOn) rows.push(['PACK DATE 包装日期', data.packedOn]);
  return rows;
}

function partyLines(title: string, p: LogisticLabelParty): string[] {
  return [title, p.name, ...(p.address ? [p.address] : []), ...(p.gln ? [`GLN ${p.gln}`] : [])];
}

/** The X-dimension (mm) a symbol of `modules` gets: 0.5 mm, less when it would not fit between the margins with its quiet zones. */
function xDimension(modules: number): number {
  return Math.min(TARGET_X, (W - 2 * MARGIN) / (modules + 2 * QUIET_MODULES));
}

/** Where each barcode goes (mm): content above, SSCC at the bottom. */
function barcodePlacements(barcodes: LogisticBarcode[]): { code: LogisticBarcode; x: number; y: number; h: number; module: number }[] {
  let bottom = H - MARGIN;
  const out: { code: LogisticBarcode; x: number; y: number; h: number; module: number }[] = [];
  for (const code of [...barcodes].reverse()) {
    const h = code.elementString.startsWith('(00)') ? SSCC_BAR_H : CONTENT_BAR_H;
    const module = xDimension(code.modules);
    const y = bottom - HRI_H - h;
    out.unshift({ code, x: (W - code.modules * module) / 2, y, h, module });
    bottom = y - 3;
  }
  return out;
}

/** One 100 × 150 mm page per logistic unit. */
export async function renderLogisticLabelPdf(labels: LogisticLabelData[]): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [mmToPt(W), mmToPt(H)], margin: 0, autoFirstPage: false,
    info: { Title: `GS1 logistic label ${labels.map((l) => l.sscc).join(' ')}`, Creator: 'Tianfu Trace', Producer: 'Tianfu Trace (pdfkit, bwip-js)' },
  });
  const done = collect(doc);
  doc.registerFont('cjk', cjkFont('regular'));
  doc.registerFont('cjk-bold', cjkFont('bold'));
  const mm = mmToPt;
  for (const data of labels) {
    const barcodes = barcodesOf(data);
    doc.addPage();
    // 1. FROM / TO, side by side.
    const colW = (W - 2 * MARGIN - 4) / 2;
    const parties: [number, string[]][] = [[MARGIN, partyLines('FROM 发货人', data.from)]];
    if (data.to) parties.push([MARGIN + colW + 4, partyLines('TO 收货人', data.to)]);
    for (const [x, lines] of parties) {
      let y = MARGIN;
      for (const [i, line] of lines.entries()) {
        doc.font(i === 0 ? 'cjk-bold' : 'cjk').fontSize(i === 0 ? 7 : 8.5).fillColor('#000000')
          .text(line, mm(x), mm(y), { width: mm(colW), height: mm(8), ellipsis: true });
        y += i === 0 ? 3.6 : (doc.heightOfString(line, { width: mm(colW) }) > 14 ? 8 : 4.2);
      }
    }
    let y = 30;
    doc.moveTo(mm(MARGIN), mm(y)).lineTo(mm(W - MARGIN), mm(y)).lineWidth(0.8).stroke();
    // 2. Text segment.
    y += 2;
    for (const [title, value] of textRows(data)) {
      doc.font('cjk').fontSize(6.5).text(title, mm(MARGIN), mm(y), { width: mm(34), lineBreak: false, ellipsis: true });
      doc.font('cjk-bold').fontSize(title === 'SSCC' ? 12 : 9.5)
        .text(value, mm(MARGIN + 35), mm(y - (title === 'SSCC' ? 1.2 : 0.4)), { width: mm(W - 2 * MARGIN - 35), lineBreak: false, ellipsis: true });
      y += title === 'SSCC' ? 6.2 : 5;
    }
    doc.moveTo(mm(MARGIN), mm(y + 1)).lineTo(mm(W - MARGIN), mm(y + 1)).lineWidth(0.8).stroke();
    // 3. Barcodes with their human-readable interpretation.
    for (const p of barcodePlacements(barcodes)) {
      let x = p.x;
      p.code.widths.forEach((w, i) => {
        if (i % 2 === 0) doc.rect(mm(x), mm(p.y), mm(w * p.module), mm(p.h));
        x += w * p.module;
      });
      doc.fill('#000000');
      doc.font('cjk').fontSize(9).text(p.code.elementString, mm(MARGIN), mm(p.y + p.h + 0.8), { width: mm(W - 2 * MARGIN), align: 'center', lineBreak: false });
    }
  }
  doc.end();
  return done;
}

const DOTS_PER_MM = 8;

/**
 * ZPL II, one ^XA…^XZ format per logistic unit, 203 dpi (8 dots/mm), 800 × 1200 dots. Chinese text
 * needs a CJK font on the printer mapped as font 1 (see label-zpl.ts: `fontFile`, default
 * E:SIMSUN.TTF); data titles and the human-readable interpretations use the printer's font 0.
 */
export function renderLogisticLabelZpl(labels: LogisticLabelData[], opts: { fontFile?: string } = {}): string {
  const fontFile = opts.fontFile ?? 'E:SIMSUN.TTF';
  const d = (mm: number) => Math.round(mm * DOTS_PER_MM);
  const text = (x: number, y: number, size: number, width: number, value: string, cjk = true) =>
    `^FO${d(x)},${d(y)}^A${cjk ? '1' : '0'}N,${size},${size}^FB${d(width)},1,0,L^FH^FD${zplEscape(value)}^FS\n`;
  return labels.map((data) => {
    const barcodes = barcodesOf(data);
    let s = `^XA\n^CI28\n^CW1,${fontFile}\n^PW${d(W)}\n^LL${d(H)}\n^LH0,0\n`;
    const colW = (W - 2 * MARGIN - 4) / 2;
    const parties: [number, string[]][] = [[MARGIN, partyLines('FROM 发货人', data.from)]];
    if (data.to) parties.push([MARGIN + colW + 4, partyLines('TO 收货人', data.to)]);
    for (const [x, lines] of parties) {
      lines.forEach((line, i) => { s += text(x, MARGIN + (i === 0 ? 0 : 3.6 + (i - 1) * 4.2), i === 0 ? 22 : 26, colW, line); });
    }
    s += `^FO${d(MARGIN)},${d(30)}^GB${d(W - 2 * MARGIN)},3,3^FS\n`;
    let y = 32;
    for (const [title, value] of textRows(data)) {
      s += text(MARGIN, y, 20, 34, title);
      s += text(MARGIN + 35, y - 0.4, title === 'SSCC' ? 40 : 30, W - 2 * MARGIN - 35, value);
      y += title === 'SSCC' ? 6.2 : 5;
    }
    s += `^FO${d(MARGIN)},${d(y + 1)}^GB${d(W - 2 * MARGIN)},3,3^FS\n`;
    for (const p of barcodePlacements(barcodes)) {
      // Whole dots per module: the largest that keeps the symbol and its quiet zones on the label (at least 2).
      const dots = Math.max(2, Math.min(4, Math.floor(d(W - 2 * MARGIN) / (p.code.modules + 2 * QUIET_MODULES))));
      let x = Math.round((d(W) - p.code.modules * dots) / 2);
      const top = d(p.y);
      const h = d(p.h);
      p.code.widths.forEach((w, i) => {
        if (i % 2 === 0) s += `^FO${x},${top}^GB${w * dots},${h},${w * dots}^FS\n`;
        x += w * dots;
      });
      s += `^FO${d(MARGIN)},${top + h + 6}^A0N,30,24^FB${d(W - 2 * MARGIN)},1,0,C^FH^FD${zplEscape(p.code.elementString)}^FS\n`;
    }
    return `${s}^PQ1\n^XZ\n`;
  }).join('');
}
