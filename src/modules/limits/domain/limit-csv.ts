import { csvLine, restoreCell } from '../../../../libs/csv';
import { DomainError } from '../../../../libs/errors';
import { normalizeCategoryPath } from '../../categories/domain/category-path';
import { Decimal, formatDecimal, isZero, parseDecimal, ZERO } from '../../../../libs/decimal';

/** Kinds of limit rows. `withdrawn`: a newer edition dropped the limit (DOMAIN §5). */
export const LIMIT_KINDS = ['mrl', 'contaminant', 'not_detectable', 'banned', 'withdrawn'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

export const LIMIT_CSV_COLUMNS = [
  'standard', 'edition', 'effective_from', 'analyte', 'analyte_en', 'kind', 'food', 'limit_mg_per_kg', 'verified', 'note',
] as const;

/** One row of a limit table, validated. `limit` is null only for withdrawn rows. */
export interface LimitRowInput {
  line: number;
  standard: string;
  edition: string;
  effectiveFrom: string;
  analyte: string;
  analyteEn: string;
  kind: LimitKind;
  food: string;
  limit: Decimal | null;
  verified: boolean;
  note: string;
}

export interface RowProblem {
  line: number;
  field: string;
  rule: string;
  message: string;
}

export const MAX_IMPORT_ROWS = 100_000;
/** An error report lists at most this many problems (and says how many there were). */
export const MAX_REPORTED_PROBLEMS = 500;

/** `GB 2763`, `GB 2763.1`, `GB 31650.1`, `NY/T 1234` … */
const STANDARD_PATTERN = /^[A-Z]{2,4}(?:\/[A-Z])? \d{1,6}(?:\.\d{1,3})?$/;

/**
 * The standard a row belongs to for edition succession: a numbered part such as GB 2763.1-2022
 * supplements (and is superseded with) its parent GB 2763, so `GB 2763.1` → `GB 2763`.
 */
export function standardFamily(standard: string): string {
  return standard.replace(/\.\d+$/, '');
}

/**
 * The note marker the starter table uses for banned pesticides (it predates the `banned` kind);
 * a row of kind `banned` says the same explicitly.
 */
export function marksBanned(kind: LimitKind, note: string): boolean {
  return kind === 'banned' || /\bbanned pesticide\b|禁用农药|禁限用/i.test(note);
}

/** RFC 4180 CSV: quoted fields with commas, doubled quotes and line breaks; CRLF or LF; BOM. */
export function parseCsvRecords(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
    }
  }
  if (quoted) throw new DomainError('INVALID_LIMIT_FILE', `line ${recordLine}: a quoted field is never closed`, { line: recordLine, rule: 'csv' });
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * Parses and checks a limit table. Every problem is reported with its line and column; the table
 * is either entirely valid (`problems` empty) or not imported at all. `knownFood` says whether a
 * path is in the food-category tree.
 */
export function parseLimitCsv(text: string, knownFood: (path: string) => boolean): { rows: LimitRowInput[]; problems: RowProblem[]; total: number } {
  // Cells that formatLimitRow neutralised against formula injection read back as they were.
  const records = parseCsvRecords(text).map((r) => ({ ...r, cells: r.cells.map(restoreCell) }));
  if (records.length === 0) throw new DomainError('INVALID_LIMIT_FILE', 'The limit table is empty', { rule: 'header', expected: LIMIT_CSV_COLUMNS });
  const header = records[0].cells.map((c) => c.trim().toLowerCase());
  const missing = LIMIT_CSV_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(LIMIT_CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length || new Set(header).size !== header.length) {
    throw new DomainError('INVALID_LIMIT_FILE', `The header must name the columns ${LIMIT_CSV_COLUMNS.join(',')}`, {
      rule: 'header', expected: LIMIT_CSV_COLUMNS, missing, unknown,
    });
  }
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    throw new DomainError('INVALID_LIMIT_FILE', `A limit table holds at most ${MAX_IMPORT_ROWS} rows`, { rule: 'max_rows', rows: records.length - 1 });
  }
  const col = Object.fromEntries(LIMIT_CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof LIMIT_CSV_COLUMNS)[number], number>;

  const rows: LimitRowInput[] = [];
  const problems: RowProblem[] = [];
  const editionDates = new Map<string, { date: string; line: number }>();
  const englishNames = new Map<string, { en: string; line: number }>();
  const seen = new Map<string, number>();

  for (const { line, cells } of records.slice(1)) {
    const rowProblems: RowProblem[] = [];
    const problem = (field: string, rule: string, message: string) => rowProblems.push({ line, field, rule, message });
    if (cells.length !== header.length) {
      problems.push({ line, field: '*', rule: 'columns', message: `expected ${header.length} columns, found ${cells.length}` });
      continue;
    }
    const get = (name: (typeof LIMIT_CSV_COLUMNS)[number]) => cells[col[name]].trim();

    const standard = get('standard').replace(/\s+/g, ' ');
    if (!STANDARD_PATTERN.test(standard)) problem('standard', 'format', `"${standard}" is not a standard number such as "GB 2763"`);
    const edition = get('edition');
    if (!/^\d{4}$/.test(edition)) problem('edition', 'format', `"${edition}" is not an edition year such as "2021"`);
    const effectiveFrom = get('effective_from');
    if (!isCalendarDate(effectiveFrom)) {
      problem('effective_from', 'date', `"${effectiveFrom}" is not a date YYYY-MM-DD`);
    } else if (/^\d{4}$/.test(edition) && effectiveFrom.slice(0, 4) < edition) {
      problem('effective_from', 'after_edition', `${effectiveFrom} is before edition ${edition} was published`);
    }
    const analyte = get('analyte');
    if (!analyte || analyte.length > 100) problem('analyte', 'required', 'analyte (Chinese name) is required, at most 100 characters');
    const analyteEn = get('analyte_en');
    if (analyteEn.length > 200) problem('analyte_en', 'length', 'analyte_en is at most 200 characters');
    const kindText = get('kind').toLowerCase();
    const kind = (LIMIT_KINDS as readonly string[]).includes(kindText) ? (kindText as LimitKind) : null;
    if (!kind) problem('kind', 'enum', `"${kindText}" is not one of ${LIMIT_KINDS.join(', ')}`);
    const food = normalizeCategoryPath(get('food'));
    if (!food || !knownFood(food)) problem('food', 'known_category', `"${food}" is not in the food-category tree`);

    const limitText = get('limit_mg_per_kg');
    let limit: Decimal | null = null;
    if (limitText !== '') {
      try {
        limit = parseDecimal(limitText, 'limit_mg_per_kg');
      } catch {
        problem('limit_mg_per_kg', 'decimal', `"${limitText}" is not a non-negative decimal (mg/kg)`);
      }
    }
    if (kind === 'withdrawn') {
      limit = null;
    } else if ((kind === 'mrl' || kind === 'contaminant') && limitText === '') {
      problem('limit_mg_per_kg', 'required', `a ${kind} row needs limit_mg_per_kg`);
    } else if ((kind === 'mrl' || kind === 'contaminant') && limit && isZero(limit)) {
      problem('limit_mg_per_kg', 'positive', `a ${kind} limit of 0 means "must not be detected": use kind not_detectable`);
    }
    if (kind === 'not_detectable' && limit === null && limitText === '') limit = ZERO;

    const verifiedText = get('verified').toLowerCase();
    const verified = ['yes', 'true', '1', 'y', '是'].includes(verifiedText);
    if (!verified && !['', 'no', 'false', '0', 'n', '否'].includes(verifiedText)) problem('verified', 'enum', `"${verifiedText}" is not yes or no`);
    const note = get('note');
    if (note.length > 500) problem('note', 'length', 'note is at most 500 characters');

    if (rowProblems.length === 0) {
      const editionKey = `${standard}-${edition}`;
      const knownDate = editionDates.get(editionKey);
      if (knownDate && knownDate.date !== effectiveFrom) {
        problem('effective_from', 'one_date_per_edition', `${editionKey} takes effect on ${knownDate.date} (line ${knownDate.line}), not ${effectiveFrom}`);
      } else if (!knownDate) {
        editionDates.set(editionKey, { date: effectiveFrom, line });
      }
      const knownEn = englishNames.get(analyte);
      if (knownEn && analyteEn && knownEn.en && knownEn.en !== analyteEn) {
        problem('analyte_en', 'one_name_per_analyte', `${analyte} is "${knownEn.en}" on line ${knownEn.line}, not "${analyteEn}"`);
      } else if (!knownEn || (!knownEn.en && analyteEn)) {
        englishNames.set(analyte, { en: analyteEn, line });
      }
      const key = [standard, edition, analyte, food].join('\u0000');
      const first = seen.get(key);
      if (first !== undefined) problem('food', 'unique', `${editionKey} already has a row for ${analyte} on ${food} (line ${first})`);
      else seen.set(key, line);
    }
    if (rowProblems.length) {
      problems.push(...rowProblems);
      continue;
    }
    rows.push({ line, standard, edition, effectiveFrom, analyte, analyteEn, kind: kind!, food, limit, verified, note });
  }
  return { rows, problems, total: records.length - 1 };
}

/** The row as a CSV line (for exports and round-trip tests), through the shared writer. */
export function formatLimitRow(row: Omit<LimitRowInput, 'line'>): string {
  return csvLine([row.standard, row.edition, row.effectiveFrom, row.analyte, row.analyteEn, row.kind, row.food,
    row.limit ? formatDecimal(row.limit) : '', row.verified ? 'yes' : 'no', row.note]);
}
