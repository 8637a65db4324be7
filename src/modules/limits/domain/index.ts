// The pure rules of limits that other features may use (their only way in; npm run lint checks).
export type { Decimal } from '../../../../libs/decimal/index';
export type { LimitKind, LimitRowInput } from './limit-csv';
export { LimitIndex, indexFromRows } from './limit-index';
export type { AnalyteInfo, AppliedLimit, LimitEntry } from './limit-index';
export { combineVerdicts, evaluate, measure } from './verdict';
export type { Evaluation, EvaluationInput, JudgedLimit, JudgedResult, ResultInput, Verdict, VerdictReason } from './verdict';
