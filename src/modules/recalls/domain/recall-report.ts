import { writeCsv } from '../../../../libs/csv';

/** One critical tracking event of a recall report (FSMA 204-style sortable spreadsheet row). */
export interface ReportRow {
  lot: string;
  lotUri: string;
  product: string;
  quantity: string;
  unit: string;
  location: string;
  /** ISO instant (or a date for the origin row). */
  date: string;
  eventType: string;
  source: string;
  destination: string;
  referenceDocument: string;
}

export interface AffectedOrganization {
  organizationId: string;
  name: string;
  lots: number;
  /** Quantities of its affected lots, per unit (decimal strings); in-transit shipments count for the receiver. */
  quantities: Record<string, string>;
  inTransit: boolean;
}

export const REPORT_COLUMNS: { key: keyof ReportRow; title: string }[] = [
  { key: 'date', title: '日期 Date' },
  { key: 'eventType', title: '事件 Event type' },
  { key: 'lot', title: '批次 Lot' },
  { key: 'product', title: '产品 Product' },
  { key: 'quantity', title: '数量 Quantity' },
  { key: 'unit', title: '单位 Unit' },
  { key: 'location', title: '地点 Location' },
  { key: 'source', title: '来源 Source' },
  { key: 'destination', title: '去向 Destination' },
  { key: 'referenceDocument', title: '单据 Reference document' },
  { key: 'lotUri', title: 'EPCIS lot URI' },
];

export type SortOrder = 'asc' | 'desc';

export function isReportColumn(value: unknown): value is keyof ReportRow {
  return REPORT_COLUMNS.some((c) => c.key === value);
}

/** Rows sorted by a column (quantities numerically), ties by date then lot. */
export function sortRows(rows: ReportRow[], column: keyof ReportRow = 'date', order: SortOrder = 'asc'): ReportRow[] {
  const sign = order === 'desc' ? -1 : 1;
  const compare = (a: ReportRow, b: ReportRow): number => {
    if (column === 'quantity') return Number(a.quantity) - Number(b.quantity);
    return a[column] < b[column] ? -1 : a[column] > b[column] ? 1 : 0;
  };
  return [...rows].sort((a, b) => sign * compare(a, b) || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || (a.lot < b.lot ? -1 : 1));
}

/** Through the shared writer (BOM, CRLF, formulas neutralised). */
export function reportCsv(rows: ReportRow[]): string {
  return writeCsv([REPORT_COLUMNS.map((c) => c.title), ...rows.map((row) => REPORT_COLUMNS.map((c) => row[c.key]))]);
}
