import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { isDomainError } from '../../../libs/errors';
import { backoffDelay, RETRY_POLICY } from '../../../libs/queues';
import type { AppConfig } from '../../config/app-config';
import { JobRegistry } from './job-registry';

export type QueueHealth = 'in-process' | 'up' | 'down';

export abstract class JobDispatcher {
  abstract dispatch(queue: string, jobId: string, payload: Record<string, unknown>): Promise<void>;
  abstract health(): Promise<QueueHealth>;
}

/** Production: jobs go to BullMQ; the worker process runs them. */
/** Hooks run before TypeORM closes the database (onApplicationShutdown), so work in hand can finish. */
@Injectable()
export class BullmqDispatcher extends JobDispatcher implements BeforeApplicationShutdown {
  private readonly connection: IORedis;
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly config: AppConfig) {
    super();
    // Fail fast when Redis is down: the outbox keeps the job and the relay tries again.
    this.connection = new IORedis(config.redisUrl!, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.connection.on('error', () => undefined);
  }

  async dispatch(queue: string, jobId: string, payload: Record<string, unknown>): Promise<void> {
    await this.queue(queue).add(queue, payload, {
      jobId,
      attempts: RETRY_POLICY.attempts,
      backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    });
  }

  async health(): Promise<QueueHealth> {
    try {
      return (await this.connection.ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.config.queuePrefix });
      this.queues.set(name, queue);
    }
    return queue;
  }
}

/**
 * Embedded mode: the same processors run in this process, one job at a time per queue, with the
 * same retry rules as the worker (backoff for infrastructure errors, none for domain errors).
 */
@Injectable()
export class InProcessDispatcher extends JobDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<string>();
  private stopping = false;

  constructor(private readonly registry: JobRegistry) {
    super();
  }

  dispatch(queue: string, jobId: string, payload: Record<string, unknown>): Promise<void> {
    const processor = this.registry.get(queue);
    if (!processor) return Promise.reject(new Error(`No processor for queue ${queue}`));
    if (this.pending.has(jobId)) return Promise.resolve();
    this.pending.add(jobId);
    const run = async () => {
      for (let attempt = 1; !this.stopping; attempt++) {
        try {
          await processor.process(payload as never, { jobId, attempt, progress: async () => undefined });
          return;
        } catch (error) {
          const final = isDomainError(error) || attempt >= RETRY_POLICY.attempts;
          this.logger.warn({ msg: 'job failed', queue, jobId, attempt, final, error: String(error) });
          if (final) return;
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));
        }
      }
    };
    const tail = (this.tails.get(queue) ?? Promise.resolve()).then(run).finally(() => this.pending.delete(jobId));
    this.tails.set(queue, tail);
    return Promise.resolve();
  }

  async health(): Promise<QueueHealth> {
    return 'in-process';
  }

  /** Lets running jobs finish (graceful shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.tails.values()]);
  }

  /** For tests and the CLI: resolves when every queued job has run. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.tails.values()]);
  }
}
