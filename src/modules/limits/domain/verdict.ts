import { DomainError } from '../../../../libs/errors';
import { normalizeCategoryPath } from '../../categories/domain';
import { compare, Decimal, formatDecimal, isZero, parseDecimal } from '../../../../libs/decimal';
import type { LimitKind } from './limit-csv';
import type { AnalyteInfo, AppliedLimit, LimitIndex } from './limit-index';
import { CANONICAL_UNIT, toMgPerKg } from './units';

export type Verdict = 'pass' | 'fail' | 'no_limit';

export type VerdictReason =
  | 'within_limit' | 'exceeds_limit' | 'not_detected'
  | 'detected_banned' | 'detected_must_not_be_detected' | 'no_limit';

/** One laboratory result as submitted: value in `unit`; lod/loq in the same unit. */
export interface ResultInput {
  analyte: string;
  value?: string | number | null;
  unit: string;
  lod?: string | number | null;
  loq?: string | number | null;
  detected?: boolean | null;
}

export interface EvaluationInput {
  food: string;
  samplingDate: string;
  results: ResultInput[];
}

/** How one standard judged a result. */
export interface JudgedLimit {
  standard: string;
  edition: string;
  /** `GB 2763-2021`: the edition that judged, as it is cited. */
  citation: string;
  effectiveFrom: string;
  kind: LimitKind;
  /** The category the limit is set on (the food or its nearest ancestor with a limit). */
  food: string;
  limit: string | null;
  unit: typeof CANONICAL_UNIT;
  verified: boolean;
  verdict: 'pass' | 'fail';
}

export interface JudgedResult {
  analyte: string;
  analyteEn: string;
  reported: { value: string | null; unit: string; lod: string | null; loq: string | null };
  /** The reported value in mg/kg (null when not detected and no value was given). */
  value: string | null;
  lod: string | null;
  loq: string | null;
  unit: typeof CANONICAL_UNIT;
  detected: boolean;
  verdict: Verdict;
  reason: VerdictReason;
  /** The deciding limit: the failing one, or else the strictest applicable (null when none). */
  limit: string | null;
  standard: string | null;
  edition: string | null;
  citation: string | null;
  /** Every standard that sets a limit here, each with its own verdict. */
  limits: JudgedLimit[];
}

export interface Evaluation {
  food: string;
  samplingDate: string;
  /** Three-valued AND: fail if any result fails; else no_limit if any has no limit; else pass. */
  verdict: Verdict;
  results: JudgedResult[];
}

export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function fieldError(field: string, rule: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [{ field, rule, message }] });
}

/** Kleene AND over verdicts: a failure decides; an unjudged result leaves the whole undecided. */
export function combineVerdicts(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('no_limit')) return 'no_limit';
  return 'pass';
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * Normalised measurement of one result: value, LOD and LOQ in mg/kg, and whether the analyte was
 * detected. Not detected when the lab says so or the value is below the LOD (or zero without one).
 */
export function measure(input: ResultInput, field: string): { value: Decimal | null; lod: Decimal | null; loq: Decimal | null; detected: boolean } {
  const convert = (raw: unknown, name: string) => (present(raw) ? toMgPerKg(parseDecimal(raw, `${field}.${name}`), input.unit, `${field}.unit`) : null);
  const value = convert(input.value, 'value');
  const lod = convert(input.lod, 'lod');
  const loq = convert(input.loq, 'loq');
  if (input.detected !== undefined && input.detected !== null && typeof input.detected !== 'boolean') {
    throw fieldError(`${field}.detected`, 'boolean', 'detected must be true or false');
  }
  if (lod && loq && compare(loq, lod) < 0) throw fieldError(`${field}.loq`, 'loq_not_below_lod', 'loq cannot be below lod');
  let detected: boolean;
  if (input.detected === false) {
    if (value && lod && compare(value, lod) >= 0) {
      throw fieldError(`${field}.detected`, 'consistent', 'detected is false but the value is at or above the LOD');
    }
    detected = false;
  } else {
    if (!value) throw fieldError(`${field}.value`, 'required', 'value is required unless detected is false');
    const belowLod = lod ? compare(value, lod) < 0 : isZero(value);
    if (input.detected === true && belowLod) {
      throw fieldError(`${field}.detected`, 'consistent', 'detected is true but the value is below the LOD (or zero)');
    }
    detected = !belowLod;
  }
  return { value, lod, loq, detected };
}

function judgeOne(applied: AppliedLimit, analyte: AnalyteInfo, detected: boolean, value: Decimal | null): JudgedLimit {
  const { entry } = applied;
  const anyDetectionFails = analyte.banned || analyte.mustNotDetect || entry.kind === 'not_detectable' || entry.kind === 'banned';
  let verdict: 'pass' | 'fail';
  if (!detected) verdict = 'pass';
  else if (anyDetectionFails || !entry.limit) verdict = 'fail';
  else verdict = compare(value!, entry.limit) <= 0 ? 'pass' : 'fail';
  return {
    standard: entry.standard,
    edition: entry.edition,
    citation: `${entry.standard}-${entry.edition}`,
    effectiveFrom: entry.effectiveFrom,
    kind: entry.kind,
    food: applied.matchedFood,
    limit: entry.limit ? formatDecimal(entry.limit) : null,
    unit: CANONICAL_UNIT,
    verified: entry.verified,
    verdict,
  };
}

/** Smallest limit first; a must-not-be-detected row (no numeric limit that counts) is strictest. */
function strictness(applied: AppliedLimit): Decimal | null {
  return applied.entry.kind === 'not_detectable' ? null : applied.entry.limit;
}

function decidingLimit(applied: AppliedLimit[], limits: JudgedLimit[], verdict: Verdict): JudgedLimit | null {
  let best = -1;
  for (let i = 0; i < limits.length; i++) {
    if (verdict === 'fail' && limits[i].verdict !== 'fail') continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const a = strictness(applied[i]);
    const b = strictness(applied[best]);
    if (b !== null && (a === null || compare(a, b) < 0)) best = i;
  }
  return best < 0 ? null : limits[best];
}

/** Judges one result against every standard that sets a limit for it. */
function judgeResult(index: LimitIndex, food: string, samplingDate: string, input: ResultInput, field: string): JudgedResult {
  if (typeof input?.analyte !== 'string' || !input.analyte.trim()) throw fieldError(`${field}.analyte`, 'required', 'analyte is required');
  const analyte = index.findAnalyte(input.analyte);
  if (!analyte) {
    throw new DomainError('UNKNOWN_ANALYTE', `${field}.analyte: "${input.analyte.slice(0, 100)}" is not in the analyte catalogue`, {
      field: `${field}.analyte`, rule: 'known_analyte', analyte: input.analyte.slice(0, 100),
    });
  }
  if (typeof input.unit !== 'string') throw fieldError(`${field}.unit`, 'required', 'unit is required (e.g. mg/kg)');
  const m = measure(input, field);
  const applied = index.resolve(analyte.name, food, samplingDate);
  const limits = applied.map((a) => judgeOne(a, analyte, m.detected, m.value));
  let verdict: Verdict;
  let reason: VerdictReason;
  if (!m.detected) {
    // Not detected (< LOD) passes, whether or not a standard limits the analyte here.
    verdict = 'pass';
    reason = 'not_detected';
  } else if (limits.some((l) => l.verdict === 'fail') || (limits.length === 0 && (analyte.banned || analyte.mustNotDetect))) {
    // Banned and must-not-be-detected substances fail on any detection, even in a food no row names.
    verdict = 'fail';
    const failing = limits.filter((l) => l.verdict === 'fail');
    const mnd = analyte.mustNotDetect || failing.some((l) => l.kind === 'not_detectable');
    const banned = analyte.banned || failing.some((l) => l.kind === 'banned');
    reason = mnd ? 'detected_must_not_be_detected' : banned ? 'detected_banned' : 'exceeds_limit';
  } else if (limits.length === 0) {
    // Detected, and no standard sets a limit for this analyte in this food: not judged (not a pass).
    verdict = 'no_limit';
    reason = 'no_limit';
  } else {
    verdict = 'pass';
    reason = 'within_limit';
  }
  const deciding = decidingLimit(applied, limits, verdict);
  return {
    analyte: analyte.name,
    analyteEn: analyte.nameEn,
    reported: {
      value: present(input.value) ? String(input.value) : null,
      unit: input.unit,
      lod: present(input.lod) ? String(input.lod) : null,
      loq: present(input.loq) ? String(input.loq) : null,
    },
    value: m.value ? formatDecimal(m.value) : null,
    lod: m.lod ? formatDecimal(m.lod) : null,
    loq: m.loq ? formatDecimal(m.loq) : null,
    unit: CANONICAL_UNIT,
    detected: m.detected,
    verdict,
    reason,
    limit: deciding?.limit ?? null,
    standard: deciding?.standard ?? null,
    edition: deciding?.edition ?? null,
    citation: deciding?.citation ?? null,
    limits,
  };
}

/**
 * Judges a sample: each result against the limits in force on the sampling date for the food,
 * then the sample as a whole. Unknown food or analyte, bad unit or malformed values throw.
 */
export function evaluate(index: LimitIndex, input: EvaluationInput): Evaluation {
  if (typeof input.food !== 'string') throw fieldError('food', 'required', 'food is required (a path of the food-category tree)');
  const food = normalizeCategoryPath(input.food);
  if (!index.hasFood(food)) {
    throw new DomainError('UNKNOWN_FOOD', `food "${input.food.slice(0, 200)}" is not in the food-category tree`, { field: 'food', rule: 'known_category' });
  }
  if (!isCalendarDate(input.samplingDate)) throw fieldError('samplingDate', 'date', 'samplingDate must be a date YYYY-MM-DD');
  if (!Array.isArray(input.results) || input.results.length === 0) throw fieldError('results', 'required', 'results must list at least one result');
  const results = input.results.map((r, i) => judgeResult(index, food, input.samplingDate, r, `results[${i}]`));
  return { food, samplingDate: input.samplingDate, verdict: combineVerdicts(results.map((r) => r.verdict)), results };
}
