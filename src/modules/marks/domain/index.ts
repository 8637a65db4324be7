// The pure rules of marks that other features may use (their only way in; npm run lint checks).
export {
  GI_CLAIM_STEPS, MARK_CLAIM_STEPS, MARK_REFUSAL_REASONS, MARK_STATE_NAMES, checkMarkClaim, coveringLicence, judgeClaim, markRefusal, markState, scopeProblem,
} from './claim-engine';
export type {
  BoundingBox, ClaimLicence, ClaimMark, ClaimOutcome, ClaimProblem, ClaimStep, MarkClaimInput, MarkClaimVerdict, MarkRefusalReason, MarkScope,
} from './claim-engine';
export { dayBefore, effectiveEnd, normalizeLicenceTerms, overlappingLicence, periodsOverlap, recordStatus } from './licences';
export type { LicenceTerms } from './licences';
export { parseEnterpriseCode, parseMarkNumber, parseOrganicCode } from './mark-numbers';
export { MARK_SCHEMES, RECORDED_SCHEMES, SCHEME_DEFINITIONS } from './mark-schemes';
export type { MarkScheme, NumberFormat, RecordedScheme, SchemeDefinition } from './mark-schemes';
