import type { ComponentChildren } from 'preact';
import { metState } from '../domain/indicator-tables';
import { Cell, Column, percent, Table } from '../domain/table';

const NUMBER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 3 });

function plain(column: Column, cell: Cell): ComponentChildren {
  if (cell === null || cell === '') return '—';
  if (column.kind === 'rate') return percent(Number(cell));
  if (column.kind === 'count' || column.kind === 'amount') return NUMBER.format(Number(cell));
  if (column.kind === 'met') return metState(String(cell)) ? <MetBadge text={String(cell)} /> : '—';
  return String(cell);
}

/** ✓/✗ with the words: the state is never told by colour alone. */
export function MetBadge({ text }: { text: string }) {
  const state = metState(text);
  if (!state) return null;
  return <span class={`met ${state}`}><span aria-hidden="true">{state === 'yes' ? '✓' : '✗'}</span> {text}</span>;
}

/** An indicator's columns in one cell: the rate large, numerator/denominator small, the target verdict. */
function GroupCell({ columns, cells }: { columns: Column[]; cells: Record<string, Cell> }) {
  const rate = columns.find((c) => c.kind === 'rate');
  const counts = columns.filter((c) => c.kind === 'count');
  const met = columns.find((c) => c.kind === 'met');
  const joined = (separator: string) => counts.map((c) => plain(c, cells[c.key] ?? null)).join(separator);
  if (!rate) return <td class="num">{joined(' / ')}</td>;
  // No row for this indicator here (nothing counted): one dash, not —/—.
  if (counts.every((c) => cells[c.key] === undefined || cells[c.key] === null)) return <td class="ind">—</td>;
  return (
    <td class="ind"><strong>{plain(rate, cells[rate.key] ?? null)}</strong> <small>{joined('/')}</small>
      {met && <> <MetBadge text={String(cells[met.key] ?? '')} /></>}</td>
  );
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
export function ExportLinks({ table, query }: { table: Pick<Table, 'id'>; query: string }) {
  const base = `/app/dashboard/export/${encodeURIComponent(table.id)}`;
  return <p class="exports"><a href={`${base}.csv${query}`} download>导出 CSV</a> <a href={`${base}.xlsx${query}`} download>导出 Excel</a></p>;
}

function Row({ segs, row }: { segs: Segment[]; row: Table['rows'][number] }) {
  return <tr>{segs.map((s, i) => {
    if (s.grouped) return <GroupCell columns={s.columns} cells={row.cells} />;
    const text = plain(s.columns[0], row.cells[s.columns[0].key] ?? null);
    const numeric = ['count', 'amount', 'rate'].includes(s.columns[0].kind);
    const content = i === 0 && row.href ? <a href={row.href}>{text}</a> : text;
    return i === 0 ? <th scope="row">{content}</th> : <td class={numeric ? 'num' : undefined}>{content}</td>;
  })}</tr>;
}

export interface TableCardOptions {
  empty?: string;
  footer?: ComponentChildren;
  caption?: string;
  /** The table sits in a closed <details> with this summary (long tables that repeat a chart). */
  collapsed?: string;
}

/** A table in a card, with its export links; the first cell links to the drill-down when the row has one. */
export function TableCard({ table, exportQuery, o = {} }: { table: Table; exportQuery: string; o?: TableCardOptions }) {
  const segs = segments(table.columns);
  const grid = table.rows.length
    ? (
      <div class="scroll"><table data-table={table.id}>{o.caption && <caption>{o.caption}</caption>}
        <thead><tr>{segs.map((s) => <th scope="col">{s.header}</th>)}</tr></thead>
        <tbody>{table.rows.map((row) => <Row segs={segs} row={row} />)}</tbody></table></div>
    )
    : <p class="muted">{o.empty ?? '没有记录'}</p>;
  return (
    <section class="card" aria-labelledby={`h-${table.id}`}>
      <div class="card-head"><h2 id={`h-${table.id}`}>{table.title}</h2><ExportLinks table={table} query={exportQuery} /></div>
      {o.collapsed && table.rows.length ? <details><summary>{o.collapsed}</summary>{grid}</details> : grid}
      {o.footer}
    </section>
  );
}
