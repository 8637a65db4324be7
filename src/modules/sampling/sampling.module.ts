import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches/batches.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LimitsModule } from '../limits/limits.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { TestRecordsModule } from '../test-records/test-records.module';
import { SampleConsequencesService } from './sample-consequences.service';
import { SampleJudgingService } from './sample-judging.service';
import { Sample, SampleConsequenceStep, SampleCustodyEvent, SampleJudgeChunk, SampleResult, SamplingReviewFlag } from './sample.entity';
import { SamplesService } from './samples.service';
import { SamplingController } from './sampling.controller';
import { SamplingCounter, SamplingPlan, SamplingRound } from './sampling-plan.entity';
import { SamplingPlansService } from './sampling-plans.service';

export const SAMPLING_ENTITIES = [SamplingPlan, SamplingRound, SamplingCounter, Sample, SampleResult, SampleCustodyEvent, SampleConsequenceStep, SampleJudgeChunk, SamplingReviewFlag];

/**
 * Residue and heavy-metal sampling: plans, period tasks, samples and their custody, lab results,
 * judging and the consequences of a failure. A `DownstreamLots` provider (token DOWNSTREAM_LOTS)
 * may be bound by the supply-chain events module; without it the downstream step says so.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(SAMPLING_ENTITIES), BatchesModule, LimitsModule, OrganizationsModule, IdempotencyModule,
    TestRecordsModule, CertificatesModule, NotificationsModule,
  ],
  controllers: [SamplingController],
  providers: [SamplingPlansService, SamplesService, SampleJudgingService, SampleConsequencesService],
  exports: [SamplingPlansService, SamplesService, SampleJudgingService, SampleConsequencesService],
})
export class SamplingModule {}
