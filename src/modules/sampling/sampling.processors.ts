import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit, BeforeApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { JobPayloads, QUEUES, RETRY_POLICY } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs/job-processor';
import { JobRegistry } from '../jobs/job-registry';
import { SampleConsequencesService } from './sample-consequences.service';
import { SampleJudgingService } from './sample-judging.service';
import { SamplingPlansService, todayInChina } from './sampling-plans.service';

@Injectable()
export class SampleJudgeProcessor implements JobProcessor<'sampling-judge'>, OnModuleInit {
  readonly queue = QUEUES.samplingJudge;
  constructor(private readonly judging: SampleJudgingService, private readonly registry: JobRegistry) {}
  onModuleInit(): void {
    this.registry.register(this);
  }
  async process(payload: JobPayloads['sampling-judge']): Promise<void> {
    await this.judging.judgeChunk(payload.chunkId);
  }
}

@Injectable()
export class SampleConsequenceProcessor implements JobProcessor<'sampling-consequence'>, OnModuleInit {
  readonly queue = QUEUES.samplingConsequence;
  constructor(private readonly consequences: SampleConsequencesService, private readonly registry: JobRegistry) {}
  onModuleInit(): void {
    this.registry.register(this);
  }
  process(payload: JobPayloads['sampling-consequence']): Promise<void> {
    return this.consequences.run(payload.sampleId, payload.step);
  }
}

@Injectable()
export class SamplingScheduleProcessor implements JobProcessor<'sampling-schedule'>, OnModuleInit {
  readonly queue = QUEUES.samplingSchedule;
  constructor(private readonly plans: SamplingPlansService, private readonly registry: JobRegistry) {}
  onModuleInit(): void {
    this.registry.register(this);
  }
  async process(payload: JobPayloads['sampling-schedule']): Promise<void> {
    await this.plans.generateDue(payload.on ?? todayInChina());
  }
}

/** Daily at 00:10 China time, and hourly in embedded mode: generate the tasks of periods that have started. */
export const SCHEDULE_PATTERN = '10 0 * * *';
const EMBEDDED_INTERVAL_MS = 3_600_000;

/**
 * Registers the period generator: a BullMQ job scheduler (one per queue prefix, upserted at every
 * worker start) or, without Redis, a timer in this process running the same processor.
 */
@Injectable()
export class SamplingScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SamplingScheduler');
  private timer?: NodeJS.Timeout;
  private queue?: Queue;
  private connection?: IORedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly processor: SamplingScheduleProcessor) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.redisUrl) {
      this.timer = setInterval(() => {
        this.processor.process({}).catch((error: unknown) => this.logger.warn({ msg: 'period generation failed', error: String(error) }));
      }, EMBEDDED_INTERVAL_MS);
      this.timer.unref();
      return;
    }
    this.connection = new IORedis(this.config.redisUrl, { maxRetriesPerRequest: 1 });
    this.connection.on('error', () => undefined);
    this.queue = new Queue(QUEUES.samplingSchedule, { connection: this.connection, prefix: this.config.queuePrefix });
    try {
      await this.queue.upsertJobScheduler('sampling-periods', { pattern: SCHEDULE_PATTERN, tz: 'Asia/Shanghai' }, {
        name: QUEUES.samplingSchedule, data: {}, opts: { attempts: RETRY_POLICY.attempts, backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs } },
      });
    } catch (error) {
      this.logger.warn({ msg: 'could not register the sampling job scheduler (Redis down?); next worker start retries', error: String(error) });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.queue?.close();
    this.connection?.disconnect();
  }
}
