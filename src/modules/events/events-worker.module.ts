import { Module } from '@nestjs/common';
import { CaptureProcessor } from './capture.processor';
import { EventsModule } from './events.module';

/** The EPCIS capture processor: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [EventsModule], providers: [CaptureProcessor] })
export class EventsWorkerModule {}
