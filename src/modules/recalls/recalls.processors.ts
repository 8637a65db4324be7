import { Inject, Injectable } from '@nestjs/common';
import { JobPayloads, QUEUES, RETRY_POLICY } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs';
import { JobRunner, QueueProcessor, RecurringJobScheduler } from '../jobs';
import { RecallsService } from './recalls.service';

@QueueProcessor(QUEUES.recallsOverdue)
export class RecallsOverdueProcessor implements JobProcessor<'recalls-overdue'> {
  readonly queue = QUEUES.recallsOverdue;
  constructor(private readonly recalls: RecallsService) {}
  async process(_payload: JobPayloads['recalls-overdue']): Promise<void> {
    await this.recalls.alertOverdue();
  }
}

/** Hourly (a finish day ends at midnight China time; an hour late is soon enough for an alert). */
const EVERY_MS = 3_600_000;

@Injectable()
export class RecallsOverdueScheduler extends RecurringJobScheduler<'recalls-overdue'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, runner: JobRunner) {
    super(config, runner, QUEUES.recallsOverdue, {
      key: 'recalls-overdue', repeat: { every: EVERY_MS }, embeddedEveryMs: EVERY_MS,
      jobOptions: { attempts: RETRY_POLICY.attempts, backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs }, removeOnComplete: 10, removeOnFail: 100 },
    }, {});
  }
}
