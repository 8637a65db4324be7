import { ImportProblem, readCsv } from '../../../../libs/csv';
import { findRegion, isWithinRegion } from '../../regions/domain';

/**
 * The market regulator's (市场监管部门) published food-sampling statistics (食品安全监督抽检), as a
 * provincial regulator copies them from the published notice into a spreadsheet: one row per
 * period and region. Columns (snake_case or the Chinese labels):
 *
 * - `period` (统计期间): `2026` (a year), `2026-Q3` (a quarter), `2026-H1` (a half-year) or `2026-05` (a month);
 * - `region_code` (地区代码): the GB/T 2260 code the figure covers (510000 for the province);
 * - `samples` (抽检批次): batches sampled and tested in the period, a whole number ≥ 1;
 * - `failed` (不合格批次): of those, batches found non-compliant, 0 … samples.
 *
 * The pass rate (合格率) is (samples − failed) ÷ samples, as the published notices compute it.
 */
export const MARKET_SAMPLING_COLUMNS = ['period', 'region_code', 'samples', 'failed'] as const;
type Column = (typeof MARKET_SAMPLING_COLUMNS)[number];

const CHINESE_HEADERS: Record<string, Column> = {
  '统计期间': 'period', '期间': 'period', '地区代码': 'region_code', '行政区划代码': 'region_code',
  '抽检批次': 'samples', '抽检批次数': 'samples', '不合格批次': 'failed', '不合格批次数': 'failed',
};

/** A file holds at most this many rows (every county of a province for every month of ten years is ~20,000). */
export const MAX_MARKET_SAMPLING_ROWS = 50_000;
const MAX_COUNT = 100_000_000;

export interface StatPeriod {
  /** Normalised: `2026`, `2026-Q3`, `2026-H1`, `2026-05`. */
  key: string;
  /** First and last month covered, `YYYY-MM`. */
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A period as typed (spaces and case forgiven: `2026q3`, `2026 - Q3`), or undefined. */
export function parseStatPeriod(text: string): StatPeriod | undefined {
  const t = text.replace(/\s+/g, '').toUpperCase();
  let m = /^(\d{4})$/.exec(t);
  if (m) return { key: m[1], from: `${m[1]}-01`, to: `${m[1]}-12` };
  m = /^(\d{4})-?Q([1-4])$/.exec(t);
  if (m) {
    const q = Number(m[2]);
    return { key: `${m[1]}-Q${q}`, from: `${m[1]}-${pad(q * 3 - 2)}`, to: `${m[1]}-${pad(q * 3)}` };
  }
  m = /^(\d{4})-?H([12])$/.exec(t);
  if (m) {
    const h = Number(m[2]);
    return { key: `${m[1]}-H${h}`, from: `${m[1]}-${pad(h * 6 - 5)}`, to: `${m[1]}-${pad(h * 6)}` };
  }
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(t);
  if (m) return { key: `${m[1]}-${m[2]}`, from: t, to: t };
  return undefined;
}

export interface StatRow {
  row: number;
  period: StatPeriod;
  regionCode: string;
  samples: number;
  failed: number;
}

function count(text: string): number | undefined {
  return /^\d{1,9}$/.test(text.replace(/,/g, '')) ? Number(text.replace(/,/g, '')) : undefined;
}

/**
 * Reads a statistics file and checks every row; `scope` is the importer's region (a provincial
 * regulator's 510000), null for the admin. Problems use the one import-report shape.
 */
export function readMarketSamplingCsv(text: string, scope: string | null): { rows: StatRow[]; problems: ImportProblem[]; rowCount: number } {
  const table = readCsv(text, { columns: MARKET_SAMPLING_COLUMNS, aliases: CHINESE_HEADERS, maxRows: MAX_MARKET_SAMPLING_ROWS });
  const problems = [...table.problems];
  const rows: StatRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const before = problems.length;
    const problem = (column: Column, code: string, message: string) => problems.push({ row, column, code, message });
    const period = parseStatPeriod(cells.period);
    if (!period) problem('period', 'INVALID_PERIOD', `"${cells.period.slice(0, 20)}" is not a period: write 2026, 2026-Q3, 2026-H1 or 2026-05`);
    const region = /^\d{6}$/.test(cells.region_code) ? findRegion(cells.region_code) : undefined;
    if (!region) problem('region_code', 'INVALID_REGION_CODE', `"${cells.region_code.slice(0, 20)}" is not a current GB/T 2260 region code`);
    else if (scope && !isWithinRegion(region.code, scope)) problem('region_code', 'REGION_OUTSIDE_JURISDICTION', `${region.code} ${region.fullName} is outside your jurisdiction ${scope}`);
    const samples = count(cells.samples);
    const failed = count(cells.failed);
    if (samples === undefined || samples < 1 || samples > MAX_COUNT) problem('samples', 'INVALID_COUNT', 'samples must be a whole number of at least 1');
    if (failed === undefined || failed > MAX_COUNT) problem('failed', 'INVALID_COUNT', 'failed must be a whole number of at least 0');
    else if (samples !== undefined && failed > samples) problem('failed', 'FAILED_OVER_SAMPLES', `failed (${failed}) cannot exceed samples (${samples})`);
    if (problems.length > before) continue;
    const key = `${period!.key}|${region!.code}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problem('region_code', 'DUPLICATE_ROW', `${period!.key} ${region!.code} is already given on row ${first}`);
      continue;
    }
    seen.set(key, row);
    rows.push({ row, period: period!, regionCode: region!.code, samples: samples!, failed: failed! });
  }
  return { rows, problems, rowCount: table.rowCount };
}
