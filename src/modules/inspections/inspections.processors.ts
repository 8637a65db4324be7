import { Inject, Injectable } from '@nestjs/common';
import { JobPayloads, QUEUES, RETRY_POLICY } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs';
import { JobRunner, QueueProcessor, RecurringJobScheduler } from '../jobs';
import { InspectionsService } from './inspections.service';

@QueueProcessor(QUEUES.inspectionsOverdue)
export class InspectionsOverdueProcessor implements JobProcessor<'inspections-overdue'> {
  readonly queue = QUEUES.inspectionsOverdue;
  constructor(private readonly inspections: InspectionsService) {}
  async process(_payload: JobPayloads['inspections-overdue']): Promise<void> {
    await this.inspections.alertOverdue();
  }
}

/** Daily at 00:30 China time: a deadline is a day, so a finding becomes overdue once a day. */
@Injectable()
export class InspectionsOverdueScheduler extends RecurringJobScheduler<'inspections-overdue'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, runner: JobRunner) {
    super(config, runner, QUEUES.inspectionsOverdue, {
      key: 'inspections-overdue', repeat: { pattern: '30 0 * * *', tz: 'Asia/Shanghai' }, embeddedEveryMs: 86_400_000,
      jobOptions: { attempts: RETRY_POLICY.attempts, backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs }, removeOnComplete: 10, removeOnFail: 100 },
    }, {});
  }
}
