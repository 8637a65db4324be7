import type { KeyObject } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ed25519KeyId } from '../../../libs/signing';
import { auditHead, sealPendingAuditNow, verifyAuditRange } from './audit-log';
import type { ChainBreak } from './domain/audit-chain';
import { AuditCheckpoint, checkCheckpointSignature, SignatureCheck, signCheckpoint } from './domain/audit-checkpoint';

/**
 * Signing and checking audit checkpoints: plain functions over an EntityManager, so the CLI can
 * check a checkpoint without the Nest application.
 */

/** Only one signer at a time across processes (hourly job, on-demand requests). */
const CHECKPOINT_LOCK = 7_286_431_000_002;

const COLUMNS = `seq::text AS seq, at, key_id AS "keyId", signature, hash`;

interface CheckpointRow {
  seq: string;
  hash: string;
  at: Date;
  keyId: string;
  signature: string;
}

function toCheckpoint(row: CheckpointRow): AuditCheckpoint {
  return { seq: Number(row.seq), hash: row.hash, at: row.at.toISOString(), keyId: row.keyId, signature: row.signature };
}

async function latestCheckpoint(manager: EntityManager): Promise<AuditCheckpoint | null> {
  const [row] = await manager.query(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`) as CheckpointRow[];
  return row ? toCheckpoint(row) : null;
}

/** Newest first, `limit + 1` rows (the caller pages), before seq `before` when given. */
export async function listCheckpoints(manager: EntityManager, limit: number, before?: number): Promise<AuditCheckpoint[]> {
  const rows = await manager.query(
    `SELECT ${COLUMNS} FROM audit_checkpoints ${before === undefined ? '' : 'WHERE seq < $1'} ORDER BY seq DESC LIMIT ${limit + 1}`,
    before === undefined ? [] : [before],
  ) as CheckpointRow[];
  return rows.map(toCheckpoint);
}

export type SignOutcome =
  | { kind: 'created' | 'unchanged'; checkpoint: AuditCheckpoint }
  | { kind: 'empty' }
  | { kind: 'broken'; firstBreak: ChainBreak };

/**
 * Signs the chain head unless the last checkpoint already covers it. Before signing, checks what
 * was appended since the last checkpoint (everything, the first time): the platform never signs a
 * head it cannot vouch for. Runs in its own transaction (`manager` must not be in one).
 */
export async function signAuditHead(manager: EntityManager, privateKey: KeyObject, now = () => new Date()): Promise<SignOutcome> {
  // Entries left pending by a crash between a commit and its seal are chained first (the hourly job runs this).
  await sealPendingAuditNow(manager);
  return manager.transaction(async (m): Promise<SignOutcome> => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK]);
    const last = await latestCheckpoint(m);
    const head = await auditHead(m);
    if (!head) return { kind: 'empty' };
    if (last) {
      const broken = await lastStillHolds(m, last, head.seq);
      if (broken) return { kind: 'broken', firstBreak: broken };
      if (head.seq === last.seq) return { kind: 'unchanged', checkpoint: last };
    }
    const check = await verifyAuditRange(m, { after: last, upTo: head.seq });
    if (check.firstBreak) return { kind: 'broken', firstBreak: check.firstBreak };
    const checkpoint = signCheckpoint(privateKey, head, now());
    await m.query(
      'INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING',
      [checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.keyId, checkpoint.signature],
    );
    return { kind: 'created', checkpoint };
  });
}

/** The entry the last checkpoint signed is still there with the signed hash, and the log did not shrink. */
async function lastStillHolds(m: EntityManager, last: AuditCheckpoint, headSeq: number): Promise<ChainBreak | null> {
  const [row] = await m.query('SELECT hash FROM audit_log WHERE seq = $1', [last.seq]) as { hash: string }[];
  if (!row || headSeq < last.seq) {
    return { seq: last.seq, kind: 'removed', message: `entry ${last.seq}, signed by the last checkpoint, is missing` };
  }
  if (row.hash !== last.hash) {
    return { seq: last.seq, kind: 'rewritten', message: `entry ${last.seq} no longer has the hash the last checkpoint signed` };
  }
  return null;
}

export interface CheckpointVerification {
  /** Signature good, chain intact from entry 1 to `checkpoint.seq`, and that entry has the signed hash. */
  valid: boolean;
  checkpoint: { seq: number; hash: string; keyId: string };
  signature: SignatureCheck;
  /** Entries checked (none when the signature failed). */
  checked: number;
  firstBreak: ChainBreak | null;
  message: string;
}

/**
 * Proves (or disproves) that the log was not rewritten up to a checkpoint: its signature verifies
 * with `publicKey`, the chain from entry 1 to `checkpoint.seq` is intact, and that entry has exactly
 * the signed hash (a rewrite that recomputed every hash keeps the chain intact but not that hash).
 * Entries after the checkpoint are not its business.
 */
export async function verifyAuditCheckpoint(manager: EntityManager, checkpoint: AuditCheckpoint, publicKey: KeyObject): Promise<CheckpointVerification> {
  const { seq, hash, keyId } = checkpoint;
  const base = { checkpoint: { seq, hash, keyId } };
  const signature = checkCheckpointSignature(checkpoint, publicKey);
  if (signature !== 'valid') {
    const message = signature === 'other_key'
      ? `the checkpoint was signed with key ${keyId}, not with the key given (${ed25519KeyId(publicKey)}): pass the signer's public key`
      : `the checkpoint's signature does not verify with key ${keyId}: the checkpoint was altered or not signed with this key`;
    return { ...base, valid: false, signature, checked: 0, firstBreak: null, message };
  }
  const chain = await verifyAuditRange(manager, { upTo: seq });
  const firstBreak = chain.firstBreak ?? headMismatch(chain.head, checkpoint);
  return {
    ...base, valid: firstBreak === null, signature, checked: chain.checked, firstBreak,
    message: firstBreak
      ? `the audit log does not match the checkpoint at entry ${seq}: ${firstBreak.message}`
      : `the audit log up to entry ${seq} is the one the checkpoint signed`,
  };
}

function headMismatch(head: { seq: number; hash: string } | null, checkpoint: AuditCheckpoint): ChainBreak | null {
  const end = head?.seq ?? 0;
  if (end < checkpoint.seq) {
    const missing = end + 1 === checkpoint.seq ? `entry ${checkpoint.seq} is` : `entries ${end + 1}–${checkpoint.seq} are`;
    return { seq: end + 1, kind: 'removed', message: `${missing} missing (the log ends at entry ${end})` };
  }
  if (head!.hash !== checkpoint.hash) {
    return {
      seq: checkpoint.seq, kind: 'rewritten',
      message: `entry ${checkpoint.seq} has hash ${head!.hash}, the checkpoint signed ${checkpoint.hash}: the log up to entry ${checkpoint.seq} was rewritten`,
    };
  }
  return null;
}
