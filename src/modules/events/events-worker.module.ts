import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaptureJob } from './capture-job.entity';
import { CaptureProcessor } from './capture.processor';
import { EventsModule } from './events.module';

/** The EPCIS capture processor: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [EventsModule, TypeOrmModule.forFeature([CaptureJob])], providers: [CaptureProcessor] })
export class EventsWorkerModule {}
