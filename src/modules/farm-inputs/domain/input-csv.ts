import { DomainError } from '../../../../libs/errors';
import { CsvRow, ImportProblem, problemFromError, readCsv } from '../../../../libs/csv';
import { CatalogueLookups, checkInputRow, InputRow, RawInputRow } from './input-row';

/**
 * The catalogue as CSV. Lists inside a cell are separated by `;`:
 * - `active_ingredients`: `溴氰菊酯 2.5%; 吡虫啉` (analyte, then optionally its content after a space)
 * - `crop_rules`: `水果>…>猕猴桃:21:40mL/亩; 蔬菜:7:` (category : interval days : maximum dose per area)
 * Flags and `verified` read yes/no (also true/false, 是/否, 1/0; empty = no).
 */
export const INPUT_CSV_COLUMNS = [
  'kind', 'name', 'registration_number', 'holder', 'active_ingredients', 'crop_rules',
  'banned', 'restricted', 'low_risk', 'slow_release', 'organic', 'verified', 'source', 'note',
] as const;
type Column = (typeof INPUT_CSV_COLUMNS)[number];

const FIELD_COLUMNS: Record<string, Column> = {
  kind: 'kind', name: 'name', registrationNumber: 'registration_number', holder: 'holder',
  activeIngredients: 'active_ingredients', cropRules: 'crop_rules', source: 'source', note: 'note',
};

export function columnOfField(field: string): string | null {
  const head = field.split(/[[.]/)[0];
  return FIELD_COLUMNS[head] ?? head;
}

const YES = new Set(['yes', 'y', 'true', '1', '是']);
const NO = new Set(['no', 'n', 'false', '0', '否', '']);

function flag(cells: Record<Column, string>, column: Column): boolean {
  const value = cells[column].toLowerCase();
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  throw new DomainError('VALIDATION_FAILED', `${column} must be yes or no`, { field: column, rule: 'boolean' });
}

function list(cell: string): string[] {
  return cell.split(/[;；]/).map((s) => s.trim()).filter(Boolean);
}

function cropRule(entry: string): NonNullable<RawInputRow['cropRules']>[number] {
  const [category, days = '', dose = ''] = entry.split(/[:：]/).map((s) => s.trim());
  const match = /^(\d+(?:\.\d+)?)\s*(\S+)$/.exec(dose);
  if (dose && !match) throw new DomainError('INVALID_DOSE', `crop_rules: "${dose}" is not a maximum dose such as 40mL/亩`, { field: 'crop_rules', rule: 'max_dose' });
  return { category, intervalDays: days, maxDose: match ? { value: match[1], unit: match[2] } : null };
}

export function rawRowOf(cells: Record<Column, string>): RawInputRow {
  return {
    kind: cells.kind, name: cells.name, registrationNumber: cells.registration_number, holder: cells.holder,
    activeIngredients: list(cells.active_ingredients).map((s) => {
      const [analyte, ...content] = s.split(/\s+/);
      return { analyte, content: content.join(' ') || null };
    }),
    cropRules: list(cells.crop_rules).map(cropRule),
    flags: {
      banned: flag(cells, 'banned'), restricted: flag(cells, 'restricted'), lowRisk: flag(cells, 'low_risk'),
      slowRelease: flag(cells, 'slow_release'), organic: flag(cells, 'organic'),
    },
    verified: flag(cells, 'verified'),
    source: cells.source, note: cells.note,
  };
}

export interface ParsedInputCsv {
  rows: { row: number; input: InputRow }[];
  problems: ImportProblem[];
  rowCount: number;
}

/** Reads and checks every row; each broken row becomes a problem of the import report. */
export function parseInputCsv(text: string, lookups: CatalogueLookups): ParsedInputCsv {
  const table = readCsv(text, {
    columns: INPUT_CSV_COLUMNS, required: ['kind', 'name', 'source'], code: 'INVALID_CSV', shortRows: 'pad', maxRows: 50_000,
  });
  const problems = [...table.problems];
  const rows: { row: number; input: InputRow }[] = [];
  const keys = new Map<string, number>();
  table.rows.forEach(({ row, cells }: CsvRow<Column>) => {
    try {
      const input = checkInputRow(rawRowOf(cells), lookups);
      const key = `${input.kind}|${input.registrationNumber ?? `name:${input.name}`}`;
      const first = keys.get(key);
      if (first !== undefined) {
        problems.push({ row, column: input.registrationNumber ? 'registration_number' : 'name', code: 'DUPLICATE_INPUT', message: `the same input as row ${first}` });
        return;
      }
      keys.set(key, row);
      rows.push({ row, input });
    } catch (error) {
      problems.push(problemFromError(row, error, columnOfField));
    }
  });
  return { rows, problems, rowCount: table.rowCount };
}
