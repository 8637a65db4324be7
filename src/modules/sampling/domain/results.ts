import { ImportProblem, readCsv } from '../../../../libs/csv';
import { DomainError } from '../../../../libs/errors';
import { LimitIndex, measure } from '../../limits/domain';

/** One analyte result as a lab submits it (value, LOD and LOQ in `unit`). */
export interface SubmittedResult {
  analyte: string;
  value: string | null;
  unit: string | null;
  lod: string | null;
  loq: string | null;
  detected: boolean | null;
  method: string | null;
}

export const RESULT_CSV_COLUMNS = ['sample_no', 'analyte', 'value', 'unit', 'lod', 'loq', 'detected', 'method'] as const;
export const MAX_CSV_ROWS = 200_000;

export interface CsvResultRow extends SubmittedResult {
  row: number;
  sampleNo: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

function fieldError(field: string, rule: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [{ field, rule, message }] });
}

/**
 * Checks one result against the analyte catalogue and unit table, and returns it with the
 * catalogue's analyte name. Rapid screening is qualitative: only `detected` counts, values are dropped.
 * Throws UNKNOWN_ANALYTE, UNIT_NOT_CONVERTIBLE or VALIDATION_FAILED naming `field`.
 */
export function checkResult(index: LimitIndex, input: Partial<Record<keyof SubmittedResult, unknown>>, field: string, rapid: boolean): SubmittedResult {
  const name = text(input.analyte);
  if (!name) throw fieldError(`${field}.analyte`, 'required', 'analyte is required');
  const analyte = index.findAnalyte(name);
  if (!analyte) {
    throw new DomainError('UNKNOWN_ANALYTE', `${field}.analyte: "${name.slice(0, 100)}" is not in the analyte catalogue`, { field: `${field}.analyte`, rule: 'known_analyte' });
  }
  const method = text(input.method);
  if (method && method.length > 200) throw fieldError(`${field}.method`, 'max_length', 'method is at most 200 characters');
  if (input.detected !== undefined && input.detected !== null && typeof input.detected !== 'boolean') {
    throw fieldError(`${field}.detected`, 'boolean', 'detected must be true or false');
  }
  const detected = (input.detected as boolean | null | undefined) ?? null;
  if (rapid) {
    if (detected === null) throw fieldError(`${field}.detected`, 'required_for_rapid', 'a rapid screening result is detected true or false');
    return { analyte: analyte.name, value: null, unit: null, lod: null, loq: null, detected, method };
  }
  const unit = text(input.unit);
  if (!unit) throw fieldError(`${field}.unit`, 'required', 'unit is required (e.g. mg/kg)');
  const result = { analyte: analyte.name, value: text(input.value), unit, lod: text(input.lod), loq: text(input.loq), detected, method };
  measure(result, field); // unit conversion, decimals, LOD/LOQ consistency
  return result;
}

const BOOL: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false, 检出: true, 未检出: false };

/**
 * Parses a results CSV (`sample_no,analyte,value,unit,lod,loq,detected,method`, header required,
 * columns in any order, other columns ignored). Shape problems are reported per row; catalogue
 * checks happen later.
 */
export function parseResultsCsv(csv: string): { rows: CsvResultRow[]; problems: ImportProblem[] } {
  const table = readCsv(csv, {
    columns: RESULT_CSV_COLUMNS, required: ['sample_no', 'analyte'], unknownColumns: 'ignore', code: 'INVALID_RESULTS_FILE', maxRows: MAX_CSV_ROWS,
  });
  const rows: CsvResultRow[] = [];
  const problems: ImportProblem[] = [...table.problems];
  for (const { row, cells } of table.rows) {
    const at = (name: (typeof RESULT_CSV_COLUMNS)[number]) => text(cells[name]);
    const sampleNo = at('sample_no');
    if (!sampleNo) {
      problems.push({ row, column: 'sample_no', code: 'VALIDATION_FAILED', message: 'sample_no is required' });
      continue;
    }
    const detectedText = at('detected');
    let detected: boolean | null = null;
    if (detectedText !== null) {
      const parsed = BOOL[detectedText.toLowerCase()];
      if (parsed === undefined) {
        problems.push({ row, column: 'detected', code: 'VALIDATION_FAILED', message: 'detected is true/false (or empty)' });
        continue;
      }
      detected = parsed;
    }
    rows.push({
      row, sampleNo, analyte: at('analyte') ?? '', value: at('value'), unit: at('unit'),
      lod: at('lod'), loq: at('loq'), detected, method: at('method'),
    });
  }
  return { rows, problems };
}

/** Same results (order aside)? A repeated submission is answered with the stored ones. */
export function sameResults(a: readonly SubmittedResult[], b: readonly SubmittedResult[]): boolean {
  if (a.length !== b.length) return false;
  const key = (r: SubmittedResult) => JSON.stringify([r.analyte, r.value, r.unit, r.lod, r.loq, r.detected, r.method]);
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}
