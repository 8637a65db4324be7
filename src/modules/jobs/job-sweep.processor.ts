import { Inject, Injectable } from '@nestjs/common';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from './job-processor';
import { QueueProcessor } from './queue-processor.decorator';
import { JobRunner } from './job-runner';
import { JobSweeper } from './job-sweeper';
import { RecurringJobScheduler } from './recurring-job';

@QueueProcessor(QUEUES.jobsSweep)
export class JobSweepProcessor implements JobProcessor<'jobs-sweep'> {
  readonly queue = QUEUES.jobsSweep;
  constructor(private readonly sweeper: JobSweeper) {}
  async process(_payload: JobPayloads['jobs-sweep']): Promise<void> {
    // Its writes are the job's own (the JobScope that audit provides names the actor).
    await this.sweeper.sweep();
  }
}

/** The sweep every JOB_SWEEP_EVERY_MS: one job per tick for the whole cluster (a BullMQ job scheduler). */
@Injectable()
export class JobSweepScheduler extends RecurringJobScheduler<'jobs-sweep'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, runner: JobRunner) {
    super(config, runner, QUEUES.jobsSweep, {
      key: 'jobs-sweep', repeat: { every: config.jobs.sweepEveryMs }, embeddedEveryMs: config.jobs.sweepEveryMs,
      // A failed sweep is retried by the next tick; keep a few finished jobs to see it is running.
      jobOptions: { removeOnComplete: 10, removeOnFail: 100 },
    }, {});
  }
}
