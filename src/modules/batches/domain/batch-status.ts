import { DomainError } from '../../../../libs/errors';

export const BATCH_STATUSES = ['active', 'on_hold', 'recalled', 'closed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Allowed moves. A recall is final; a closed batch can still be recalled. */
const TRANSITIONS: Record<BatchStatus, BatchStatus[]> = {
  active: ['on_hold', 'recalled', 'closed'],
  on_hold: ['active', 'recalled', 'closed'],
  closed: ['recalled'],
  recalled: [],
};

export function assertTransition(from: BatchStatus, to: string, reason: string | undefined): BatchStatus {
  if (!(BATCH_STATUSES as readonly string[]).includes(to)) {
    throw new DomainError('VALIDATION_FAILED', `status must be one of ${BATCH_STATUSES.join(', ')}`, { field: 'status', rule: 'enum' });
  }
  const target = to as BatchStatus;
  if (!TRANSITIONS[from].includes(target)) {
    throw new DomainError('INVALID_STATUS_TRANSITION', `A batch that is ${from} cannot become ${target}`, { field: 'status', from, to: target });
  }
  if ((target === 'on_hold' || target === 'recalled') && !reason?.trim()) {
    throw new DomainError('VALIDATION_FAILED', `reason is required to set a batch ${target}`, { field: 'reason', rule: 'required' });
  }
  return target;
}
