import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobsOptions, Queue, RepeatOptions } from 'bullmq';
import type { JobPayloads, QueueName } from '../../../libs/queues';
import { RedisClient, redisConnection } from '../../common/redis';
import type { AppConfig } from '../../config/app-config';
import type { JobRunner } from './job-runner';

export interface RecurringJobOptions {
  /** The BullMQ job scheduler's id (one per queue prefix, upserted at every start). */
  key: string;
  repeat: Omit<RepeatOptions, 'key'>;
  /** Without Redis: how often a timer in this process runs the job instead. */
  embeddedEveryMs: number;
  jobOptions?: JobsOptions;
}

/**
 * Runs a processor on a schedule: with Redis, a BullMQ job scheduler (the workers run it, one job at
 * a time per schedule tick); without, a timer in this process that never starts a run while the
 * previous one is still going (as its processor, through the JobRunner). Subclasses are the providers
 * that name the schedule; the queue's processor is the @QueueProcessor of the same queue.
 */
export abstract class RecurringJobScheduler<Q extends QueueName> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private queue?: Queue;
  private connection?: RedisClient;
  private running?: Promise<void>;

  protected constructor(
    private readonly config: AppConfig,
    private readonly runner: JobRunner,
    private readonly queueName: Q,
    private readonly options: RecurringJobOptions,
    private readonly payload: JobPayloads[Q],
  ) {
    this.logger = new Logger(`Recurring:${queueName}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.redisUrl) {
      this.timer = setInterval(() => this.runInProcess(), this.options.embeddedEveryMs);
      this.timer.unref();
      return;
    }
    this.connection = redisConnection(this.config);
    this.queue = new Queue(this.queueName, { connection: this.connection, prefix: this.config.queuePrefix });
    try {
      await this.queue.upsertJobScheduler(this.options.key, this.options.repeat, {
        name: this.queueName, data: this.payload, opts: this.options.jobOptions,
      });
    } catch (error) {
      this.logger.warn({ msg: `could not register the ${this.options.key} job scheduler (Redis down?); next start retries`, error: String(error) });
    }
  }

  private runInProcess(): void {
    if (this.running) return;
    const context = { jobId: `${this.options.key}:${Date.now()}`, attempt: 1, progress: async () => undefined };
    this.running = this.runner.run(this.queueName, this.payload, context)
      .catch((error: unknown) => this.logger.warn({ msg: `${this.options.key} failed`, error: String(error) }))
      .finally(() => { this.running = undefined; });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.queue?.close();
    this.connection?.disconnect();
  }
}
