import { Module } from '@nestjs/common';
import { LabelRenderProcessor } from './label-render.processor';
import { LabelsModule } from './labels.module';

/** The label-render processor: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [LabelsModule], providers: [LabelRenderProcessor] })
export class LabelsWorkerModule {}
