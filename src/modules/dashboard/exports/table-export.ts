import { PassThrough } from 'node:stream';
import { CsvCell, writeCsv } from '../../../../libs/csv';
import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import { Cell, Column, exportHeader, Table } from '../domain/table';
import type ExcelJSModule from 'exceljs';

/** exceljs takes over a tenth of a second to load; only spreadsheet exports need it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = (): typeof ExcelJSModule => require('exceljs') as typeof ExcelJSModule;

/** Rows an export holds at most: enough for a province's year of failures, small enough for Excel on a laptop. */
export const EXPORT_CAP = 50_000;

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** What the file says about itself: the filters and when it was made. */
export interface ExportMeta {
  title: string;
  filters: [label: string, value: string][];
  generatedAt: Date;
}

const NUMERIC = new Set(['count', 'amount', 'rate']);

/** Rates keep six decimals (0.992308): exact enough for any percentage shown, without float noise. */
function numberValue(column: Column, cell: Cell): number | null {
  if (cell === null || cell === '') return null;
  const n = typeof cell === 'number' ? cell : Number(cell);
  if (!Number.isFinite(n)) return null;
  return column.kind === 'rate' ? Math.round(n * 1e6) / 1e6 : n;
}

/** A cell as exported: numbers stay numbers, text stays text. */
function exportValue(column: Column, cell: Cell): string | number | null {
  if (NUMERIC.has(column.kind)) return numberValue(column, cell);
  return cell === null ? null : String(cell);
}

function truncationNote(table: Table): string | null {
  return table.truncatedAt ? `仅导出前 ${table.truncatedAt} 行：符合条件的记录更多，请缩小地区、期间或类别后分别导出` : null;
}

/** Through the shared writer (BOM, CRLF, formulas neutralised); a note row when capped. */
export function tableCsv(table: Table): string {
  const records: CsvCell[][] = [table.columns.map(exportHeader)];
  for (const row of table.rows) records.push(table.columns.map((c) => exportValue(c, row.cells[c.key] ?? null)));
  const note = truncationNote(table);
  if (note) records.push([note]);
  return writeCsv(records);
}

const NUM_FMT: Partial<Record<Column['kind'], string>> = { rate: '0.00%', count: '#,##0', amount: '#,##0.###' };

/** One sheet of the table (numbers as numbers, rates with a % format) and a 说明 sheet with the filters. */
export async function tableXlsx(table: Table, meta: ExportMeta): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => { sink.on('end', resolve); sink.on('error', reject); });
  // Streaming writer with inline strings: a 50,000-row sheet without holding the workbook model.
  const book = new (excel().stream.xlsx.WorkbookWriter)({ stream: sink, useStyles: true, useSharedStrings: false });
  book.created = meta.generatedAt;
  const sheet = book.addWorksheet(sheetName(table.title), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({
    header: exportHeader(c), key: c.key, width: Math.min(40, Math.max(10, exportHeader(c).length * 2 + 2)),
    style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const row of table.rows) {
    sheet.addRow(Object.fromEntries(table.columns.map((c) => [c.key, exportValue(c, row.cells[c.key] ?? null)]))).commit();
  }
  const note = truncationNote(table);
  if (note) sheet.addRow([note]).commit();
  sheet.commit();
  const about = book.addWorksheet('说明');
  about.columns = [{ width: 16 }, { width: 60 }];
  for (const line of [
    ['表格', meta.title], ...meta.filters, ['导出时间', `${chinaDateTime(meta.generatedAt)}（北京时间）`], ['行数', String(table.rows.length)],
    ['说明', '比率 = 分子 ÷ 分母（同一行），不对百分比求平均'], ...(note ? [['截断', note]] : []),
  ]) about.addRow(line).commit();
  about.commit();
  await book.commit();
  await done;
  return Buffer.concat(chunks);
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(title: string): string {
  return title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';
}

/**
 * `attachment` with an ASCII name for old clients and the real (Chinese) one in RFC 5987 form
 * (`filename*=UTF-8''…`). Written by hand: two lines, and the `content-disposition` package is only
 * a transitive dependency here.
 */
export function contentDisposition(filename: string, asciiFallback: string): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
