import { Module } from '@nestjs/common';
import { RecallsOverdueProcessor, RecallsOverdueScheduler } from './recalls.processors';
import { RecallsModule } from './recalls.module';

/** The overdue-recall alerts: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [RecallsModule], providers: [RecallsOverdueProcessor, RecallsOverdueScheduler] })
export class RecallsWorkerModule {}
