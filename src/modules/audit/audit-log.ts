import type { EntityManager, QueryRunner } from 'typeorm';
import { TransactionQueue, transactionDepth } from '../../common/transaction-queue';
import { SealGroup } from './seal-group';
import { preparedSql } from '../../common/prepared-statements';
import { AuditContent, ChainedEntry, ChainVerifier, contentJson, entryHash, GENESIS_HASH, VerifyResult } from './domain/audit-chain';

/**
 * Appends to and verifies the hash chain. Plain functions over an EntityManager so the CLI can
 * verify without the Nest application.
 *
 * Two steps (issue 21: the single chain lock held from the tail read to COMMIT, fsync included,
 * serialised every audited write and cost a third of certificate issuing):
 * 1. While a transaction runs, its entries are collected in memory; just before it commits
 *    (TypeORM's beforeTransactionCommit, see AuditSubscriber) they are inserted into
 *    `audit_pending` in one statement, without any lock: they commit or roll back with the change.
 * 2. Right after the commit, on the same connection, the transaction seals the log with one
 *    statement, `SELECT audit_seal(n)` (a PL/pgSQL function, migration AuditPending): under a
 *    transaction-scoped advisory lock it reads the chain's tail, takes every committed pending
 *    entry (its own and those of any other transaction, in any process), numbers and hashes them
 *    after the tail and inserts them into `audit_log`. The lock is never held across a round trip
 *    to the application (it was for three before). Under concurrency one seal chains many
 *    transactions' entries (a group commit), so the lock is taken once per batch, not per write.
 *    Within a process, writers that commit while a seal runs wait for one next seal together
 *    (SealGroup) rather than each running its own that would find nothing left to chain.
 * The writer returns only after step 2, so its entries are in the chain when its caller goes on
 * (what the tests and `GET /api/v1/audit` see is unchanged). Chain order is seal order. An entry
 * that a crash leaves pending (after COMMIT, before the seal) is chained by the next seal anyone
 * runs: every audited write, `audit:verify`, and the hourly checkpoint job. The seal commits with
 * synchronous_commit off: a crash can lose a seal only as a whole (the pending rows come back with
 * it) and WAL order makes any later durable commit carry it.
 * What is weaker than chaining inside the change's transaction: between COMMIT and the seal (the
 * seal's round trip, under a millisecond on a quiet machine) an entry sits unhashed in
 * audit_pending, where a database superuser could alter it unnoticed. Everything sealed is proved
 * as before (hash chain, contiguous seq, signed checkpoints).
 */
export const CHAIN_LOCK = 7_286_431_000_001;

const ROW_COLUMNS = `seq::text AS seq, at, actor_kind AS "actorKind", actor_id AS "actorId", actor_org_id AS "actorOrgId",
  action, subject_type AS "subjectType", subject_id AS "subjectId", organization_id AS "organizationId",
  region_code AS "regionCode", before_digest AS "beforeDigest", after_digest AS "afterDigest", details,
  prev_hash AS "prevHash", hash`;

interface RawRow extends Omit<ChainedEntry, 'seq' | 'at'> {
  seq: string;
  at: Date;
}

export function toChained(row: RawRow): ChainedEntry {
  return { ...row, seq: Number(row.seq), at: row.at.toISOString() };
}

/** Entries of the transactions in progress, by connection. */
const pending = new TransactionQueue<AuditContent>();

/**
 * Adds an entry to the transaction `manager` runs in; it is chained when that transaction commits
 * and vanishes if it rolls back. Outside a transaction (a write by criteria in autocommit has
 * already happened) the entry is appended at once in a transaction of its own.
 */
export async function queueAuditEntry(manager: EntityManager, content: AuditContent): Promise<void> {
  const runner = manager.queryRunner;
  if (runner && !runner.isTransactionActive && !runner.isReleased) {
    // Same connection (embedded PGlite has only one): a short transaction of its own.
    await runner.startTransaction();
    try {
      await appendAuditEntries(runner.manager, [content]);
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
    return;
  }
  if (!runner) {
    await manager.connection.transaction((m) => appendAuditEntries(m, [content]));
    return;
  }
  pending.add(runner, content);
}

/** Connections whose transaction wrote pending entries: they seal after their COMMIT. */
const toSeal = new WeakSet<QueryRunner>();

/**
 * The statement writing entries (canonical JSON, text[] parameter `$n`) to audit_pending. WITH
 * ORDINALITY: ids (the seal's order) follow the order the entries were recorded in.
 */
function insertPending(n: number): string {
  return `INSERT INTO audit_pending (content) SELECT content FROM unnest($${n}::text[]) WITH ORDINALITY AS e(content, n) ORDER BY n`;
}

/**
 * Before COMMIT (depth 1): write the transaction's entries to audit_pending as canonical JSON
 * (one statement, no lock). Before RELEASE SAVEPOINT: hand them to the parent.
 */
export async function flushAuditEntries(runner: QueryRunner, manager: EntityManager): Promise<void> {
  const contents = pending.committed(runner, transactionDepth(runner) - 1);
  if (contents.length === 0) return;
  await manager.query(insertPending(1), [contents.map(contentJson)]);
  toSeal.add(runner);
}

/**
 * Runs `sql` — one INSERT, UPDATE or SELECT without a WITH of its own, the last statement of a
 * top-level transaction — and writes the transaction's queued audit entries to audit_pending in the
 * same statement (a data-modifying WITH), so the flush before COMMIT has nothing left to do: one
 * round trip instead of two. Entries queued after it are flushed before COMMIT as usual; if the
 * transaction rolls back, the written entries go with it.
 */
export async function queryFlushingAudit<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  const contents = runner && transactionDepth(runner) === 1 ? pending.committed(runner, 0) : [];
  if (contents.length === 0) return manager.query(sql, params) as Promise<T[]>;
  toSeal.add(runner!);
  // Prepared: the texts are one per call site (and parameter count), and this is the hot write paths' last statement.
  return manager.query(
    preparedSql(`WITH audit_flushed AS (${insertPending(params.length + 1)}) ${sql}`),
    [...params, contents.map(contentJson)],
  ) as Promise<T[]>;
}

/** Seals of one database run one at a time in this process: see SealGroup. */
const sealGroups = new WeakMap<object, SealGroup<QueryRunner>>();

/** After the top-level COMMIT of a transaction that wrote pending entries: chain them (and any others pending). */
export async function sealAfterCommit(runner: QueryRunner): Promise<void> {
  if (transactionDepth(runner) > 0 || !toSeal.has(runner)) return;
  toSeal.delete(runner);
  let group = sealGroups.get(runner.connection);
  if (!group) sealGroups.set(runner.connection, group = new SealGroup(sealPendingAudit));
  await group.after(runner);
}

/** Entries per seal: a backlog (after an outage) is chained in several transactions. */
const SEAL_BATCH = 5000;

/**
 * Chains every committed pending entry (see the top of this file) with audit_seal(), one
 * statement in a transaction of its own; `runner` must be outside a transaction. Returns the
 * number of entries chained.
 */
export async function sealPendingAudit(runner: QueryRunner): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ sealed }] = await runner.query('SELECT audit_seal($1) AS sealed', [SEAL_BATCH]) as { sealed: number }[];
    total += sealed;
    if (sealed < SEAL_BATCH) return total;
  }
}

const INSERT_COLUMNS = `seq, at, actor_kind, actor_id, actor_org_id, action, subject_type, subject_id, organization_id,
  region_code, before_digest, after_digest, details, prev_hash, hash`;

/** audit_log rows (column names) for `contents` after `tail`. */
function chain(tail: { seq: string; hash: string } | undefined, contents: AuditContent[]): Record<string, unknown>[] {
  let seq = tail ? Number(tail.seq) : 0;
  let prevHash = tail?.hash ?? GENESIS_HASH;
  return contents.map((c) => {
    seq++;
    const hash = entryHash(prevHash, c);
    const row = {
      seq, at: c.at, actor_kind: c.actorKind, actor_id: c.actorId, actor_org_id: c.actorOrgId, action: c.action, subject_type: c.subjectType,
      subject_id: c.subjectId, organization_id: c.organizationId, region_code: c.regionCode, before_digest: c.beforeDigest,
      after_digest: c.afterDigest, details: c.details, prev_hash: prevHash, hash,
    };
    prevHash = hash;
    return row;
  });
}

async function insertChained(manager: EntityManager, rows: Record<string, unknown>[]): Promise<void> {
  await manager.query(
    `INSERT INTO audit_log (${INSERT_COLUMNS}) SELECT ${INSERT_COLUMNS} FROM json_populate_recordset(NULL::audit_log, $1::json)`, [JSON.stringify(rows)],
  );
}

/** Chains what is pending, on a connection of its own (verification, checkpoints, jobs). */
export async function sealPendingAuditNow(manager: EntityManager): Promise<number> {
  const runner = manager.connection.createQueryRunner();
  try {
    return await sealPendingAudit(runner);
  } finally {
    await runner.release();
  }
}

/** After a rollback (depth already decreased): drop the entries of the rolled-back level and below. */
export function discardAuditEntries(runner: QueryRunner): void {
  const depth = transactionDepth(runner);
  pending.rolledBack(runner, depth);
  if (depth === 0) toSeal.delete(runner);
}

/** Appends entries at once in the caller's transaction (the caller must be inside one): writes outside any transaction. */
async function appendAuditEntries(manager: EntityManager, contents: AuditContent[]): Promise<void> {
  if (contents.length === 0) return;
  await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const [tail] = await manager.query('SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1') as { seq: string; hash: string }[];
  await insertChained(manager, chain(tail, contents));
}

/** Checks the whole chain from seq 1, in chunks, and reports the first broken link. */
export function verifyAuditLog(manager: EntityManager, chunk = 5000): Promise<VerifyResult> {
  return verifyAuditRange(manager, { chunk });
}

export interface AuditRange {
  /** Start after this entry, taken as good (a checkpoint's); default: from seq 1. */
  after?: { seq: number; hash: string } | null;
  /** Stop at this seq (entries appended meanwhile are not checked); default: the tail. */
  upTo?: number;
  chunk?: number;
}

/** Checks a stretch of the chain, in chunks, and reports the first broken link. */
export async function verifyAuditRange(manager: EntityManager, range: AuditRange = {}): Promise<VerifyResult> {
  const verifier = new ChainVerifier(range.after ?? null);
  const chunk = range.chunk ?? 5000;
  const locate = async (hash: string) => {
    const [row] = await manager.query('SELECT seq::text AS seq FROM audit_log WHERE hash = $1 LIMIT 1', [hash]) as { seq: string }[];
    return row ? Number(row.seq) : null;
  };
  let after = range.after?.seq ?? 0;
  const upTo = range.upTo ?? Number.MAX_SAFE_INTEGER;
  while (after < upTo) {
    const rows = await manager.query(
      `SELECT ${ROW_COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY audit_log.seq LIMIT ${chunk}`, [after, upTo],
    ) as RawRow[];
    if (rows.length === 0) break;
    await verifier.feed(rows.map(toChained), locate);
    if (verifier.done) break;
    after = Number(rows[rows.length - 1].seq);
  }
  return verifier.result();
}

/** The chain's newest committed entry, or null when the log is empty. */
export async function auditHead(manager: EntityManager): Promise<{ seq: number; hash: string } | null> {
  const [tail] = await manager.query('SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1') as { seq: string; hash: string }[];
  return tail ? { seq: Number(tail.seq), hash: tail.hash } : null;
}

export const AUDIT_ROW_COLUMNS = ROW_COLUMNS;
export type AuditRawRow = RawRow;
