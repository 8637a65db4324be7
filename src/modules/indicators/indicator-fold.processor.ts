import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobRegistry, RecurringJobScheduler } from '../jobs';
import type { JobProcessor } from '../jobs';
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

/** The fold every FOLD_EVERY_MS; one fold at a time however many workers run (the fold's advisory lock). */
@Injectable()
export class IndicatorFoldScheduler extends RecurringJobScheduler<'indicators-fold'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, processor: IndicatorFoldProcessor) {
    super(config, processor, {
      key: 'indicators-fold', repeat: { every: FOLD_EVERY_MS }, embeddedEveryMs: FOLD_EVERY_MS,
      // Fold failures are retried by the next tick; keep a few finished jobs to see it is running.
      jobOptions: { removeOnComplete: 10, removeOnFail: 100 },
    }, {});
  }
}
