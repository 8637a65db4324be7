/**
 * One model per dashboard table, rendered three ways (HTML, CSV, XLSX) so an export holds exactly
 * what the page shows. Counts and rates stay numbers; the renderers format them.
 */
/** `met`: whether a target is met, in words (达标 / 未达标 …); pages add ✓/✗. */
export type ColumnKind = 'text' | 'count' | 'amount' | 'rate' | 'date' | 'met';

export interface Column {
  key: string;
  header: string;
  kind: ColumnKind;
  /**
   * Columns of one indicator share a group: the page shows them in one cell (the rate, then
   * numerator/denominator), exports as separate columns headed `group·header`.
   */
  group?: string;
}

export type Cell = string | number | null;

export interface TableRow {
  cells: Record<string, Cell>;
  /** Where the row's first cell links to on the page (drill-down); not exported. */
  href?: string;
}

export interface Table {
  /** Also the export's name: `/app/dashboard/export/{id}.csv`. */
  id: string;
  title: string;
  columns: Column[];
  rows: TableRow[];
  /** Set when the rows stop at a cap: the total asked for was larger. */
  truncatedAt?: number;
}

/** The header an export writes for a column. */
export function exportHeader(column: Column): string {
  return column.group ? `${column.group}·${column.header}` : column.header;
}

/** 0.99237 → "99.24%"; null → "—". */
export function percent(rate: number | null | undefined, digits = 2): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`;
}

/** Decimal strings from the indicator rows ("12", "1200.500") as numbers for the exports. */
export function toNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
