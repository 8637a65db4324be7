// The public surface of audit: other features import only from here (npm run lint checks).
export { ANONYMOUS_ACTOR, AuditActor, auditActorOf, bindAuditActor, runAsAuditActor } from './audit-context';
export { AuditService } from './audit.service';
export { auditedInsert, auditedQuery } from './audited-writes';
export { queryFlushingAudit } from './audit-log';
