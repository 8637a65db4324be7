// The pure rules of marks that other features may use (their only way in; npm run lint checks).
export { MARK_REFUSAL_REASONS, MARK_STATE_NAMES, checkMarkClaim, markState, scopeProblem } from './claim-engine';
export type { ClaimLicence, ClaimMark, MarkClaimInput, MarkClaimVerdict, MarkRefusalReason, MarkScope } from './claim-engine';
export { parseEnterpriseCode, parseMarkNumber, parseOrganicCode } from './mark-numbers';
export { MARK_SCHEMES, RECORDED_SCHEMES, SCHEME_DEFINITIONS } from './mark-schemes';
export type { MarkScheme, NumberFormat, RecordedScheme, SchemeDefinition } from './mark-schemes';
