import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, Worker } from 'bullmq';
import { isDomainError } from '../../../libs/errors';
import { RedisClient, redisConnection } from '../../common/redis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobRegistry } from './job-registry';
import { JobRunner } from './job-runner';

/** The worker process: one BullMQ Worker per registered processor. */
@Injectable()
export class BullmqWorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private connection?: RedisClient;

  constructor(
    private readonly registry: JobRegistry,
    private readonly runner: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Workers block on Redis: they need retries forever rather than failing requests.
    this.connection = redisConnection(this.config, { maxRetriesPerRequest: null });
    const { jobs } = this.config;
    for (const queue of this.registry.queues()) {
      const worker = new Worker(queue, async (job) => {
        try {
          await this.runner.run(queue, job.data as object, {
            jobId: job.id ?? '',
            attempt: job.attemptsMade + 1,
            progress: (percent) => job.updateProgress(percent),
          });
        } catch (error) {
          // A broken rule will not heal by retrying: fail the job for good.
          if (isDomainError(error)) throw new UnrecoverableError(`${error.code}: ${error.message}`);
          throw error;
        }
      }, {
        connection: this.connection, prefix: this.config.queuePrefix, concurrency: 2,
        // A worker that dies leaves its job active until the lock expires; the stall check then
        // runs it again, and fails it after maxStalledCount stalls (the sweeper takes over).
        lockDuration: jobs.lockMs, stalledInterval: jobs.stalledIntervalMs, maxStalledCount: jobs.maxStalledCount,
      });
      worker.on('failed', (job, error) => this.logger.warn({ msg: 'job failed', queue, jobId: job?.id, attempt: job?.attemptsMade, error: error.message }));
      worker.on('stalled', (jobId) => this.logger.warn({ msg: 'job stalled (its worker stopped); running it again', queue, jobId }));
      worker.on('error', (error) => this.logger.error({ msg: 'worker error', queue, error: error.message }));
      this.workers.push(worker);
      this.logger.log({ msg: 'worker started', queue });
    }
  }

  /** Graceful: finish the jobs in hand, take no new ones. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.connection?.disconnect();
  }
}
