import { DomainError, type ErrorCode } from '../errors';

/**
 * One problem with one row of an imported file — the one shape every importer reports. `row` is
 * the row as a spreadsheet shows it (header = 1), `column` the CSV column (null: the whole row).
 */
export interface ImportProblem {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

/** A report lists at most this many problems (and says how many there were). */
const MAX_REPORTED_PROBLEMS = 500;

/** The problem list of an import report: sorted by row, capped, with the full count. */
export interface ProblemList {
  problemCount: number;
  problems: ImportProblem[];
  truncated: boolean;
}

export function problemList(problems: readonly ImportProblem[]): ProblemList {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  return { problemCount: sorted.length, problems: sorted.slice(0, MAX_REPORTED_PROBLEMS), truncated: sorted.length > MAX_REPORTED_PROBLEMS };
}

/**
 * The error of an all-or-nothing import that found problems: nothing was written, and the
 * details list every problem (`{ rowCount, problemCount, problems, truncated }`).
 */
export function importRejected(code: ErrorCode, rowCount: number, problems: readonly ImportProblem[]): DomainError {
  const rows = new Set(problems.map((p) => p.row)).size;
  return new DomainError(code, `${rows} of ${rowCount} rows have problems; nothing was imported`, { rowCount, ...problemList(problems) });
}

/**
 * A rule's DomainError as the problem of a row. The column comes from the error's field
 * (`details.field`, or the first of `details.fields`) through `columnOf`, which translates the
 * input's field names into the file's column names. Anything but a DomainError is a bug: rethrown.
 */
export function problemFromError(row: number, error: unknown, columnOf: (field: string) => string | null = (f) => f): ImportProblem {
  if (!(error instanceof DomainError)) throw error;
  const details = error.details as { field?: unknown; fields?: { field?: unknown }[] } | undefined;
  const field = typeof details?.field === 'string' ? details.field : details?.fields?.[0]?.field;
  return { row, column: typeof field === 'string' && field ? columnOf(field) : null, code: error.code, message: error.message };
}

/**
 * A `columnOf` for `problemFromError` from a table of input field → file column. A list element's
 * field (`areaCodes[2]`) reports its list's column; own keys only (a field named like an
 * Object.prototype member is no column); an unknown field is reported as it is.
 */
export function columnsByField(fieldColumns: Readonly<Record<string, string>>): (field: string) => string {
  const own = (field: string) => (Object.hasOwn(fieldColumns, field) ? fieldColumns[field] : undefined);
  return (field) => own(field) ?? own(field.replace(/\[\d+\]$/, '')) ?? field;
}
