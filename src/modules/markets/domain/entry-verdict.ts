import type { ErrorCode } from '../../../../libs/errors';

export type EntryStatus = 'accepted' | 'partially_refused' | 'refused';
export type ItemProof = 'trace_code' | 'certificate' | 'other_proof';

export interface ItemVerdict {
  proof: ItemProof;
  outcome: 'accepted' | 'refused';
  refusalCode: ErrorCode | null;
}

/**
 * An entry's status from its lots: accepted when every lot entered, refused when none did.
 * `verified` (market_entry_verified_rate): something entered, and every lot that did came in on a
 * valid certificate or trace code — another proof (voucher, quarantine certificate) is not verified.
 */
export function entryVerdict(items: ItemVerdict[]): { status: EntryStatus; verified: boolean; refused: number } {
  const refused = items.filter((i) => i.outcome === 'refused').length;
  const accepted = items.filter((i) => i.outcome === 'accepted');
  const status: EntryStatus = refused === 0 ? 'accepted' : accepted.length === 0 ? 'refused' : 'partially_refused';
  const verified = accepted.length > 0 && accepted.every((i) => i.proof !== 'other_proof');
  return { status, verified, refused };
}
