import { Inject, Injectable } from '@nestjs/common';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs';
import { QueueProcessor } from '../jobs';
import { JobRunner } from '../jobs';
import { RecurringJobScheduler } from '../jobs';
import { IndicatorFoldService } from './indicator-fold.service';

@QueueProcessor(QUEUES.indicatorsFold)
export class IndicatorFoldProcessor implements JobProcessor<'indicators-fold'> {
  readonly queue = QUEUES.indicatorsFold;
  constructor(private readonly fold: IndicatorFoldService) {}
  async process(_payload: JobPayloads['indicators-fold']): Promise<void> {
    await this.fold.foldAll();
  }
}

/** How often pending deltas are folded. Reads add pending deltas, so this bounds work, not freshness. */
const FOLD_EVERY_MS = 2_000;

/** The fold every FOLD_EVERY_MS; one fold at a time however many workers run (the fold's advisory lock). */
@Injectable()
export class IndicatorFoldScheduler extends RecurringJobScheduler<'indicators-fold'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, runner: JobRunner) {
    super(config, runner, QUEUES.indicatorsFold, {
      key: 'indicators-fold', repeat: { every: FOLD_EVERY_MS }, embeddedEveryMs: FOLD_EVERY_MS,
      // Fold failures are retried by the next tick; keep a few finished jobs to see it is running.
      jobOptions: { removeOnComplete: 10, removeOnFail: 100 },
    }, {});
  }
}
