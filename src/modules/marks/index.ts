/** The marks feature's public surface: what other features may import. */
export { MarkClaimsModule } from './mark-claims.module';
export { MarkClaimsService, type MarkClaimRequest } from './mark-claims.service';
export { OrganicCodesService } from './organic-codes.service';
export { MarksModule } from './marks.module';
export { MarksService } from './marks.service';
export { MARK_REFUSAL_REASONS } from './domain/claim-engine';
export { MARK_SCHEMES, SCHEME_DEFINITIONS, type MarkScheme } from './domain/mark-schemes';
