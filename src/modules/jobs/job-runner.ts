import { Injectable, Optional } from '@nestjs/common';
import type { QueueName } from '../../../libs/queues';
import type { JobContext } from './job-processor';
import { JobRegistry } from './job-registry';
import { JobScope } from './job-scope';

/**
 * Runs one job with its processor, inside the job's own scope (JobScope, provided by audit): the
 * one way jobs run, for BullMQ workers, in-process dispatch and in-process schedules alike.
 */
@Injectable()
export class JobRunner {
  constructor(private readonly registry: JobRegistry, @Optional() private readonly scope?: JobScope) {}

  has(queue: string): boolean {
    return this.registry.get(queue) !== undefined;
  }

  run(queue: string, payload: object, context: JobContext): Promise<void> {
    const processor = this.registry.get(queue);
    if (!processor) return Promise.reject(new Error(`No processor for queue ${queue}`));
    const work = () => processor.process(payload as never, context);
    return this.scope ? this.scope.run(queue as QueueName, payload, work) : work();
  }
}
