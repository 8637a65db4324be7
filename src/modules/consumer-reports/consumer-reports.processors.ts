import { Inject, Injectable } from '@nestjs/common';
import { JobPayloads, QUEUES, RETRY_POLICY } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs';
import { JobRunner, QueueProcessor, RecurringJobScheduler } from '../jobs';
import { ConsumerReportsService } from './consumer-reports.service';

@QueueProcessor(QUEUES.consumerReportsRetention)
export class ConsumerReportsRetentionProcessor implements JobProcessor<'consumer-reports-retention'> {
  readonly queue = QUEUES.consumerReportsRetention;
  constructor(private readonly reports: ConsumerReportsService) {}
  async process(_payload: JobPayloads['consumer-reports-retention']): Promise<void> {
    await this.reports.purgeExpired();
  }
}

/** Hourly: retention is counted in days, so a phone is gone within the hour after its day. */
const EVERY_MS = 3_600_000;

@Injectable()
export class ConsumerReportsRetentionScheduler extends RecurringJobScheduler<'consumer-reports-retention'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, runner: JobRunner) {
    super(config, runner, QUEUES.consumerReportsRetention, {
      key: 'consumer-reports-retention', repeat: { every: EVERY_MS }, embeddedEveryMs: EVERY_MS,
      jobOptions: { attempts: RETRY_POLICY.attempts, backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs }, removeOnComplete: 10, removeOnFail: 100 },
    }, {});
  }
}
