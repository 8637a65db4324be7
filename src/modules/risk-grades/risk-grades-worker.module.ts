import { Module } from '@nestjs/common';
import { RiskGradesModule } from './risk-grades.module';

/**
 * No queue of its own: loaded with the job modules so that the worker's sampling draw (the
 * sampling-schedule job) uses the published grades' weights, as the API's does.
 */
@Module({ imports: [RiskGradesModule] })
export class RiskGradesWorkerModule {}
