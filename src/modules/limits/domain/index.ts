// The pure rules of limits that other features may use (their only way in; npm run lint checks).
export { LIMIT_CSV_COLUMNS, LIMIT_KINDS, parseLimitCsv, standardFamily } from './limit-csv';
export type { LimitKind, LimitRowInput } from './limit-csv';
export { LimitIndex, indexFromRows } from './limit-index';
export type { AnalyteInfo, AppliedLimit, LimitEntry } from './limit-index';
export { combineVerdicts, evaluate, measure } from './verdict';
export type { Evaluation, EvaluationInput, JudgedLimit, JudgedResult, ResultInput, Verdict, VerdictReason } from './verdict';
export { CANONICAL_UNIT, RESIDUE_UNITS } from './units';
