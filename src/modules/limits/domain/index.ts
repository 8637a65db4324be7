/** Pure limit rules (no Nest, no TypeORM) for other features: sampling judges through these. */
export { compare, formatDecimal, parseDecimal, shift, type Decimal } from '../../../../libs/decimal';
export { CANONICAL_UNIT, SUPPORTED_UNITS, toMgPerKg, unitPower } from './units';
export { LIMIT_CSV_COLUMNS, LIMIT_KINDS, parseLimitCsv, standardFamily, type LimitKind, type LimitRowInput } from './limit-csv';
export { deriveAnalytes, indexFromRows, LimitIndex, type AnalyteInfo, type AppliedLimit, type LimitEntry } from './limit-index';
export {
  combineVerdicts, evaluate, judgeResult, measure,
  type Evaluation, type EvaluationInput, type JudgedLimit, type JudgedResult, type ResultInput, type Verdict, type VerdictReason,
} from './verdict';
