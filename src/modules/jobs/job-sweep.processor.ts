import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from './job-processor';
import { JobRegistry } from './job-registry';
import { JobSweeper } from './job-sweeper';
import { RecurringJobScheduler } from './recurring-job';

@Injectable()
export class JobSweepProcessor implements JobProcessor<'jobs-sweep'>, OnModuleInit {
  readonly queue = QUEUES.jobsSweep;
  constructor(private readonly sweeper: JobSweeper, private readonly registry: JobRegistry) {}
  onModuleInit(): void {
    this.registry.register(this);
  }
  async process(_payload: JobPayloads['jobs-sweep']): Promise<void> {
    // Its writes are the process's own: 'worker' in the worker, 'system' in embedded mode (jobs sit below audit).
    await this.sweeper.sweep();
  }
}

/** The sweep every JOB_SWEEP_EVERY_MS: one job per tick for the whole cluster (a BullMQ job scheduler). */
@Injectable()
export class JobSweepScheduler extends RecurringJobScheduler<'jobs-sweep'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, processor: JobSweepProcessor) {
    super(config, processor, {
      key: 'jobs-sweep', repeat: { every: config.jobs.sweepEveryMs }, embeddedEveryMs: config.jobs.sweepEveryMs,
      // A failed sweep is retried by the next tick; keep a few finished jobs to see it is running.
      jobOptions: { removeOnComplete: 10, removeOnFail: 100 },
    }, {});
  }
}
