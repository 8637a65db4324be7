import { Injectable } from '@nestjs/common';
import type { QueueName } from '../../../libs/queues';
import type { JobProcessor } from './job-processor';
import type { RecoverableJobs } from './recoverable-jobs';

/** Processors register here when their module starts; dispatchers and workers look them up. */
@Injectable()
export class JobRegistry {
  private readonly processors = new Map<string, JobProcessor>();
  private readonly recoverable = new Map<string, RecoverableJobs>();

  register(processor: JobProcessor): void {
    this.processors.set(processor.queue, processor);
  }

  get(queue: string): JobProcessor | undefined {
    return this.processors.get(queue);
  }

  queues(): QueueName[] {
    return [...this.processors.keys()] as QueueName[];
  }

  /** A job kind the sweeper watches for work left unfinished by lost jobs. */
  registerRecoverable(kind: RecoverableJobs): void {
    this.recoverable.set(kind.queue, kind);
  }

  recoverables(): RecoverableJobs[] {
    return [...this.recoverable.values()];
  }
}
