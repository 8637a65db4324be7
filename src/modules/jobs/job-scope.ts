import type { QueueName } from '../../../libs/queues';

/**
 * The context a job runs in, provided by a feature above jobs (audit provides the acting actor).
 * Jobs may not import audit (folder rule), so the runner asks for this hook instead. A job never
 * runs in the context of the request that enqueued it: in-process jobs start inside that request's
 * async context, so the scope must replace it, not extend it.
 */
export abstract class JobScope {
  abstract run<T>(queue: QueueName, payload: object, work: () => Promise<T>): Promise<T>;
}
