import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain, as pure functions. Each entry stores the hash of the entry before it
 * (`prevHash`) and its own hash = sha256(prevHash + canonical JSON of its content). Altering an
 * entry breaks its own hash; removing or reordering entries breaks the `prevHash` link of the next
 * one; `seq` is contiguous from 1, so a removed entry also leaves a gap.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry says (everything but its position and the chain fields). */
export interface AuditContent {
  at: string;
  actorKind: string;
  actorId: string | null;
  actorOrgId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  organizationId: string | null;
  regionCode: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  details: Record<string, unknown> | null;
}

export interface ChainedEntry extends AuditContent {
  seq: number;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level, Dates as ISO strings, undefined dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalize(v);
    }
    return out;
  }
  return value;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Digest of a row's state (before or after a change); null when there is no such state. */
export function rowDigest(row: Record<string, unknown> | null | undefined): string | null {
  return row ? sha256Hex(canonicalJson(row)) : null;
}

function contentOf(entry: AuditContent): AuditContent {
  return {
    at: entry.at, actorKind: entry.actorKind, actorId: entry.actorId, actorOrgId: entry.actorOrgId,
    action: entry.action, subjectType: entry.subjectType, subjectId: entry.subjectId,
    organizationId: entry.organizationId, regionCode: entry.regionCode,
    beforeDigest: entry.beforeDigest, afterDigest: entry.afterDigest, details: entry.details,
  };
}

/** What an entry's hash covers after its predecessor's hash: the canonical JSON of its content. */
export function contentJson(content: AuditContent): string {
  return canonicalJson(contentOf(content));
}

export function entryHash(prevHash: string, content: AuditContent): string {
  return sha256Hex(prevHash + contentJson(content));
}

/** `rewritten`: the chain holds together but its entry at a signed checkpoint's seq has another hash. */
export type BreakKind = 'altered' | 'removed' | 'reordered' | 'broken_link' | 'rewritten';

export interface ChainBreak {
  seq: number;
  kind: BreakKind;
  message: string;
}

export interface VerifyResult {
  valid: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  firstBreak: ChainBreak | null;
}

/**
 * Walks entries in seq order (feed them in chunks) and stops at the first broken link.
 * `locate(hash)` finds the seq of the entry with that hash anywhere in the log (used only to
 * tell a removed entry from a reordered one once a link is broken).
 */
export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private checked = 0;
  private broken: ChainBreak | null = null;

  /** `after`: an entry already known good (a checkpoint's), to check only what follows it. */
  constructor(private readonly after: { seq: number; hash: string } | null = null) {
    this.expectedSeq = (after?.seq ?? 0) + 1;
    this.prevHash = after?.hash ?? GENESIS_HASH;
  }

  get done(): boolean {
    return this.broken !== null;
  }

  async feed(entries: ChainedEntry[], locate: (hash: string) => Promise<number | null>): Promise<void> {
    for (const entry of entries) {
      if (this.broken) return;
      this.broken = await this.check(entry, locate);
      if (this.broken) return;
      this.checked++;
      this.prevHash = entry.hash;
      this.expectedSeq = entry.seq + 1;
    }
  }

  result(): VerifyResult {
    return {
      valid: this.broken === null,
      checked: this.checked,
      head: this.checked > 0 || this.after ? { seq: this.expectedSeq - 1, hash: this.prevHash } : null,
      firstBreak: this.broken,
    };
  }

  private async check(entry: ChainedEntry, locate: (hash: string) => Promise<number | null>): Promise<ChainBreak | null> {
    if (entry.seq !== this.expectedSeq) {
      const missing = entry.seq > this.expectedSeq ? `${this.expectedSeq}–${entry.seq - 1}` : String(this.expectedSeq);
      return { seq: this.expectedSeq, kind: 'removed', message: `entry ${missing} is missing (next entry present is ${entry.seq})` };
    }
    if (entryHash(entry.prevHash, entry) !== entry.hash) {
      return { seq: entry.seq, kind: 'altered', message: `entry ${entry.seq} does not match its hash: its content was changed` };
    }
    if (entry.prevHash !== this.prevHash) {
      const linked = await locate(entry.prevHash);
      if (linked !== null && linked > entry.seq) {
        return { seq: entry.seq, kind: 'reordered', message: `entry ${entry.seq} follows entry ${linked} in the chain: entries were reordered` };
      }
      if (linked === null) {
        return { seq: entry.seq, kind: 'removed', message: `the entry before ${entry.seq} in the chain is missing (entries were removed and renumbered)` };
      }
      return { seq: entry.seq, kind: 'broken_link', message: `entry ${entry.seq} does not link to entry ${entry.seq - 1}` };
    }
    return null;
  }
}
