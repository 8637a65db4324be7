import { DomainError } from '../../../../libs/errors';

/** Chain of custody of a sample (DOMAIN.md §5): each move is recorded with who and when. */
export const SAMPLE_STATUSES = ['planned', 'collected', 'received', 'tested', 'judged'] as const;
export type SampleStatus = (typeof SAMPLE_STATUSES)[number];

const NEXT: Record<SampleStatus, SampleStatus[]> = {
  planned: ['collected'],
  collected: ['received'],
  received: ['tested'],
  tested: ['judged'],
  judged: [],
};

export function assertCustodyMove(from: SampleStatus, to: SampleStatus): void {
  if (!NEXT[from].includes(to)) {
    throw new DomainError('INVALID_SAMPLE_TRANSITION', `A sample that is ${from} cannot become ${to}`, { from, to, rule: 'custody_order' });
  }
}

/** Sample verdict: the AND of its results (fail wins, then no_limit). */
export type SampleVerdict = 'pass' | 'fail' | 'no_limit';

/** Steps of a failed sample's consequence flow, in order. Each is idempotent and records its result. */
export const CONSEQUENCE_STEPS = ['hold_batch', 'void_certificates', 'flag_downstream', 'notify'] as const;
export type ConsequenceStep = (typeof CONSEQUENCE_STEPS)[number];

/** Can a recheck still be requested? Within `days` calendar days after the verdict date (inclusive). */
export function recheckOpen(judgedOn: string, today: string, days: number): boolean {
  const last = new Date(Date.parse(`${judgedOn}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return today <= last;
}
