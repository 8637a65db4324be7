import type { CjkWeight } from './cjk-font';
import { LABEL_LAYOUTS, type LabelLayout } from './layouts';

/*
 * Where things go on one label, in millimetres from the label's top-left corner (y downwards),
 * shared by the PDF, ZPL and TSPL renderers so the three look alike.
 *
 *   a4-40 (52.5 × 29.7) and roll-60x40:       roll-60x80:
 *   ┌────────────┬───────────────────┐        ┌──────────────┐
 *   │ ▛▀▀▀▀▀▀▀▜ │ 蒲江猕猴桃（红阳）    │        │  ▛▀▀▀▀▀▀▀▀▜  │
 *   │ ▌  QR    ▐ │ 批号 2611270A3F    │        │  ▌   QR    ▐  │
 *   │ ▙▄▄▄▄▄▄▄▟ │ 序号 000123        │        │  ▙▄▄▄▄▄▄▄▄▟  │
 *   │  扫码溯源   │ 生产日期 2026-11-27 │        │    扫码溯源     │
 *   └────────────┴ 蒲江县绿源…合作社 ──┘        │ name, lot, … │
 *                                              └──────────────┘
 * The QR box includes the 4-module quiet zone: nothing else is drawn inside it. Each text row is
 * one line: too long → smaller font (down to minSizePt) → truncated with '…'. Never wrapped.
 */

export type TextField = 'productName' | 'lot' | 'serial' | 'organicCode' | 'date' | 'producer';

export interface TextRowPlan {
  field: TextField;
  /** Shown before the value, e.g. '批号 '. */
  prefix: string;
  weight: CjkWeight;
  sizePt: number;
  minSizePt: number;
}

export interface LabelPlan {
  widthMm: number;
  heightMm: number;
  /** Square QR box, quiet zone included; the symbol is scaled to fill it. */
  qr: { xMm: number; yMm: number; sizeMm: number };
  caption: { text: string; sizePt: number; centerXMm: number; baselineMm: number };
  text: {
    xMm: number;
    widthMm: number;
    topMm: number;
    bottomMm: number;
    align: 'left' | 'center';
    rows: TextRowPlan[];
  };
}

export const CAPTION = '扫码溯源';
export const ELLIPSIS = '…';
/** Ascent / descent of the CJK em box (Noto Sans CJK: 880 / −120 units per 1000). */
export const ASCENT = 0.88;
export const MM_PER_PT = 25.4 / 72;

function rows(name: number, body: number, producer: number, min: number): TextRowPlan[] {
  return [
    { field: 'productName', prefix: '', weight: 'bold', sizePt: name, minSizePt: min + 0.5 },
    { field: 'lot', prefix: '批号 ', weight: 'regular', sizePt: body, minSizePt: min },
    { field: 'serial', prefix: '序号 ', weight: 'regular', sizePt: body, minSizePt: min },
    // 有机码 are printed after the words 「有机码」 (CNCA organic label rules).
    { field: 'organicCode', prefix: '有机码 ', weight: 'regular', sizePt: body, minSizePt: min },
    { field: 'date', prefix: '生产日期 ', weight: 'regular', sizePt: body, minSizePt: min },
    { field: 'producer', prefix: '', weight: 'regular', sizePt: producer, minSizePt: min },
  ];
}

const PLANS: Record<LabelLayout, LabelPlan> = {
  'a4-40': {
    widthMm: 52.5,
    heightMm: 29.7,
    qr: { xMm: 0.8, yMm: 0.8, sizeMm: 22.4 },
    caption: { text: CAPTION, sizePt: 7, centerXMm: 0.8 + 11.2, baselineMm: 26.6 },
    text: { xMm: 23.6, widthMm: 27.6, topMm: 2.2, bottomMm: 27.6, align: 'left', rows: rows(9, 6.5, 6.5, 4.5) },
  },
  'roll-60x40': {
    widthMm: 60,
    heightMm: 40,
    qr: { xMm: 1, yMm: 1, sizeMm: 29 },
    caption: { text: CAPTION, sizePt: 8.5, centerXMm: 1 + 14.5, baselineMm: 35 },
    text: { xMm: 30.5, widthMm: 28, topMm: 3, bottomMm: 37.5, align: 'left', rows: rows(11, 7.5, 7.5, 5) },
  },
  'roll-60x80': {
    widthMm: 60,
    heightMm: 80,
    qr: { xMm: 7.5, yMm: 1.5, sizeMm: 45 },
    caption: { text: CAPTION, sizePt: 10, centerXMm: 30, baselineMm: 50 },
    text: { xMm: 3, widthMm: 54, topMm: 53, bottomMm: 78, align: 'center', rows: rows(13, 9, 8.5, 6) },
  },
};

export function labelPlan(layout: LabelLayout): LabelPlan {
  const plan = PLANS[layout];
  const spec = LABEL_LAYOUTS[layout];
  if (plan.widthMm !== spec.labelWidthMm || plan.heightMm !== spec.labelHeightMm) {
    throw new Error(`label plan for ${layout} does not match its layout`);
  }
  return plan;
}

/** The rows a label shows (the serial and 有机码 rows only when it has them). */
export function rowsFor(plan: LabelPlan, hasSerial: boolean, hasOrganicCode = false): TextRowPlan[] {
  return plan.text.rows.filter((r) => (r.field !== 'serial' || hasSerial) && (r.field !== 'organicCode' || hasOrganicCode));
}

/** Fields that change on every label: drawn per label, never cached. */
export const PER_LABEL_FIELDS: readonly TextField[] = ['serial', 'organicCode'];

/**
 * Baselines (mm from the label top) for the given rows: em boxes stacked with an even gap, the gap
 * capped at 0.8 em so a short list does not spread over the whole label; the block is centred.
 */
export function rowBaselinesMm(plan: LabelPlan, present: TextRowPlan[]): number[] {
  const heights = present.map((r) => r.sizePt * MM_PER_PT);
  const total = heights.reduce((a, b) => a + b, 0);
  const avail = plan.text.bottomMm - plan.text.topMm;
  const n = present.length;
  const maxGap = (0.8 * total) / n;
  const gap = n > 1 ? Math.max(0, Math.min(maxGap, (avail - total) / (n - 1))) : 0;
  let y = plan.text.topMm + (avail - total - gap * (n - 1)) / 2;
  return heights.map((h) => {
    const baseline = y + ASCENT * h;
    y += h + gap;
    return baseline;
  });
}
