import { Logger } from '@nestjs/common';
import type {
  EntityManager, EntityMetadata, EntitySubscriberInterface, InsertEvent, ObjectLiteral, RemoveEvent, TransactionCommitEvent,
  TransactionRollbackEvent, UpdateEvent,
} from 'typeorm';
import { currentAuditActor } from './audit-context';
import { discardAuditEntries, flushAuditEntries, queueAuditEntry } from './audit-log';
import { AuditContent, rowDigest } from './domain/audit-chain';

/**
 * Tables whose changes are NOT audited row by row:
 * - audit_log itself;
 * - high-volume or internal bookkeeping: scan_events (consumer scans), outbox (job relay),
 *   idempotency_keys (stored responses), label_renders (render progress), webhook_deliveries
 *   (delivery attempts), trace_codes (one row per printed label; the print run that issues them
 *   is audited, with its serial range), console_sessions (a row per login, touched as it is used)
 *   and console_submissions (double-submit guards of console forms);
 * - audit_checkpoints: signed statements about the chain's head (recording one would move the head);
 * - reference data loaded by the seed command: food_categories.
 * Raw SQL writes are never seen by the subscriber (batches.last_serial, the counters above):
 * a feature that changes state with raw SQL records it with AuditService.record().
 */
export const AUDIT_EXCLUDED_TABLES: ReadonlySet<string> = new Set([
  'audit_log', 'scan_events', 'outbox', 'idempotency_keys', 'label_renders', 'webhook_deliveries', 'trace_codes', 'food_categories',
  'console_sessions', 'console_submissions', 'audit_checkpoints',
]);

/** The row as written, keyed by column name (the digest input). */
function rowOf(metadata: EntityMetadata, ...sources: (ObjectLiteral | undefined)[]): Record<string, unknown> | null {
  const present = sources.filter((s): s is ObjectLiteral => !!s);
  if (present.length === 0) return null;
  const row: Record<string, unknown> = {};
  for (const column of metadata.columns) {
    for (const source of present) {
      const value: unknown = column.getEntityValue(source);
      if (value !== undefined) row[column.databaseName] = value;
    }
  }
  return row;
}

function idOf(metadata: EntityMetadata, ...sources: (ObjectLiteral | undefined)[]): string | null {
  for (const source of sources) {
    if (!source) continue;
    const parts = metadata.primaryColumns.map((c) => c.getEntityValue(source) as unknown);
    if (parts.every((p) => p !== undefined && p !== null)) return parts.map(String).join(':');
  }
  return null;
}

/**
 * Records an audit entry for every insert, update and removal made through TypeORM entities, in
 * the transaction of the change (event.manager runs on the same connection): entries are
 * collected while the transaction runs and chained just before it commits, so they commit or roll
 * back with the rows. save() wraps its writes in a transaction of its own when there is none.
 * Nested transactions (manager.transaction inside one) are followed; a raw `ROLLBACK TO SAVEPOINT`
 * after a successful audited write inside that savepoint is not — use nested manager.transaction
 * for that. Updates and deletes
 * by criteria (Repository.update/delete) carry no row id: they are recorded with subject id `*`
 * and the changed columns — prefer save() or AuditService.record() for those.
 */
export class AuditSubscriber implements EntitySubscriberInterface {
  private readonly logger = new Logger('Audit');
  /** Organisation → region, for subjects without a region of their own (products, api keys). */
  private readonly orgRegions = new Map<string, string | null>();
  /** The last hook queued on each connection (see inTurn). */
  private readonly turns = new WeakMap<object, Promise<unknown>>();

  constructor(private readonly enabled: () => boolean) {}

  beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    return flushAuditEntries(event.queryRunner, event.manager);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    discardAuditEntries(event.queryRunner);
  }

  afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    return this.inTurn(event.manager, () => this.recordInsert(event));
  }

  afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    return this.inTurn(event.manager, () => this.recordUpdate(event));
  }

  afterRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
    return this.inTurn(event.manager, () => this.recordRemove(event));
  }

  /**
   * TypeORM runs the after-hooks of a multi-row insert or save in parallel, and each hook reads on
   * the change's own connection: the hooks take turns per connection, as one client runs one query
   * at a time (pg 8 queues overlapping queries with a deprecation warning; pg 9 refuses them). The
   * entries are thereby queued in the order the rows were written.
   */
  private inTurn(manager: EntityManager, hook: () => Promise<void>): Promise<void> {
    const connection = manager.queryRunner ?? manager;
    const turn = (this.turns.get(connection) ?? Promise.resolve()).catch(() => undefined).then(hook);
    this.turns.set(connection, turn);
    return turn;
  }

  private async recordInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    if (!this.audited(event.metadata)) return;
    const after = await this.stored(event.manager, event.metadata, event.entity) ?? rowOf(event.metadata, event.entity);
    await this.append(event.manager, event.metadata, 'insert', idOf(event.metadata, event.entity), null, after);
  }

  private async recordUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    if (!this.audited(event.metadata)) return;
    const id = idOf(event.metadata, event.entity, event.databaseEntity);
    if (id === null) {
      const columns = Object.keys(event.entity ?? {}).sort();
      await this.append(event.manager, event.metadata, 'update', null, null, rowOf(event.metadata, event.entity), { byCriteria: true, columns });
      return;
    }
    const before = rowOf(event.metadata, event.databaseEntity);
    const after = await this.stored(event.manager, event.metadata, event.entity) ?? rowOf(event.metadata, event.databaseEntity, event.entity);
    await this.append(event.manager, event.metadata, 'update', id, before, after);
  }

  private async recordRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
    if (!this.audited(event.metadata)) return;
    const id = idOf(event.metadata, event.databaseEntity, event.entity)
      ?? (event.entityId !== undefined && event.entityId !== null ? String(event.entityId as string) : null);
    const before = rowOf(event.metadata, event.databaseEntity, event.entity);
    await this.append(event.manager, event.metadata, 'remove', id, before, null, id === null ? { byCriteria: true } : null);
  }

  /**
   * The row as the database now holds it (read back in the same transaction), so that an entry's
   * after-digest equals the next change's before-digest (which save() computes from a fresh read).
   */
  private async stored(manager: EntityManager, metadata: EntityMetadata, entity: ObjectLiteral | undefined): Promise<Record<string, unknown> | null> {
    const where = entity ? metadata.getEntityIdMap(entity) : undefined;
    if (!where) return null;
    const row = await manager.findOne(metadata.target, { where, loadEagerRelations: false }) as ObjectLiteral | null;
    return row ? rowOf(metadata, row) : null;
  }

  private audited(metadata: EntityMetadata): boolean {
    return this.enabled() && !AUDIT_EXCLUDED_TABLES.has(metadata.tableName);
  }

  private async append(manager: EntityManager, metadata: EntityMetadata, verb: string, id: string | null,
    before: Record<string, unknown> | null, after: Record<string, unknown> | null, details: Record<string, unknown> | null = null): Promise<void> {
    const actor = currentAuditActor();
    const row = after ?? before ?? {};
    const isOrganization = metadata.tableName === 'organizations';
    const organizationId = (isOrganization ? id : (row.organization_id as string | undefined)) ?? null;
    const regionCode = (row.region_code as string | undefined) ?? await this.regionOf(manager, organizationId);
    const content: AuditContent = {
      at: new Date().toISOString(),
      actorKind: actor.kind,
      actorId: actor.id,
      actorOrgId: actor.organizationId,
      action: `${metadata.tableName}.${verb}`,
      subjectType: metadata.tableName,
      subjectId: id ?? '*',
      organizationId,
      regionCode,
      beforeDigest: rowDigest(before),
      afterDigest: rowDigest(after),
      details,
    };
    // A write by criteria outside a transaction has already committed: it is chained on its own.
    if (!manager.queryRunner?.isTransactionActive) this.logger.warn({ msg: 'audited write outside a transaction', action: content.action });
    await queueAuditEntry(manager, content);
  }

  private async regionOf(manager: EntityManager, organizationId: string | null): Promise<string | null> {
    if (!organizationId) return null;
    if (this.orgRegions.has(organizationId)) return this.orgRegions.get(organizationId)!;
    // The one read of another feature's table: the audit log is cross-cutting by nature.
    const [row] = await manager.query('SELECT region_code FROM organizations WHERE id = $1', [organizationId]) as { region_code: string }[];
    const region = row?.region_code ?? null;
    if (this.orgRegions.size > 10_000) this.orgRegions.clear();
    this.orgRegions.set(organizationId, region);
    return region;
  }
}
