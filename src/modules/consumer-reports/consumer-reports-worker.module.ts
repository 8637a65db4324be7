import { Module } from '@nestjs/common';
import { ConsumerReportsModule } from './consumer-reports.module';
import { ConsumerReportsRetentionProcessor, ConsumerReportsRetentionScheduler } from './consumer-reports.processors';

/** Deleting phones and photos past retention: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [ConsumerReportsModule], providers: [ConsumerReportsRetentionProcessor, ConsumerReportsRetentionScheduler] })
export class ConsumerReportsWorkerModule {}
