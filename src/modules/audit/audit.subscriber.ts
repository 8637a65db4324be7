import { Logger } from '@nestjs/common';
import type {
  EntityManager, EntityMetadata, EntitySubscriberInterface, InsertEvent, ObjectLiteral, RemoveEvent, TransactionCommitEvent,
  TransactionRollbackEvent, UpdateEvent,
} from 'typeorm';
import { discardAuditEntries, flushAuditEntries, sealAfterCommit } from './audit-log';
import { idOf, rowOf, RowAuditor } from './row-auditor';

/**
 * Records an audit entry for every insert, update and removal made through TypeORM entities, in
 * the transaction of the change (event.manager runs on the same connection): entries are
 * collected while the transaction runs, written to audit_pending just before it commits (so they
 * commit or roll back with the rows) and chained right after the commit (audit-log.ts). save() wraps its writes in a transaction of its own when there is none.
 * Nested transactions (manager.transaction inside one) are followed; a raw `ROLLBACK TO SAVEPOINT`
 * after a successful audited write inside that savepoint is not — use nested manager.transaction
 * for that.
 *
 * The other write paths record through the same RowAuditor (see audited-writes.ts): updates and
 * deletes by criteria (Repository/EntityManager update and delete) resolve the rows they change,
 * and raw SQL goes through auditedQuery(). Only a query builder's update or delete with listeners
 * on reaches this subscriber without row ids: it is recorded with subject id `*` and the changed
 * columns.
 */
export class AuditSubscriber implements EntitySubscriberInterface {
  readonly auditor = new RowAuditor();
  private readonly logger = new Logger('Audit');
  /** The last hook queued on each connection (see inTurn). */
  private readonly turns = new WeakMap<object, Promise<unknown>>();

  constructor(readonly enabled: () => boolean) {}

  beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    return flushAuditEntries(event.queryRunner, event.manager);
  }

  /**
   * Chains the committed entries before the writer goes on (same connection, so no second
   * connection is taken while this one is held). A failure cannot undo the committed change: it is
   * logged, and the entries stay pending for the next seal.
   */
  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    try {
      await sealAfterCommit(event.queryRunner);
    } catch (error) {
      this.logger.error({ msg: 'audit seal failed; entries stay pending for the next seal', error: String(error) });
    }
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

  /** Audit is on and the table is not excluded. */
  audits(metadata: EntityMetadata): boolean {
    return this.enabled() && this.auditor.audited(metadata);
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
    if (!this.audits(event.metadata)) return;
    const after = await this.stored(event.manager, event.metadata, event.entity) ?? rowOf(event.metadata, event.entity);
    await this.auditor.record(event.manager, event.metadata, 'insert', [{ id: idOf(event.metadata, event.entity), before: null, after }]);
  }

  private async recordUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    if (!this.audits(event.metadata)) return;
    const id = idOf(event.metadata, event.entity, event.databaseEntity);
    if (id === null) {
      const columns = Object.keys(event.entity ?? {}).sort();
      await this.auditor.record(event.manager, event.metadata, 'update', [{ id, before: null, after: rowOf(event.metadata, event.entity) }], { byCriteria: true, columns });
      return;
    }
    const before = rowOf(event.metadata, event.databaseEntity);
    const after = await this.stored(event.manager, event.metadata, event.entity) ?? rowOf(event.metadata, event.databaseEntity, event.entity);
    await this.auditor.record(event.manager, event.metadata, 'update', [{ id, before, after }]);
  }

  private async recordRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
    if (!this.audits(event.metadata)) return;
    const id = idOf(event.metadata, event.databaseEntity, event.entity)
      ?? (event.entityId !== undefined && event.entityId !== null ? String(event.entityId as string) : null);
    const before = rowOf(event.metadata, event.databaseEntity, event.entity);
    await this.auditor.record(event.manager, event.metadata, 'remove', [{ id, before, after: null }], id === null ? { byCriteria: true } : null);
  }

  /**
   * The row as the database now holds it (read back in the same transaction), so that an entry's
   * after-digest equals the next change's before-digest (which save() computes from a fresh read).
   */
  private async stored(manager: EntityManager, metadata: EntityMetadata, entity: ObjectLiteral | undefined): Promise<Record<string, unknown> | null> {
    const key = entity ? metadata.getEntityIdMap(entity) : undefined;
    if (!key) return null;
    const rows = await this.auditor.storedRows(manager, metadata, [key]);
    return rows.values().next().value ?? null;
  }
}
