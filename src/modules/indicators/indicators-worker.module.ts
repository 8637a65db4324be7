import { Module } from '@nestjs/common';
import { IndicatorFoldProcessor, IndicatorFoldScheduler } from './indicator-fold.processor';
import { IndicatorsModule } from './indicators.module';

/** The fold job: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [IndicatorsModule], providers: [IndicatorFoldProcessor, IndicatorFoldScheduler] })
export class IndicatorsWorkerModule {}
