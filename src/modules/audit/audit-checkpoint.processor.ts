import { Inject, Injectable } from '@nestjs/common';
import { isDomainError } from '../../../libs/errors';
import { JobPayloads, QUEUES, RETRY_POLICY } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs';
import { QueueProcessor } from '../jobs';
import { JobRunner } from '../jobs';
import { RecurringJobScheduler } from '../jobs';
import { AuditCheckpointsService } from './audit-checkpoints.service';

@QueueProcessor(QUEUES.auditCheckpoint)
export class AuditCheckpointProcessor implements JobProcessor<'audit-checkpoint'> {
  readonly queue = QUEUES.auditCheckpoint;
  constructor(private readonly checkpoints: AuditCheckpointsService) {}
  async process(_payload: JobPayloads['audit-checkpoint']): Promise<void> {
    try {
      await this.checkpoints.create();
    } catch (error) {
      // Nothing to sign yet is not a failure; a broken chain is (logged by the service, job failed).
      if (isDomainError(error) && error.code === 'AUDIT_LOG_EMPTY') return;
      throw error;
    }
  }
}

/** At the top of each hour (China time, like the other schedules). */
const CHECKPOINT_PATTERN = '0 * * * *';
const EMBEDDED_INTERVAL_MS = 3_600_000;

/**
 * One job per hour across the cluster: every worker upserts the same BullMQ job scheduler, which
 * makes one job per tick; concurrent signers (a request at the same moment) wait on the signing
 * lock, and an unmoved head is not signed twice.
 */
@Injectable()
export class AuditCheckpointScheduler extends RecurringJobScheduler<'audit-checkpoint'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, runner: JobRunner) {
    super(config, runner, QUEUES.auditCheckpoint, {
      key: 'audit-checkpoint', repeat: { pattern: CHECKPOINT_PATTERN, tz: 'Asia/Shanghai' }, embeddedEveryMs: EMBEDDED_INTERVAL_MS,
      jobOptions: {
        attempts: RETRY_POLICY.attempts, backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs },
        removeOnComplete: 24, removeOnFail: 100,
      },
    }, {});
  }
}
