import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs/job-processor';
import { JobRegistry } from '../jobs/job-registry';
import { IndicatorFoldService } from './indicator-fold.service';

@Injectable()
export class IndicatorFoldProcessor implements JobProcessor<'indicators-fold'>, OnModuleInit {
  readonly queue = QUEUES.indicatorsFold;
  constructor(private readonly fold: IndicatorFoldService, private readonly registry: JobRegistry) {}
  onModuleInit(): void {
    this.registry.register(this);
  }
  async process(_payload: JobPayloads['indicators-fold']): Promise<void> {
    await this.fold.foldAll();
  }
}

/** How often pending deltas are folded. Reads add pending deltas, so this bounds work, not freshness. */
export const FOLD_EVERY_MS = 2_000;

/**
 * Runs the fold: a BullMQ job scheduler (upserted at every worker start; one fold at a time however
 * many workers run, by the fold's advisory lock) or, without Redis, a timer in this process.
 */
@Injectable()
export class IndicatorFoldScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('IndicatorFoldScheduler');
  private timer?: NodeJS.Timeout;
  private queue?: Queue;
  private connection?: IORedis;
  private running?: Promise<void>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly processor: IndicatorFoldProcessor) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.redisUrl) {
      this.timer = setInterval(() => this.foldInProcess(), FOLD_EVERY_MS);
      this.timer.unref();
      return;
    }
    this.connection = new IORedis(this.config.redisUrl, { maxRetriesPerRequest: 1 });
    this.connection.on('error', () => undefined);
    this.queue = new Queue(QUEUES.indicatorsFold, { connection: this.connection, prefix: this.config.queuePrefix });
    try {
      await this.queue.upsertJobScheduler('indicators-fold', { every: FOLD_EVERY_MS }, {
        name: QUEUES.indicatorsFold, data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 },
      });
    } catch (error) {
      this.logger.warn({ msg: 'could not register the indicator fold scheduler (Redis down?); next worker start retries', error: String(error) });
    }
  }

  private foldInProcess(): void {
    if (this.running) return;
    this.running = this.processor.process({})
      .catch((error: unknown) => this.logger.warn({ msg: 'indicator fold failed', error: String(error) }))
      .finally(() => { this.running = undefined; });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.queue?.close();
    this.connection?.disconnect();
  }
}
