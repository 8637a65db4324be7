import {
  DeleteResult, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, TypeORMError, UpdateResult,
} from 'typeorm';
import { AuditSubscriber } from './audit.subscriber';
import { AuditVerb, idOf, keyOfRaw, keyOfValue, RowAuditor, RowChange, rowOf } from './row-auditor';

/**
 * Audit is a property of the write path: besides entity saves (AuditSubscriber), updates and
 * deletes by criteria and raw SQL writes record one entry per changed row, with its real id, the
 * current actor and before/after digests of the stored row, in the transaction of the change.
 */

interface Audit {
  auditor: RowAuditor;
  metadata: EntityMetadata;
}

/** The auditor when `manager`'s DataSource audits writes to `target`'s table; null otherwise. */
function auditOf(manager: EntityManager, target: EntityTarget<ObjectLiteral>): Audit | null {
  const subscriber = manager.dataSource.subscribers.find((s): s is AuditSubscriber => s instanceof AuditSubscriber);
  if (!subscriber || !manager.dataSource.hasMetadata(target)) return null;
  const metadata = manager.dataSource.getMetadata(target);
  return subscriber.audits(metadata) ? { auditor: subscriber.auditor, metadata } : null;
}

/** Runs `work` in the caller's transaction, or in one of its own (entries then commit with the write). */
function inTransaction<T>(manager: EntityManager, work: (m: EntityManager) => Promise<T>): Promise<T> {
  return manager.queryRunner?.isTransactionActive ? work(manager) : manager.transaction(work);
}

function changesOf(metadata: EntityMetadata, returned: ObjectLiteral[], before: Map<string, Record<string, unknown>>, after: Map<string, Record<string, unknown>>): RowChange[] {
  return returned.map((raw) => {
    const key = keyOfRaw(metadata, raw);
    if (!key) throw new Error(`An audited write to ${metadata.tableName} must return its primary key (${metadata.primaryColumns.map((c) => c.databaseName).join(', ')})`);
    const id = metadata.primaryColumns.map((c) => String(key[c.propertyPath] as string)).join(':');
    return { id, before: before.get(id) ?? null, after: after.get(id) ?? null };
  });
}

async function afterRows(audit: Audit, manager: EntityManager, verb: AuditVerb, returned: ObjectLiteral[]): Promise<Map<string, Record<string, unknown>>> {
  if (verb === 'remove' || returned.length === 0) return new Map();
  // A statement `RETURNING *` handed back the rows as stored: no read back (one round trip less).
  const complete = audit.auditor.returnedRows(manager, audit.metadata, returned);
  if (complete) return complete;
  const keys = returned.map((raw) => keyOfRaw(audit.metadata, raw)).filter((k): k is ObjectLiteral => k !== null);
  return audit.auditor.storedRows(manager, audit.metadata, keys);
}

/** The rows `criteria` selects now, locked for the write that follows, by subject id. */
async function matchingRows(audit: Audit, manager: EntityManager, where: { criteria: unknown; isPrimitive: boolean }): Promise<Map<string, Record<string, unknown>>> {
  const { metadata } = audit;
  const qb = manager.createQueryBuilder(metadata.target, metadata.tableName).setLock('pessimistic_write');
  const rows = await (where.isPrimitive ? qb.whereInIds(where.criteria) : qb.where(where.criteria as ObjectLiteral)).getMany();
  return new Map(rows.map((entity) => [idOf(metadata, entity)!, rowOf(metadata, entity)!]));
}

// ---- raw SQL ------------------------------------------------------------------------------

export interface AuditedWrite {
  /** The entity whose table the statement writes (one table per statement). */
  target: EntityTarget<ObjectLiteral>;
  verb: AuditVerb;
  /**
   * For an update or delete, the rows it may change: their keys (single-column key values, or key
   * objects), or find criteria that select them. They are read and locked first, for the entries'
   * before-digests; without them the entries carry none.
   */
  subjects?: readonly unknown[] | ObjectLiteral;
  /** Stored on every entry as is (never personal data). */
  details?: Record<string, unknown>;
}

async function rowsOf(manager: EntityManager, sql: string, params: unknown[]): Promise<ObjectLiteral[]> {
  const run = async (runner: NonNullable<EntityManager['queryRunner']>) => ((await runner.query(sql, params, true)).records ?? []) as ObjectLiteral[];
  if (manager.queryRunner) return run(manager.queryRunner);
  const runner = manager.dataSource.createQueryRunner();
  try {
    return await run(runner);
  } finally {
    await runner.release();
  }
}

/**
 * Runs one INSERT, UPDATE or DELETE statement on `write.target`'s table and records an audit
 * entry per row it returns. The statement must end in `RETURNING` its primary key column(s) (more
 * columns are fine: the returned rows are handed back; `RETURNING *` spares the read-back of the
 * rows' stored state); rows it does not return (ON CONFLICT DO
 * NOTHING, a WHERE that no longer matches) changed nothing and are not recorded. Runs in the
 * caller's transaction, or in one of its own. With auditing off it runs the statement alone.
 */
export async function auditedQuery<T extends ObjectLiteral = ObjectLiteral>(manager: EntityManager, sql: string, params: unknown[], write: AuditedWrite): Promise<T[]> {
  if (!/\bRETURNING\b/i.test(sql)) throw new Error('auditedQuery: the statement must end in RETURNING its primary key');
  const audit = auditOf(manager, write.target);
  if (!audit) return await rowsOf(manager, sql, params) as T[];
  return inTransaction(manager, async (m) => {
    const { auditor, metadata } = audit;
    const before = write.verb === 'insert' || !write.subjects ? new Map<string, Record<string, unknown>>()
      : Array.isArray(write.subjects) ? await auditor.storedRows(m, metadata, write.subjects.map((s) => (typeof s === 'object' && s !== null ? s as ObjectLiteral : keyOfValue(metadata, s))), true)
        : await matchingRows(audit, m, { criteria: write.subjects, isPrimitive: false });
    const returned = await rowsOf(m, sql, params);
    const after = await afterRows(audit, m, write.verb, returned);
    await auditor.record(m, metadata, write.verb, changesOf(metadata, returned, before, after), write.details ?? null);
    return returned as T[];
  });
}

/**
 * Inserts entities (one statement, every row) and records them, like save() but without reading
 * each row back: the statement returns the rows as stored. Gives back the raw rows (column names),
 * in the order given. The entities need their primary key set when it is generated in SQL and the
 * caller wants to match rows by it.
 */
export async function auditedInsert<E extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<E>, rows: E[]): Promise<ObjectLiteral[]> {
  if (rows.length === 0) return [];
  const [sql, params] = manager.createQueryBuilder().insert().into(target).values(rows).returning('*').callListeners(false).updateEntity(false)
    .getQueryAndParameters();
  return auditedQuery(manager, sql, params, { target: target as EntityTarget<ObjectLiteral>, verb: 'insert' });
}

// ---- update and delete by criteria ------------------------------------------------------

type Criteria = Parameters<EntityManager['update']>[1];

/** TypeORM's own check of the criteria (empty criteria are refused; ids go through whereInIds). */
function normalized(manager: EntityManager, criteria: Criteria, method: string): { criteria: unknown; isPrimitive: boolean } {
  const check = (manager as unknown as { normalizeAndValidateWhereCriteria?: (c: unknown, m: string) => { criteria: unknown; isPrimitive: boolean } })
    .normalizeAndValidateWhereCriteria;
  if (!check) throw new TypeORMError('This TypeORM version has no EntityManager.normalizeAndValidateWhereCriteria: review audited-writes.ts');
  return check.call(manager, criteria, method);
}

async function auditedUpdate(audit: Audit, manager: EntityManager, target: EntityTarget<ObjectLiteral>, criteria: Criteria,
  partial: Parameters<EntityManager['update']>[2]): Promise<UpdateResult> {
  const where = normalized(manager, criteria, 'update');
  const before = await matchingRows(audit, manager, where);
  const qb = manager.createQueryBuilder().update(target).set(partial).callListeners(false)
    .returning(audit.metadata.primaryColumns.map((c) => c.propertyPath));
  const result = await (where.isPrimitive ? qb.whereInIds(where.criteria) : qb.where(where.criteria as ObjectLiteral)).execute();
  const returned = (result.raw ?? []) as ObjectLiteral[];
  await audit.auditor.record(manager, audit.metadata, 'update', changesOf(audit.metadata, returned, before, await afterRows(audit, manager, 'update', returned)));
  return result;
}

async function auditedDelete(audit: Audit, manager: EntityManager, target: EntityTarget<ObjectLiteral>, criteria: Criteria): Promise<DeleteResult> {
  const where = normalized(manager, criteria, 'delete');
  const before = await matchingRows(audit, manager, where);
  const qb = manager.createQueryBuilder().delete().from(target).callListeners(false)
    .returning(audit.metadata.primaryColumns.map((c) => c.propertyPath));
  const result = await (where.isPrimitive ? qb.whereInIds(where.criteria) : qb.where(where.criteria as ObjectLiteral)).execute();
  await audit.auditor.record(manager, audit.metadata, 'remove', changesOf(audit.metadata, (result.raw ?? []) as ObjectLiteral[], before, new Map()));
  return result;
}

let installed = false;

/**
 * Makes EntityManager.update and .delete (and so Repository.update and .delete) record the rows
 * they change, as save() does: TypeORM's own update/delete events carry no row ids. For an
 * audited table the write runs in a transaction (the caller's or its own): the rows the criteria
 * select are read and locked, the statement returns the ids it changed, and each changed row gets
 * an entry with its before and after state. Other tables, and DataSources without an
 * AuditSubscriber (the seed, the CLI's verifier), keep TypeORM's behaviour, as does an update
 * with `options` (none in this code base: its `returning` would hide the ids). Idempotent.
 */
export function installAuditedWrites(): void {
  if (installed) return;
  installed = true;
  const proto = EntityManager.prototype as unknown as Record<'update' | 'delete', (...args: unknown[]) => Promise<unknown>>;
  const update = proto.update;
  const remove = proto.delete;
  proto.update = function (this: EntityManager, ...args: unknown[]) {
    const [target, criteria, partial, options] = args as [EntityTarget<ObjectLiteral>, Criteria, Parameters<EntityManager['update']>[2], unknown];
    const audit = options === undefined ? auditOf(this, target) : null;
    if (!audit) return update.apply(this, args);
    return inTransaction(this, (m) => auditedUpdate(audit, m, target, criteria, partial));
  };
  proto.delete = function (this: EntityManager, ...args: unknown[]) {
    const [target, criteria] = args as [EntityTarget<ObjectLiteral>, Criteria];
    const audit = auditOf(this, target);
    if (!audit) return remove.apply(this, args);
    return inTransaction(this, (m) => auditedDelete(audit, m, target, criteria));
  };
}
