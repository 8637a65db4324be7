import { Injectable } from '@nestjs/common';
import type { QueueName } from '../../../libs/queues';
import type { JobProcessor } from './job-processor';

/** Processors register here when their module starts; dispatchers and workers look them up. */
@Injectable()
export class JobRegistry {
  private readonly processors = new Map<string, JobProcessor>();

  register(processor: JobProcessor): void {
    this.processors.set(processor.queue, processor);
  }

  get(queue: string): JobProcessor | undefined {
    return this.processors.get(queue);
  }

  queues(): QueueName[] {
    return [...this.processors.keys()] as QueueName[];
  }
}
