import type { KeyObject } from 'node:crypto';
import { DomainError } from '../../../../libs/errors';
import { ed25519KeyId, ed25519Sign, ed25519Verify } from '../../../../libs/signing';
import { canonicalJson } from './audit-chain';

/**
 * A signed statement "entry `seq` of the audit log has hash `hash`". Each entry's hash covers the
 * one before it, so the statement fixes every entry up to `seq`: whoever holds a checkpoint can
 * later prove the log was not rewritten up to that point, even by the platform's operators.
 */
export interface AuditCheckpoint {
  seq: number;
  /** Hash of entry `seq` (hex sha256). */
  hash: string;
  /** When it was signed (ISO 8601, UTC, milliseconds). */
  at: string;
  /** ed25519KeyId of the signing key. */
  keyId: string;
  /** Ed25519 signature (base64) over checkpointMessage(). */
  signature: string;
}

const CHECKPOINT_TYPE = 'tianfu-trace/audit-checkpoint/v1';

/**
 * The signed bytes: UTF-8 JSON with sorted keys and no spaces,
 * `{"at":…,"hash":…,"keyId":…,"seq":…,"type":"tianfu-trace/audit-checkpoint/v1"}` — documented in
 * README.md so anyone can verify a checkpoint without this code.
 */
export function checkpointMessage(checkpoint: Omit<AuditCheckpoint, 'signature'>): Buffer {
  const { seq, hash, at, keyId } = checkpoint;
  return Buffer.from(canonicalJson({ type: CHECKPOINT_TYPE, seq, hash, at, keyId }), 'utf8');
}

export function signCheckpoint(privateKey: KeyObject, head: { seq: number; hash: string }, at: Date): AuditCheckpoint {
  const unsigned = { seq: head.seq, hash: head.hash, at: at.toISOString(), keyId: ed25519KeyId(privateKey) };
  return { ...unsigned, signature: ed25519Sign(privateKey, checkpointMessage(unsigned)) };
}

export type SignatureCheck = 'valid' | 'invalid' | 'other_key';

/** `other_key`: signed (or claimed to be) by a key other than `publicKey` — pass that key instead. */
export function checkCheckpointSignature(checkpoint: AuditCheckpoint, publicKey: KeyObject): SignatureCheck {
  if (checkpoint.keyId !== ed25519KeyId(publicKey)) return 'other_key';
  return ed25519Verify(publicKey, checkpointMessage(checkpoint), checkpoint.signature) ? 'valid' : 'invalid';
}

function invalid(field: string, rule: string, message: string): DomainError {
  return new DomainError('INVALID_CHECKPOINT', `checkpoint.${field} ${message}`, { field: `checkpoint.${field}`, rule });
}

/** A checkpoint as received (a file, a JSON argument): every field checked, named when wrong. */
export function parseCheckpoint(value: unknown): AuditCheckpoint {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DomainError('INVALID_CHECKPOINT', 'a checkpoint must be a JSON object {seq, hash, at, keyId, signature}', { field: 'checkpoint', rule: 'object' });
  }
  const v = value as Record<string, unknown>;
  if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq) || v.seq < 1) throw invalid('seq', 'positive_integer', 'must be a whole number ≥ 1');
  if (typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash)) throw invalid('hash', 'sha256_hex', 'must be 64 lowercase hex digits');
  if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) throw invalid('at', 'iso8601', 'must be an ISO 8601 instant');
  if (typeof v.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(v.keyId)) throw invalid('keyId', 'key_id', 'must be 16 lowercase hex digits');
  if (typeof v.signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(v.signature)) throw invalid('signature', 'base64', 'must be a 64-byte signature in base64');
  return { seq: v.seq, hash: v.hash, at: v.at, keyId: v.keyId, signature: v.signature };
}
