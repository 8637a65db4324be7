import { Module } from '@nestjs/common';
import { SampleConsequenceProcessor, SampleJudgeProcessor, SamplingScheduleProcessor, SamplingScheduler } from './sampling.processors';
import { SamplingModule } from './sampling.module';

/** Sampling processors and the period scheduler: loaded by the worker process, and by the API in embedded mode. */
@Module({ imports: [SamplingModule], providers: [SampleJudgeProcessor, SampleConsequenceProcessor, SamplingScheduleProcessor, SamplingScheduler] })
export class SamplingWorkerModule {}
