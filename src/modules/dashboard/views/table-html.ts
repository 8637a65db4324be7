import { esc } from '../../../common/html';
import { metState } from '../domain/indicator-tables';
import { Cell, Column, percent, Table } from '../domain/table';

const NUMBER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 3 });

function plain(column: Column, cell: Cell): string {
  if (cell === null || cell === '') return '—';
  if (column.kind === 'rate') return percent(Number(cell));
  if (column.kind === 'count' || column.kind === 'amount') return NUMBER.format(Number(cell));
  if (column.kind === 'met') return metBadge(String(cell)) || '—';
  return esc(cell);
}

/** ✓/✗ with the words: the state is never told by colour alone. */
export function metBadge(text: string): string {
  const state = metState(text);
  if (!state) return '';
  return `<span class="met ${state}"><span aria-hidden="true">${state === 'yes' ? '✓' : '✗'}</span> ${esc(text)}</span>`;
}

/** An indicator's columns in one cell: the rate large, numerator/denominator small, the target verdict. */
function groupCell(columns: Column[], cells: Record<string, Cell>): string {
  const rate = columns.find((c) => c.kind === 'rate');
  const counts = columns.filter((c) => c.kind === 'count');
  const met = columns.find((c) => c.kind === 'met');
  if (!rate) return `<td class="num">${counts.map((c) => plain(c, cells[c.key] ?? null)).join(' / ')}</td>`;
  // No row for this indicator here (nothing counted): one dash, not —/—.
  if (counts.every((c) => cells[c.key] === undefined || cells[c.key] === null)) return '<td class="ind">—</td>';
  const fraction = counts.map((c) => plain(c, cells[c.key] ?? null)).join('/');
  return `<td class="ind"><strong>${plain(rate, cells[rate.key] ?? null)}</strong> <small>${fraction}</small>${met ? ` ${metBadge(String(cells[met.key] ?? ''))}` : ''}</td>`;
}

interface Segment {
  header: string;
  columns: Column[];
  grouped: boolean;
}

function segments(columns: Column[]): Segment[] {
  const out: Segment[] = [];
  for (const c of columns) {
    const last = out[out.length - 1];
    if (c.group && last?.grouped && last.header === c.group) last.columns.push(c);
    else out.push({ header: c.group ?? c.header, columns: [c], grouped: !!c.group });
  }
  return out;
}

/** The export links of a table: the same data, every page (up to the cap). */
export function exportLinks(table: Pick<Table, 'id'>, query: string): string {
  const base = `/app/dashboard/export/${encodeURIComponent(table.id)}`;
  return `<p class="exports"><a href="${esc(`${base}.csv${query}`)}" download>导出 CSV</a>
<a href="${esc(`${base}.xlsx${query}`)}" download>导出 Excel</a></p>`;
}

/** A table in a card, with its export links; the first cell links to the drill-down when the row has one. */
/** `collapsed`: the table sits in a closed <details> with this summary (long tables that repeat a chart). */
export function tableCard(table: Table, exportQuery: string, o: { empty?: string; footer?: string; caption?: string; collapsed?: string } = {}): string {
  const segs = segments(table.columns);
  const head = segs.map((s) => `<th scope="col">${esc(s.header)}</th>`).join('');
  const body = table.rows.map((row) => `<tr>${segs.map((s, i) => {
    if (s.grouped) return groupCell(s.columns, row.cells);
    const html = plain(s.columns[0], row.cells[s.columns[0].key] ?? null);
    const numeric = ['count', 'amount', 'rate'].includes(s.columns[0].kind);
    const content = i === 0 && row.href ? `<a href="${esc(row.href)}">${html}</a>` : html;
    return i === 0 ? `<th scope="row">${content}</th>` : `<td${numeric ? ' class="num"' : ''}>${content}</td>`;
  }).join('')}</tr>`).join('');
  const table_ = table.rows.length
    ? `<div class="scroll"><table data-table="${esc(table.id)}">${o.caption ? `<caption>${esc(o.caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`
    : `<p class="muted">${esc(o.empty ?? '没有记录')}</p>`;
  const content = o.collapsed && table.rows.length ? `<details><summary>${esc(o.collapsed)}</summary>${table_}</details>` : table_;
  return `<section class="card" aria-labelledby="h-${esc(table.id)}"><div class="card-head"><h2 id="h-${esc(table.id)}">${esc(table.title)}</h2>
${exportLinks(table, exportQuery)}</div>${content}${o.footer ?? ''}</section>`;
}
