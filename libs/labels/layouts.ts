/** Print-run label layouts (see shared/API.md: `GET /api/v1/print-runs/{id}/labels.pdf?layout=…`). */
export type LabelLayout = 'a4-40' | 'roll-60x40' | 'roll-60x80';

export interface LabelLayoutSpec {
  /** Physical page (sheet, or one roll label) in millimetres. */
  pageWidthMm: number;
  pageHeightMm: number;
  /** Grid of label cells on one page; cells tile the page with no margin. */
  columns: number;
  rows: number;
  labelWidthMm: number;
  labelHeightMm: number;
}

export const LABEL_LAYOUTS: Readonly<Record<LabelLayout, Readonly<LabelLayoutSpec>>> = Object.freeze({
  // A4 portrait, 4 × 10 cells of 52.5 × 29.7 mm, no page margin (standard 40-up label sheets).
  'a4-40': Object.freeze({
    pageWidthMm: 210,
    pageHeightMm: 297,
    columns: 4,
    rows: 10,
    labelWidthMm: 52.5,
    labelHeightMm: 29.7,
  }),
  // Thermal roll labels: one label per page.
  'roll-60x40': Object.freeze({
    pageWidthMm: 60,
    pageHeightMm: 40,
    columns: 1,
    rows: 1,
    labelWidthMm: 60,
    labelHeightMm: 40,
  }),
  'roll-60x80': Object.freeze({
    pageWidthMm: 60,
    pageHeightMm: 80,
    columns: 1,
    rows: 1,
    labelWidthMm: 60,
    labelHeightMm: 80,
  }),
});

export const LABEL_LAYOUT_NAMES = Object.keys(LABEL_LAYOUTS) as LabelLayout[];

export function isLabelLayout(value: unknown): value is LabelLayout {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LABEL_LAYOUTS, value);
}

/** PostScript points per millimetre (PDF user space unit = 1/72 inch). */
const PT_PER_MM = 72 / 25.4;

export function mmToPt(mm: number): number {
  return mm * PT_PER_MM;
}
