import { asField, DomainError } from '../errors';
import { assertLabelsInput, type LabelContent } from './label-content';
import { ASCENT, ELLIPSIS, labelPlan, MM_PER_PT, PER_LABEL_FIELDS, rowBaselinesMm, rowsFor, type LabelPlan, type TextRowPlan } from './label-plan';
import type { LabelLayout } from './layouts';
import { qrMatrix, QR_QUIET_ZONE } from './qr-matrix';
import { byteModeVersion } from './qr-segments';

/*
 * Shared by the ZPL and TSPL renderers: thermal label printers at 203 dpi (8 dots/mm) that draw
 * the QR code and the text themselves. Positions come from the same label plan as the PDF.
 */

const DOTS_PER_MM = 8;


export function dots(mm: number): number {
  return Math.round(mm * DOTS_PER_MM);
}

function ptToDots(pt: number): number {
  return Math.round(pt * MM_PER_PT * DOTS_PER_MM);
}

/** Printers take one label per page: the sheet layout makes no sense on a roll. */
function assertRollLayout(labels: LabelContent[], layout: LabelLayout, format: string): LabelPlan {
  assertLabelsInput(labels, layout);
  if (layout === 'a4-40') {
    throw new DomainError('LAYOUT_NOT_SUPPORTED', `${format} output needs a roll layout, not ${layout}`, {
      field: 'layout',
      allowed: ['roll-60x40', 'roll-60x80'],
    });
  }
  return labelPlan(layout);
}

/**
 * Rough advance of a character in a printer's CJK TrueType font (e.g. SimSun), in em: full width
 * for CJK and full-width forms, about half for ASCII. Printer fonts are not measurable from here,
 * so this errs on the wide side.
 */
function emWidth(cp: number): number {
  if (cp < 0x1100) return 0.55;
  if (cp >= 0xff61 && cp <= 0xffdc) return 0.55; // half-width forms
  return 1;
}

function estimateWidth(text: string, sizeDots: number): number {
  let em = 0;
  for (const ch of text) em += emWidth(ch.codePointAt(0) as number);
  return em * sizeDots;
}

/** One line of text at a size that fits, truncated with '…' below the minimum size. */
function fitLine(text: string, row: TextRowPlan, maxWidthDots: number): { text: string; size: number } {
  const size = ptToDots(row.sizePt);
  const min = ptToDots(row.minSizePt);
  const w = estimateWidth(text, size);
  if (w <= maxWidthDots) return { text, size };
  const fitting = Math.floor((size * maxWidthDots) / w);
  if (fitting >= min) return { text, size: fitting };
  const chars = Array.from(text);
  let out = '';
  let width = estimateWidth(ELLIPSIS, min);
  for (const ch of chars) {
    const cw = estimateWidth(ch, min);
    if (width + cw > maxWidthDots) break;
    out += ch;
    width += cw;
  }
  return { text: out + ELLIPSIS, size: min };
}

export interface PrinterLine {
  text: string;
  size: number;
  /** Left edge and baseline, in dots from the label's top-left corner. */
  x: number;
  baseline: number;
}

export interface PrinterLabel {
  qrText: string;
  /** Top-left corner of the symbol (inside the quiet zone) and dots per module. */
  qrX: number;
  qrY: number;
  moduleDots: number;
  lines: PrinterLine[];
}

/** Everything a printer format needs to place one label, in dots. */
export class PrinterLayout {
  readonly plan: LabelPlan;
  readonly widthDots: number;
  readonly heightDots: number;

  constructor(labels: LabelContent[], layout: LabelLayout, format: string) {
    this.plan = assertRollLayout(labels, layout, format);
    this.widthDots = dots(this.plan.widthMm);
    this.heightDots = dots(this.plan.heightMm);
  }

  /**
   * QR version to size the printer's symbol for. The printer encodes the QR itself and may not
   * segment as cleverly as qrMatrix(), so plan for plain byte mode, the largest symbol an encoder
   * can reasonably pick: the quiet zone then holds whatever the printer chooses. Only text too
   * long for byte mode is checked exactly (it may still fit as digits/alphanumerics, or not at all).
   */
  private qrVersion(text: string, index: number): number {
    const v = byteModeVersion(text);
    if (v !== undefined) return v;
    return asField(`labels[${index}].qrText`, () => qrMatrix(text).version, { index });
  }

  private readonly qrByVersion = new Map<number, { qrX: number; qrY: number; moduleDots: number }>();
  private readonly lineCache = new Map<string, PrinterLine>();
  private readonly rowsByVariant = new Map<string, { row: TextRowPlan; baseline: number }[]>();
  private caption: PrinterLine | undefined;

  private qrPlacement(version: number): { qrX: number; qrY: number; moduleDots: number } {
    let q = this.qrByVersion.get(version);
    if (!q) {
      const { plan } = this;
      const modules = 17 + 4 * version;
      const box = dots(plan.qr.sizeMm);
      // Whole dots per module (printers cannot do fractions), at least 1, largest that fits.
      const moduleDots = Math.max(1, Math.floor(box / (modules + 2 * QR_QUIET_ZONE)));
      const symbol = modules * moduleDots;
      q = {
        qrX: dots(plan.qr.xMm) + Math.floor((box - symbol) / 2),
        qrY: dots(plan.qr.yMm) + Math.floor((box - symbol) / 2),
        moduleDots,
      };
      this.qrByVersion.set(version, q);
    }
    return q;
  }

  private rows(hasSerial: boolean, hasOrganicCode: boolean): { row: TextRowPlan; baseline: number }[] {
    const variant = `${hasSerial}|${hasOrganicCode}`;
    let rows = this.rowsByVariant.get(variant);
    if (!rows) {
      const present = rowsFor(this.plan, hasSerial, hasOrganicCode);
      const baselines = rowBaselinesMm(this.plan, present);
      rows = present.map((row, i) => ({ row, baseline: dots(baselines[i]) }));
      this.rowsByVariant.set(variant, rows);
    }
    return rows;
  }

  private line(row: TextRowPlan, text: string, baseline: number): PrinterLine {
    const key = `${row.field}\u0000${baseline}\u0000${text}`;
    let line = this.lineCache.get(key);
    if (!line) {
      const { plan } = this;
      const maxWidth = dots(plan.text.widthMm);
      const fit = fitLine(text, row, maxWidth);
      const width = estimateWidth(fit.text, fit.size);
      const x =
        plan.text.align === 'center'
          ? dots(plan.text.xMm) + Math.max(0, Math.round((maxWidth - width) / 2))
          : dots(plan.text.xMm);
      line = { ...fit, x, baseline };
      // Serials and 有机码 change on every label: do not let them grow the cache.
      if (!PER_LABEL_FIELDS.includes(row.field)) this.lineCache.set(key, line);
    }
    return line;
  }

  private captionLine(): PrinterLine {
    if (!this.caption) {
      const c = this.plan.caption;
      const size = ptToDots(c.sizePt);
      const width = estimateWidth(c.text, size);
      this.caption = { text: c.text, size, x: Math.round(dots(c.centerXMm) - width / 2), baseline: dots(c.baselineMm) };
    }
    return this.caption;
  }

  label(label: LabelContent, index: number): PrinterLabel {
    const q = this.qrPlacement(this.qrVersion(label.qrText, index));
    const lines: PrinterLine[] = [this.captionLine()];
    for (const { row, baseline } of this.rows(label.serial !== undefined, label.organicCode !== undefined)) {
      lines.push(this.line(row, row.prefix + (label[row.field] ?? ''), baseline));
    }
    return { qrText: label.qrText, ...q, lines };
  }
}

/** Top of a line's em box, for commands that position text by its top edge. */
export function lineTop(line: PrinterLine): number {
  return Math.max(0, Math.round(line.baseline - ASCENT * line.size));
}
