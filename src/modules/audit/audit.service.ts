import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { cursorCodec, keysetPage, Page } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { currentAuditActor } from './audit-context';
import { AUDIT_ROW_COLUMNS, AuditRawRow, queueAuditEntry, sealPendingAuditNow, toChained, verifyAuditLog } from './audit-log';
import { rowDigest, VerifyResult } from './domain/audit-chain';
import type { AuditQueryDto } from './dto/audit-query.dto';

/** Audit entries newest first: continue below this seq. */
const AUDIT_CURSOR = cursorCodec('audit', 'seq');

/** A domain action to record (besides the row changes the subscriber records on its own). */
export interface AuditRecordInput {
  /** `<feature>.<verb>`, e.g. `batch.recalled`, `certificate.voided`. */
  action: string;
  subject: { type: string; id: string };
  /** Owner organisation and region of the subject (who may read the entry). */
  organizationId?: string | null;
  regionCode?: string | null;
  /** States before and after (digested, not stored). */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Stored as is: reasons, references (never personal data). */
  details?: Record<string, unknown> | null;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: { kind: string; id: string | null; organizationId: string | null };
  action: string;
  subject: { type: string; id: string };
  organizationId: string | null;
  regionCode: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Records a domain action in the caller's transaction (pass the transaction's manager), with the
   * current actor (request or worker); it is committed with that transaction and chained right after. Example: `audit.record(m, { action: 'batch.recalled',
   * subject: { type: 'batches', id }, organizationId, regionCode, details: { reason } })`.
   */
  async record(manager: EntityManager, input: AuditRecordInput): Promise<void> {
    if (!this.config.auditLog) return;
    if (!manager.queryRunner?.isTransactionActive) throw new Error('AuditService.record must run inside the transaction of the change');
    const actor = currentAuditActor();
    await queueAuditEntry(manager, {
      at: new Date().toISOString(),
      actorKind: actor.kind,
      actorId: actor.id,
      actorOrgId: actor.organizationId,
      action: input.action,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      organizationId: input.organizationId ?? null,
      regionCode: input.regionCode ?? null,
      beforeDigest: rowDigest(input.before),
      afterDigest: rowDigest(input.after),
      details: input.details ?? null,
    });
  }

  /** Entries newest first: admin sees all, a regulator its region, an org_admin its organisation. */
  async list(actor: Actor, query: AuditQueryDto): Promise<Page<AuditEntryView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const prefix = regulatorPrefix(actor);
    if (prefix) add('region_code LIKE ?', `${prefix}%`);
    else if (!isAdmin(actor)) {
      if (actor.role !== 'org_admin' || !actor.organizationId) throw new DomainError('FORBIDDEN', 'Only admins, regulators and org_admins read the audit log');
      add('organization_id = ?', actor.organizationId);
    }
    if (query.subject) {
      const colon = query.subject.indexOf(':');
      if (colon > 0) {
        add('subject_type = ?', query.subject.slice(0, colon));
        add('subject_id = ?', query.subject.slice(colon + 1));
      } else {
        add('subject_id = ?', query.subject);
      }
    }
    if (query.from) add('at >= ?', query.from);
    if (query.to) add('at < ?', query.to);
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
      throw new DomainError('VALIDATION_FAILED', 'from must not be after to', { field: 'from', rule: 'before_to' });
    }
    const cursor = AUDIT_CURSOR.decode(query.cursor);
    if (cursor) add('seq < ?', cursor.sort);
    const limit = query.limit ?? 50;
    const rows = await this.dataSource.query(
      `SELECT ${AUDIT_ROW_COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_log.seq DESC LIMIT ${limit + 1}`,
      params,
    ) as AuditRawRow[];
    return keysetPage(AUDIT_CURSOR, rows.map(toChained), limit, (e) => ({ sort: e.seq }), (e) => ({
      seq: e.seq, at: e.at, actor: { kind: e.actorKind, id: e.actorId, organizationId: e.actorOrgId }, action: e.action,
      subject: { type: e.subjectType, id: e.subjectId }, organizationId: e.organizationId, regionCode: e.regionCode,
      beforeDigest: e.beforeDigest, afterDigest: e.afterDigest, details: e.details, prevHash: e.prevHash, hash: e.hash,
    }));
  }

  /** Walks the whole chain (after chaining anything left pending); the first broken link (altered, removed, reordered entry) if any. */
  async verify(): Promise<VerifyResult> {
    await sealPendingAuditNow(this.dataSource.manager);
    return verifyAuditLog(this.dataSource.manager);
  }
}
