import { DomainError } from '../../../libs/errors';

/** Cursor of the audit lists (entries, checkpoints): newest first, continue below this seq. */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(`audit:${seq}`).toString('base64url');
}

export function decodeSeqCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const match = /^audit:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new DomainError('INVALID_CURSOR', 'cursor is not a cursor this API returned', { field: 'cursor', rule: 'format' });
  return Number(match[1]);
}
