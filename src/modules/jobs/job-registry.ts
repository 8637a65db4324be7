import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { QUEUES, type QueueName } from '../../../libs/queues';
import type { JobProcessor } from './job-processor';
import { QueueProcessorMark } from './queue-processor.decorator';
import type { RecoverableJobs } from './recoverable-jobs';

/** Whether this process runs the processors (the worker, or the API without Redis). */
export const RUNS_PROCESSORS = Symbol('RUNS_PROCESSORS');

/** Thrown at boot when the processors found do not cover every queue exactly once. */
export class ProcessorSetError extends Error {}

function isRecoverable(processor: object): processor is RecoverableJobs {
  const p = processor as Partial<RecoverableJobs>;
  return typeof p.unfinished === 'function' && typeof p.giveUp === 'function';
}

/**
 * The processors of this process, found by their @QueueProcessor mark when the application starts.
 * Where processors run, every queue in QUEUES must have exactly one, or boot fails.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly processors = new Map<string, JobProcessor>();
  private readonly recoverable = new Map<string, RecoverableJobs>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(RUNS_PROCESSORS) private readonly runsProcessors: boolean,
  ) {}

  onModuleInit(): void {
    const found = new Map<QueueName, { processor: JobProcessor; name: string }[]>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: QueueProcessorMark.KEY })) {
      const queue = this.discovery.getMetadataByDecorator(QueueProcessorMark, wrapper);
      if (!queue || !wrapper.instance) continue;
      found.set(queue, [...(found.get(queue) ?? []), { processor: wrapper.instance as JobProcessor, name: wrapper.name }]);
    }
    if (this.runsProcessors) checkProcessorSet(found);
    for (const [queue, [{ processor }]] of found) {
      this.processors.set(queue, processor);
      if (isRecoverable(processor)) this.recoverable.set(queue, processor);
    }
  }

  /** For tests: a processor of a queue that only the test knows. */
  register(processor: JobProcessor): void {
    this.processors.set(processor.queue, processor);
  }

  get(queue: string): JobProcessor | undefined {
    return this.processors.get(queue);
  }

  queues(): QueueName[] {
    return [...this.processors.keys()] as QueueName[];
  }

  /** The job kinds the sweeper watches for work left unfinished by lost jobs. */
  recoverables(): RecoverableJobs[] {
    return [...this.recoverable.values()];
  }
}

/** Every known queue has exactly one processor, and every processor a known queue. */
function checkProcessorSet(found: ReadonlyMap<string, readonly { name: string }[]>): void {
  const known = new Set<string>(Object.values(QUEUES));
  const problems: string[] = [];
  for (const queue of known) {
    const names = (found.get(queue) ?? []).map((p) => p.name);
    if (names.length === 0) problems.push(`queue '${queue}' has no processor`);
    if (names.length > 1) problems.push(`queue '${queue}' has ${names.length} processors (${names.join(', ')})`);
  }
  for (const queue of found.keys()) if (!known.has(queue)) problems.push(`processor for unknown queue '${queue}' (add it to QUEUES in libs/queues)`);
  if (problems.length > 0) {
    throw new ProcessorSetError(`Job processors: ${problems.join('; ')}. Each queue needs one @QueueProcessor provider in a module of JOB_MODULES (src/job-modules.ts).`);
  }
}
