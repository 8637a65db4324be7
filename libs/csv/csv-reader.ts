import { CsvError, parse } from 'csv-parse/sync';
import { DomainError, type ErrorCode } from '../errors';
import { restoreCell } from './csv-writer';
import type { ImportProblem } from './import-report';

/**
 * The one CSV reader of the platform: every import (GI records and authorisations, limit tables,
 * lab results, the category seed) reads its file here, so they all accept the same files.
 *
 * - UTF-8 with or without BOM; CRLF, LF or CR line ends, mixed (a file edited on two systems).
 * - RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes.
 * - Whitespace around a field is not data (spreadsheets write `a, "b, c"`): it is trimmed, and a
 *   quote after it still opens a quoted field. Whitespace inside quotes is kept — the writer quotes
 *   cells that start or end with whitespace, so exported cells read back exactly.
 * - A quote inside an unquoted field is text (`12" pipe`), as spreadsheets read it.
 * - Cells the writer neutralised against formula injection lose their apostrophe again.
 * - Rows are numbered as a spreadsheet shows them (first line = row 1, a quoted line break does not
 *   start a row, a blank line does); blank lines are skipped.
 */

/** Files larger than this are refused before parsing (also the HTTP body limit for text/csv). */
const MAX_CSV_BYTES = 32 * 1024 * 1024;

export interface CsvRecord {
  row: number;
  cells: string[];
}

export interface CsvReadOptions {
  /** DomainError code of a file that cannot be read (syntax, header, size); default INVALID_CSV. */
  code?: ErrorCode;
  maxBytes?: number;
}

const PARSE_OPTIONS = {
  bom: true,
  trim: true,
  relax_quotes: true,
  // Row widths are checked against the header by `readCsv`, as row problems.
  relax_column_count: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

const SYNTAX_PROBLEMS: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows the closing quote of a field',
  CSV_INVALID_CLOSING_QUOTE: 'text follows the closing quote of a field',
};

/** Every non-blank record of the file, cells trimmed and restored. Throws `code` (INVALID_CSV) naming the row. */
export function readCsvRecords(text: string, options: CsvReadOptions = {}): CsvRecord[] {
  const code = options.code ?? 'INVALID_CSV';
  const maxBytes = options.maxBytes ?? MAX_CSV_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new DomainError(code, `The file is larger than ${maxBytes} bytes`, { rule: 'max_bytes', maxBytes });
  }
  let records: string[][];
  try {
    records = parse(text, PARSE_OPTIONS);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // `records` counts the rows read before the broken one, blank ones included.
    const row = (typeof error.records === 'number' ? error.records : 0) + 1;
    const problem = SYNTAX_PROBLEMS[error.code] ?? error.message;
    throw new DomainError(code, `The file is not valid CSV: row ${row}: ${problem}`, { rule: 'csv', row });
  }
  const read: CsvRecord[] = [];
  records.forEach((cells, i) => {
    if (cells.length > 1 || cells[0] !== '') read.push({ row: i + 1, cells: cells.map(restoreCell) });
  });
  return read;
}

export interface CsvTableOptions<C extends string> extends CsvReadOptions {
  /** The columns this import knows, by their canonical (snake_case) names. */
  columns: readonly C[];
  /** Columns the header must name; default every column. */
  required?: readonly C[];
  /** Other names of a column in a header (e.g. Chinese labels), matched after trimming. */
  aliases?: Readonly<Record<string, C>>;
  /** A header cell naming no known column: refuse the file (default) or ignore that column. */
  unknownColumns?: 'reject' | 'ignore';
  /**
   * A row with fewer cells than the header: a BAD_ROW problem (`reject`, default) or the missing
   * trailing cells read as empty (`pad`, for hand-written files). More cells than the header, unless
   * the extra ones are empty, is always a problem: a stray comma has shifted the row.
   */
  shortRows?: 'reject' | 'pad';
  /** Data rows (after the header) a file may hold. */
  maxRows?: number;
}

export interface CsvRow<C extends string> {
  row: number;
  /** Every known column; '' for a column the header does not name. */
  cells: Record<C, string>;
}

export interface CsvTable<C extends string> {
  /** The known columns the header names, in file order. */
  columns: C[];
  rows: CsvRow<C>[];
  /** Rows that could not be mapped onto the header (BAD_ROW); they are not in `rows`. */
  problems: ImportProblem[];
  /** Data rows in the file (`rows` plus the rows with problems). */
  rowCount: number;
}

/**
 * Reads a file whose first row names the columns. Header names are matched without regard to
 * case and surrounding spaces; blank header cells are ignored. Throws `code` (INVALID_CSV) for a
 * file that cannot be read, an empty file, a wrong header or too many rows.
 */
export function readCsv<C extends string>(text: string, options: CsvTableOptions<C>): CsvTable<C> {
  const code = options.code ?? 'INVALID_CSV';
  const [header, ...data] = readCsvRecords(text, options);
  if (!header) {
    throw new DomainError(code, `The file is empty: the first row must name the columns ${options.columns.join(',')}`, {
      rule: 'header', allowedColumns: options.columns,
    });
  }
  const positions = mapHeader(header.cells, options, code);
  if (options.maxRows !== undefined && data.length > options.maxRows) {
    throw new DomainError(code, `The file has ${data.length} rows; at most ${options.maxRows} are read in one import`, {
      rule: 'max_rows', maxRows: options.maxRows, rows: data.length,
    });
  }
  const width = header.cells.length;
  const rows: CsvRow<C>[] = [];
  const problems: ImportProblem[] = [];
  for (const { row, cells } of data) {
    const short = cells.length < width && options.shortRows !== 'pad';
    const long = cells.length > width && cells.slice(width).some((c) => c !== '');
    if (short || long) {
      problems.push({ row, column: null, code: 'BAD_ROW', message: `expected ${width} cells, found ${cells.length}` });
      continue;
    }
    const named = Object.fromEntries(options.columns.map((c) => [c, ''])) as Record<C, string>;
    for (const [column, at] of positions) named[column] = cells[at] ?? '';
    rows.push({ row, cells: named });
  }
  return { columns: [...positions.keys()], rows, problems, rowCount: data.length };
}

/** Column → cell index, or the one error naming every header problem. */
function mapHeader<C extends string>(cells: string[], options: CsvTableOptions<C>, code: ErrorCode): Map<C, number> {
  const known = new Set<string>(options.columns);
  const positions = new Map<C, number>();
  const unknown: string[] = [];
  const twice: string[] = [];
  cells.forEach((cell, at) => {
    if (cell === '') return;
    const name = (options.aliases && Object.hasOwn(options.aliases, cell) ? options.aliases[cell] : undefined) ?? cell.toLowerCase();
    if (!known.has(name)) {
      if (options.unknownColumns !== 'ignore') unknown.push(cell);
    } else if (positions.has(name as C)) {
      twice.push(name);
    } else {
      positions.set(name as C, at);
    }
  });
  const missing = (options.required ?? options.columns).filter((c) => !positions.has(c));
  if (unknown.length || twice.length || missing.length) {
    const said = [
      unknown.length ? `unknown columns: ${unknown.join(', ')}` : '',
      missing.length ? `missing columns: ${missing.join(', ')}` : '',
      twice.length ? `columns named twice: ${twice.join(', ')}` : '',
    ].filter(Boolean).join('; ');
    throw new DomainError(code, `The first row must name the columns (${said}); known columns: ${options.columns.join(',')}`, {
      rule: 'header', unknownColumns: unknown, missingColumns: missing, duplicateColumns: twice, allowedColumns: options.columns,
    });
  }
  return positions;
}
