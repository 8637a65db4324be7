import { csvLine, ImportProblem, readCsv } from '../../../../libs/csv';
import { normalizeCategoryPath } from '../../categories/domain';
import { Decimal, formatDecimal, isZero, parseDecimal, ZERO } from '../../../../libs/decimal';

/** Kinds of limit rows. `withdrawn`: a newer edition dropped the limit (DOMAIN §5). */
export const LIMIT_KINDS = ['mrl', 'contaminant', 'not_detectable', 'banned', 'withdrawn'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

export const LIMIT_CSV_COLUMNS = [
  'standard', 'edition', 'effective_from', 'analyte', 'analyte_en', 'kind', 'food', 'limit_mg_per_kg', 'verified', 'note',
] as const;

/** One row of a limit table, validated (`row` as a spreadsheet numbers it). `limit` is null only for withdrawn rows. */
export interface LimitRowInput {
  row: number;
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

export const MAX_IMPORT_ROWS = 100_000;

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

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * Codes of row problems: a cell that breaks its format is VALIDATION_FAILED (the message names the
 * rule); rules across rows and tables have their own codes.
 */
const INVALID = 'VALIDATION_FAILED';
export const EDITION_DATE_CONFLICT = 'EDITION_DATE_CONFLICT';

type LimitColumn = (typeof LIMIT_CSV_COLUMNS)[number];

/**
 * Parses and checks a limit table. Every problem is reported with its row and column; the table
 * is either entirely valid (`problems` empty) or not imported at all. `knownFood` says whether a
 * path is in the food-category tree.
 */
export function parseLimitCsv(text: string, knownFood: (path: string) => boolean): { rows: LimitRowInput[]; problems: ImportProblem[]; total: number } {
  const table = readCsv(text, { columns: LIMIT_CSV_COLUMNS, code: 'INVALID_LIMIT_FILE', maxRows: MAX_IMPORT_ROWS });
  const rows: LimitRowInput[] = [];
  const problems: ImportProblem[] = [...table.problems];
  const editionDates = new Map<string, { date: string; row: number }>();
  const englishNames = new Map<string, { en: string; row: number }>();
  const seen = new Map<string, number>();

  for (const { row, cells } of table.rows) {
    const rowProblems: ImportProblem[] = [];
    const problem = (column: LimitColumn, code: string, message: string) => rowProblems.push({ row, column, code, message });
    const get = (name: LimitColumn) => cells[name].trim();

    const standard = get('standard').replace(/\s+/g, ' ');
    if (!STANDARD_PATTERN.test(standard)) problem('standard', INVALID, `"${standard}" is not a standard number such as "GB 2763"`);
    const edition = get('edition');
    if (!/^\d{4}$/.test(edition)) problem('edition', INVALID, `"${edition}" is not an edition year such as "2021"`);
    const effectiveFrom = get('effective_from');
    if (!isCalendarDate(effectiveFrom)) {
      problem('effective_from', INVALID, `"${effectiveFrom}" is not a date YYYY-MM-DD`);
    } else if (/^\d{4}$/.test(edition) && effectiveFrom.slice(0, 4) < edition) {
      problem('effective_from', INVALID, `${effectiveFrom} is before edition ${edition} was published`);
    }
    const analyte = get('analyte');
    if (!analyte || analyte.length > 100) problem('analyte', INVALID, 'analyte (Chinese name) is required, at most 100 characters');
    const analyteEn = get('analyte_en');
    if (analyteEn.length > 200) problem('analyte_en', INVALID, 'analyte_en is at most 200 characters');
    const kindText = get('kind').toLowerCase();
    const kind = (LIMIT_KINDS as readonly string[]).includes(kindText) ? (kindText as LimitKind) : null;
    if (!kind) problem('kind', INVALID, `"${kindText}" is not one of ${LIMIT_KINDS.join(', ')}`);
    const food = normalizeCategoryPath(get('food'));
    if (!food || !knownFood(food)) problem('food', 'UNKNOWN_FOOD', `"${food}" is not in the food-category tree`);

    const limitText = get('limit_mg_per_kg');
    let limit: Decimal | null = null;
    if (limitText !== '') {
      try {
        limit = parseDecimal(limitText, 'limit_mg_per_kg');
      } catch {
        problem('limit_mg_per_kg', INVALID, `"${limitText}" is not a non-negative decimal (mg/kg)`);
      }
    }
    if (kind === 'withdrawn') {
      limit = null;
    } else if ((kind === 'mrl' || kind === 'contaminant') && limitText === '') {
      problem('limit_mg_per_kg', INVALID, `a ${kind} row needs limit_mg_per_kg`);
    } else if ((kind === 'mrl' || kind === 'contaminant') && limit && isZero(limit)) {
      problem('limit_mg_per_kg', INVALID, `a ${kind} limit of 0 means "must not be detected": use kind not_detectable`);
    }
    if (kind === 'not_detectable' && limit === null && limitText === '') limit = ZERO;

    const verifiedText = get('verified').toLowerCase();
    const verified = ['yes', 'true', '1', 'y', '是'].includes(verifiedText);
    if (!verified && !['', 'no', 'false', '0', 'n', '否'].includes(verifiedText)) problem('verified', INVALID, `"${verifiedText}" is not yes or no`);
    const note = get('note');
    if (note.length > 500) problem('note', INVALID, 'note is at most 500 characters');

    if (rowProblems.length === 0) {
      const editionKey = `${standard}-${edition}`;
      const knownDate = editionDates.get(editionKey);
      if (knownDate && knownDate.date !== effectiveFrom) {
        problem('effective_from', EDITION_DATE_CONFLICT, `${editionKey} takes effect on ${knownDate.date} (row ${knownDate.row}), not ${effectiveFrom}`);
      } else if (!knownDate) {
        editionDates.set(editionKey, { date: effectiveFrom, row });
      }
      const knownEn = englishNames.get(analyte);
      if (knownEn && analyteEn && knownEn.en && knownEn.en !== analyteEn) {
        problem('analyte_en', 'ANALYTE_NAME_CONFLICT', `${analyte} is "${knownEn.en}" on row ${knownEn.row}, not "${analyteEn}"`);
      } else if (!knownEn || (!knownEn.en && analyteEn)) {
        englishNames.set(analyte, { en: analyteEn, row });
      }
      const key = [standard, edition, analyte, food].join('\u0000');
      const first = seen.get(key);
      if (first !== undefined) problem('food', 'DUPLICATE_IN_FILE', `${editionKey} already has a row for ${analyte} on ${food} (row ${first})`);
      else seen.set(key, row);
    }
    if (rowProblems.length) {
      problems.push(...rowProblems);
      continue;
    }
    rows.push({ row, standard, edition, effectiveFrom, analyte, analyteEn, kind: kind!, food, limit, verified, note });
  }
  return { rows, problems, total: table.rowCount };
}

/** The row as a CSV line (for exports and round-trip tests), through the shared writer. */
export function formatLimitRow(row: Omit<LimitRowInput, 'row'>): string {
  return csvLine([row.standard, row.edition, row.effectiveFrom, row.analyte, row.analyteEn, row.kind, row.food,
    row.limit ? formatDecimal(row.limit) : '', row.verified ? 'yes' : 'no', row.note]);
}
