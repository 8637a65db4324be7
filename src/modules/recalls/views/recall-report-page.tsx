import { renderDocument, styleHash, trustedHtml } from '../../../common/html';
import { AffectedOrganization, REPORT_COLUMNS, ReportRow, SortOrder } from '../domain/recall-report';

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

function Heading({ sort, order }: { sort: keyof ReportRow; order: SortOrder }) {
  return <tr>{REPORT_COLUMNS.map((c) => {
    const next = c.key === sort && order === 'asc' ? 'desc' : 'asc';
    const mark = c.key === sort ? (order === 'asc' ? ' ▲' : ' ▼') : '';
    return <th><a href={`?sort=${c.key}&order=${next}`}>{c.title}{mark}</a></th>;
  })}</tr>;
}

function Organization({ o }: { o: AffectedOrganization }) {
  const quantities = Object.entries(o.quantities).map(([unit, value]) => `${value} ${unit}`).join(' + ');
  return <li>{o.name} — {o.lots} 批 · {quantities}{o.inTransit && ' · 含在途'}</li>;
}

/** The report as a self-contained HTML page; column titles link to the same page sorted by them. */
export function reportHtml(header: ReportHeader, rows: ReportRow[], sort: keyof ReportRow, order: SortOrder): string {
  const mock = header.mode === 'mock';
  return renderDocument(
    <html lang="zh-CN">
      <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{mock ? '模拟召回报告' : '召回报告'} {header.id}</title>
        <style>{trustedHtml(REPORT_CSS)}</style></head>
      <body>
        <h1>{mock ? '模拟召回报告 Mock recall report' : '召回报告 Recall report'}</h1>
        <p class={mock ? 'banner mock' : 'banner'}>{mock ? '模拟召回：未改变任何批次状态' : '以下批次已标记为召回'} · {header.reason}</p>
        <p>生成时间 {header.createdAt} · 用时 {header.durationMs} ms · 受影响批次 {header.lotCount} · 受影响主体 {header.affectedOrganizations.length} · 事件 {rows.length}</p>
        <h2>受影响主体 Affected organisations</h2><ul>{header.affectedOrganizations.map((o) => <Organization o={o} />)}</ul>
        <h2>追溯事件 Tracking events</h2>
        <table><thead><Heading sort={sort} order={order} /></thead>
          <tbody>{rows.map((r) => <tr>{REPORT_COLUMNS.map((c) => <td>{r[c.key]}</td>)}</tr>)}</tbody></table>
      </body>
    </html>,
  );
}
