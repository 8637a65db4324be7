import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer of the platform: every CSV file or line we produce goes through `writeCsv` or
 * `csvLine`, so every export follows the same formula-injection rule (OWASP "CSV injection").
 *
 * The rule: a text cell that a spreadsheet would evaluate — starting with = + - @ TAB or CR — is
 * written with a leading apostrophe, which spreadsheets take as "this is text" and do not show.
 * Plain decimal numbers (`-1.5`, `-40`) are left alone: a spreadsheet reads them as numbers, never
 * as formulas, and the existing exports (recall report, dashboard numbers, GI coordinates) wrote
 * them that way. Cells already starting with apostrophes before such a character get one more, so
 * `restoreCell` undoes the rule exactly and our own exports re-import unchanged.
 */
const NEEDS_APOSTROPHE = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

export type CsvCell = string | number | boolean | null | undefined;

/** The cell as written: text a spreadsheet would evaluate gets a leading apostrophe. */
export function neutraliseCell(value: string): string {
  return NEEDS_APOSTROPHE.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** Undoes `neutraliseCell` for a cell read back from one of our exports (importers of the same columns). */
export function restoreCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

const OPTIONS = {
  // Numbers go through the rule too: `-Infinity` is not a plain number.
  cast: { string: neutraliseCell, number: (n: number) => neutraliseCell(String(n)) },
  // csv-stringify quotes a field holding the whole record delimiter only: a lone \n or \r in a
  // CRLF file would otherwise be written bare and split the record. Whitespace at either end is
  // quoted too: readers (ours, spreadsheets) trim it from unquoted fields.
  quoted_match: [/[\r\n]/, /^\s|\s$/],
};

/** A whole file: UTF-8 BOM (spreadsheets then read the Chinese correctly), CRLF lines, RFC 4180 quoting. */
export function writeCsv(records: readonly (readonly CsvCell[])[]): string {
  return stringify(records.map((r) => [...r]), { ...OPTIONS, bom: true, record_delimiter: 'windows' });
}

const QUOTE_NEEDED = /[",\r\n]|^\s|\s$/;
const QUOTES = /"/g;

function textCell(value: string): string {
  const v = neutraliseCell(value);
  return QUOTE_NEEDED.test(v) ? `"${v.replace(QUOTES, '""')}"` : v;
}

/**
 * `writeCsv`'s file (the same bytes: the CSV writer spec checks it property by property) in pieces
 * of about `chunkChars` characters, for large text-only exports streamed to the client without the
 * whole file or a copy of every record in memory. Cells are text or absent (undefined: empty).
 */
export function* csvChunks(records: Iterable<readonly (string | undefined)[]>, chunkChars = 65_536): Generator<string> {
  let chunk = '\uFEFF';
  for (const record of records) {
    for (let i = 0; i < record.length; i++) {
      const cell = record[i];
      if (i > 0) chunk += ',';
      if (cell) chunk += textCell(cell);
    }
    chunk += '\r\n';
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** One record without BOM or line end (to assemble or compare single lines). */
export function csvLine(cells: readonly CsvCell[]): string {
  return stringify([[...cells]], { ...OPTIONS, record_delimiter: 'unix' }).replace(/\n$/, '');
}

/** A whole file of `columns` (the header) and one record per row object, read by column name (absent: empty cell). */
export function writeCsvTable<C extends string>(columns: readonly C[], rows: readonly Partial<Record<C, CsvCell>>[]): string {
  return writeCsv([columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))]);
}
