import { Module } from '@nestjs/common';
import { InspectionsOverdueProcessor, InspectionsOverdueScheduler } from './inspections.processors';
import { InspectionsModule } from './inspections.module';

/** The overdue-finding alerts: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [InspectionsModule], providers: [InspectionsOverdueProcessor, InspectionsOverdueScheduler] })
export class InspectionsWorkerModule {}
