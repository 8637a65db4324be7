import { Injectable } from '@nestjs/common';
import { recordedJobActor, type QueueName } from '../../../libs/queues';
import { JobScope } from '../jobs';
import { AuditActor, runAsAuditActor } from './audit-context';

/** A job's own actor: the one recorded in its data, else the worker running `job:<queue>`. */
function jobAuditActor(queue: QueueName, payload: object): AuditActor {
  return recordedJobActor(payload) ?? { kind: 'worker', id: `job:${queue}`, organizationId: null };
}

/**
 * Jobs audit as themselves in the worker and in-process alike: an in-process job starts inside the
 * enqueuing request's async context, and this scope replaces that request's actor.
 */
@Injectable()
export class AuditJobScope extends JobScope {
  run<T>(queue: QueueName, payload: object, work: () => Promise<T>): Promise<T> {
    return runAsAuditActor(jobAuditActor(queue, payload), work);
  }
}
