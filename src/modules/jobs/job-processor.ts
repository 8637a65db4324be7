import type { JobPayloads, QueueName } from '../../../libs/queues';

export interface JobContext {
  jobId: string;
  attempt: number;
  /** Reports progress 0–100 (shown by status endpoints through the processor's own records). */
  progress(percent: number): Promise<void>;
}

/**
 * One processor class per queue, run by BullMQ in the worker process or in-process in the
 * embedded mode. Processors must be idempotent: a job may run again after a crash.
 */
export interface JobProcessor<Q extends QueueName = QueueName> {
  readonly queue: Q;
  process(payload: JobPayloads[Q], context: JobContext): Promise<void>;
}
