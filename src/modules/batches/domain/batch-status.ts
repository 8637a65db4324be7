import { DomainError } from '../../../../libs/errors';
import { BATCH_STATUSES, BatchStatus } from '../batch.entity';

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
