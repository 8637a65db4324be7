import { DomainError } from '../../../../libs/errors';

/** DOMAIN.md §5 streams. Rapid tests screen only: they never count as quantitative results. */
export const TEST_STREAMS = ['self_test', 'rapid_test', 'entrusted_test', 'routine_monitoring', 'supervisory_sampling'] as const;
export type TestStream = (typeof TEST_STREAMS)[number];
export type TesterKind = 'self' | 'lab';
export type Verdict = 'pass' | 'fail';

/** Who performs a stream's tests. */
export const TESTER_OF_STREAM: Record<TestStream, TesterKind> = {
  self_test: 'self', rapid_test: 'self', entrusted_test: 'lab', routine_monitoring: 'lab', supervisory_sampling: 'lab',
};

export const STREAM_LABELS: Record<TestStream, string> = {
  self_test: '自行检测', rapid_test: '快速检测', entrusted_test: '委托检测', routine_monitoring: '例行监测', supervisory_sampling: '监督抽查',
};

const RESULT_UNITS = ['mg/kg', 'µg/kg'] as const;

/**
 * One analyte's result. `value` is a decimal string when quantified; a qualitative (rapid) or
 * not-detected result has `detected` and no value.
 */
export interface AnalyteResult {
  analyte: string;
  detected: boolean;
  value: string | null;
  unit: string | null;
  lod: string | null;
  verdict: Verdict;
}

export interface AnalyteResultInput {
  analyte?: unknown;
  detected?: unknown;
  value?: unknown;
  unit?: unknown;
  lod?: unknown;
  verdict?: unknown;
}

const DECIMAL = /^\d{1,9}(\.\d{1,6})?$/;

function bad(index: number, key: string, rule: string, message: string): never {
  throw new DomainError('INVALID_TEST_RESULT', `results[${index}].${key}: ${message}`, { field: `results[${index}].${key}`, rule });
}

/**
 * Validates declared per-analyte results. The record's verdict is never declared: it is the AND
 * of the results' verdicts, so a "pass" with a failing analyte cannot be written.
 */
export function parseResults(inputs: AnalyteResultInput[], stream: TestStream): { results: AnalyteResult[]; verdict: Verdict } {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new DomainError('INVALID_TEST_RESULT', 'results needs at least one analyte', { field: 'results', rule: 'non_empty' });
  }
  const seen = new Set<string>();
  const results = inputs.map((r, i): AnalyteResult => {
    const analyte = typeof r.analyte === 'string' ? r.analyte.trim() : '';
    if (!analyte || analyte.length > 100) bad(i, 'analyte', 'required', 'the analyte name is required (≤ 100 characters)');
    if (seen.has(analyte)) bad(i, 'analyte', 'unique', `${analyte} is listed twice`);
    seen.add(analyte);
    if (typeof r.detected !== 'boolean') bad(i, 'detected', 'boolean', 'say whether the analyte was detected (true/false)');
    if (r.verdict !== 'pass' && r.verdict !== 'fail') bad(i, 'verdict', 'enum', 'verdict must be pass or fail');
    const value = decimalOrNull(r.value, i, 'value');
    const lod = decimalOrNull(r.lod, i, 'lod');
    const unit = r.unit === undefined || r.unit === null ? null : r.unit;
    if (unit !== null && !(RESULT_UNITS as readonly unknown[]).includes(unit)) bad(i, 'unit', 'enum', `unit must be one of ${RESULT_UNITS.join(', ')}`);
    if ((value !== null || lod !== null) && unit === null) bad(i, 'unit', 'required_with_value', 'a value or LOD needs its unit');
    if (value !== null && !r.detected) bad(i, 'value', 'not_detected_has_no_value', 'a not-detected analyte has no value (give lod instead)');
    if (stream !== 'rapid_test' && r.detected && value === null) bad(i, 'value', 'quantified', 'a detected analyte needs its measured value');
    if (!r.detected && r.verdict === 'fail') bad(i, 'verdict', 'not_detected_passes', 'a not-detected analyte cannot fail');
    return { analyte, detected: r.detected as boolean, value, unit: unit as string | null, lod, verdict: r.verdict as Verdict };
  });
  return { results, verdict: results.every((r) => r.verdict === 'pass') ? 'pass' : 'fail' };
}

function decimalOrNull(raw: unknown, index: number, key: string): string | null {
  if (raw === undefined || raw === null) return null;
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !DECIMAL.test(text)) bad(index, key, 'decimal', 'must be a decimal string such as "0.05"');
  return text;
}

/** Substance names compare without spaces, width or case (Chlorpyrifos = chlorpyrifos, 毒死蜱 = 毒死蜱 ). */
export function normalizeSubstance(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}
