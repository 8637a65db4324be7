// The public surface of marks: other features import only from here (npm run lint checks).
export { MARK_REFUSAL_REASONS } from './domain/claim-engine';
export { MARK_SCHEMES, RECORDED_SCHEMES, SCHEME_DEFINITIONS } from './domain/mark-schemes';
export type { MarkScheme } from './domain/mark-schemes';
export { ClaimColumns, LicenceColumns, RefusalColumns, RevocableColumns } from './claim-columns';
export { judgeAndRecordClaims, keepRefusal, quotaOf, toClaimLicence } from './claim-ledger';
export type { ClaimTables, LedgerRequest } from './claim-ledger';
export { runRegistryImport, sameValue } from './registry-import';
export type { ImportReport, RegistryImport } from './registry-import';
export { CreateLicenceDto, CreateMarkDto, RevokeMarkDto } from './dto/marks.dto';
export { MarkClaimsModule } from './mark-claims.module';
export { MarkClaimsService } from './mark-claims.service';
export type { MarkClaimRequest } from './mark-claims.service';
export { MarksModule } from './marks.module';
export { MarksService } from './marks.service';
export type { ExpiringReport, MarkClaimView, MarkRefusalView, MarkView, StillClaimedMark } from './marks.service';
export { OrganicCodesService } from './organic-codes.service';
