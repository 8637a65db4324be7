import type { EntityManager, QueryRunner } from 'typeorm';
import { TransactionQueue, transactionDepth } from '../../common/transaction-queue';
import { AuditContent, ChainedEntry, ChainVerifier, entryHash, GENESIS_HASH, VerifyResult } from './domain/audit-chain';

/**
 * Appends to and verifies the hash chain. Plain functions over an EntityManager so the CLI can
 * verify without the Nest application.
 *
 * Concurrency: a transaction's entries are collected while it runs and appended just before it
 * commits (TypeORM's beforeTransactionCommit, see AuditSubscriber): take a transaction-scoped
 * advisory lock on the chain tail, read the tail, insert the next seqs. The lock is held only
 * from that moment to COMMIT, so concurrent transactions append one after another, the tail a
 * transaction reads is always the committed one (READ COMMITTED takes a new snapshot per
 * statement, after the lock is granted), and a transaction holding the lock takes no other lock
 * afterwards (no deadlock with row locks). Chain order is commit order.
 * Chosen over "sequence + sealing job" because an entry is hashed and chained in the same
 * transaction as the change: nothing is ever pending or unsealed, and there is no second process
 * that could fall behind. Cost per write: bench/audit.ts.
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

/** Before COMMIT (depth 1): chain the transaction's entries. Before RELEASE SAVEPOINT: hand them to the parent. */
export async function flushAuditEntries(runner: QueryRunner, manager: EntityManager): Promise<void> {
  await appendAuditEntries(manager, pending.committed(runner, transactionDepth(runner) - 1));
}

/** After a rollback (depth already decreased): drop the entries of the rolled-back level and below. */
export function discardAuditEntries(runner: QueryRunner): void {
  pending.rolledBack(runner, transactionDepth(runner));
}

/** Appends entries in the caller's transaction (the caller must be inside one). */
async function appendAuditEntries(manager: EntityManager, contents: AuditContent[]): Promise<void> {
  if (contents.length === 0) return;
  await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const [tail] = await manager.query('SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1') as { seq: string; hash: string }[];
  let seq = tail ? Number(tail.seq) : 0;
  let prevHash = tail?.hash ?? GENESIS_HASH;
  // One array per column: a bulk write's thousands of entries stay one statement of 15 parameters.
  const columns: unknown[][] = Array.from({ length: 15 }, () => []);
  for (const c of contents) {
    seq++;
    const hash = entryHash(prevHash, c);
    [seq, c.at, c.actorKind, c.actorId, c.actorOrgId, c.action, c.subjectType, c.subjectId, c.organizationId, c.regionCode,
      c.beforeDigest, c.afterDigest, c.details === null ? null : JSON.stringify(c.details), prevHash, hash].forEach((v, i) => columns[i].push(v));
    prevHash = hash;
  }
  await manager.query(
    `INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_org_id, action, subject_type, subject_id, organization_id,
       region_code, before_digest, after_digest, details, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[],
       $9::uuid[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::text[], $15::text[])`,
    columns,
  );
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
