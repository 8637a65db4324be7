import { writeCsv } from '../../../../libs/csv';
import { esc, styleHash } from '../../../common/html';

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

export interface ReportHeader {
  id: string;
  mode: 'recall' | 'mock';
  reason: string;
  createdAt: string;
  durationMs: number;
  lotCount: number;
  affectedOrganizations: AffectedOrganization[];
}

const REPORT_CSS = `body{font:14px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:16px;color:#1f2a24}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccd5cf;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef3f0}th a{color:inherit;text-decoration:none}.banner{background:#c62828;color:#fff;padding:10px 14px;border-radius:8px}
.mock{background:#f9a825;color:#1f1f1f}`;

/** The report's CSP allows exactly its inline sheet. */
export const REPORT_STYLE_HASH = styleHash(REPORT_CSS);

/** The report as a self-contained HTML page; column titles link to the same page sorted by them. */
export function reportHtml(header: ReportHeader, rows: ReportRow[], sort: keyof ReportRow, order: SortOrder): string {
  const th = REPORT_COLUMNS.map((c) => {
    const next = c.key === sort && order === 'asc' ? 'desc' : 'asc';
    const mark = c.key === sort ? (order === 'asc' ? ' ▲' : ' ▼') : '';
    return `<th><a href="?sort=${esc(c.key)}&amp;order=${next}">${esc(c.title)}${mark}</a></th>`;
  }).join('');
  const body = rows.map((r) => `<tr>${REPORT_COLUMNS.map((c) => `<td>${esc(r[c.key])}</td>`).join('')}</tr>`).join('\n');
  const orgs = header.affectedOrganizations.map((o) =>
    `<li>${esc(o.name)} — ${o.lots} 批 · ${Object.entries(o.quantities).map(([u, v]) => `${esc(v)} ${esc(u)}`).join(' + ')}${o.inTransit ? ' · 含在途' : ''}</li>`).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${header.mode === 'mock' ? '模拟召回报告' : '召回报告'} ${esc(header.id)}</title>
<style>${REPORT_CSS}</style></head>
<body>
<h1>${header.mode === 'mock' ? '模拟召回报告 Mock recall report' : '召回报告 Recall report'}</h1>
<p class="banner${header.mode === 'mock' ? ' mock' : ''}">${header.mode === 'mock' ? '模拟召回：未改变任何批次状态' : '以下批次已标记为召回'} · ${esc(header.reason)}</p>
<p>生成时间 ${esc(header.createdAt)} · 用时 ${header.durationMs} ms · 受影响批次 ${header.lotCount} · 受影响主体 ${header.affectedOrganizations.length} · 事件 ${rows.length}</p>
<h2>受影响主体 Affected organisations</h2><ul>${orgs}</ul>
<h2>追溯事件 Tracking events</h2>
<table><thead><tr>${th}</tr></thead><tbody>
${body}
</tbody></table>
</body></html>`;
}
