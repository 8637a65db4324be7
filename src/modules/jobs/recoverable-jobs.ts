import type { JobPayloads, QueueName } from '../../../libs/queues';

/** The error code of work failed by the sweeper (shown with the sweeper's reason). */
export const JOB_ABANDONED = 'JOB_ABANDONED';

/** Work whose state row says it is not finished (waiting or running), with the job that should finish it. */
export interface UnfinishedWork<Q extends QueueName = QueueName> {
  entityId: string;
  /** The job id the feature recorded in the outbox for this work. */
  jobId: string;
  payload: JobPayloads[Q];
}

/**
 * A job kind whose state lives in its own rows (a render, a capture, a judging chunk). The sweeper
 * asks it for unfinished work, requeues the work whose job is lost, and after JOB_MAX_REQUEUES
 * asks it to fail the work with a reason its API shows.
 */
export interface RecoverableJobs<Q extends QueueName = QueueName> {
  readonly queue: Q;
  /** Oldest first. */
  unfinished(limit: number): Promise<UnfinishedWork<Q>[]>;
  /** Marks the work failed with `reason`, unless it finished meanwhile; false when it had. */
  giveUp(entityId: string, reason: string): Promise<boolean>;
}
