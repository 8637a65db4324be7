import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CertificatesModule } from '../certificates';
import { IdempotencyModule } from '../idempotency';
import { LimitsModule } from '../limits';
import { NotificationsModule } from '../notifications';
import { OrganizationsModule } from '../organizations';
import { TestRecordsModule } from '../test-records';
import { ConfirmatorySamplesService } from './confirmatory-samples.service';
import { SampleConsequencesService } from './sample-consequences.service';
import { SampleJudgingService } from './sample-judging.service';
import { Sample, SampleConsequenceStep, SampleCustodyEvent, SampleJudgeChunk, SampleResult, SamplingReviewFlag } from './sample.entity';
import { SamplesService } from './samples.service';
import { SamplingController } from './sampling.controller';
import { SamplingCounter, SamplingPlan, SamplingRound } from './sampling-plan.entity';
import { SamplingPlansService } from './sampling-plans.service';
import { DOWNSTREAM_LOTS, type DownstreamLots } from './downstream-lots';
import { EventsModule, SupplyChainService } from '../events';
import { FarmInputsModule } from '../farm-inputs';

export const SAMPLING_ENTITIES = [SamplingPlan, SamplingRound, SamplingCounter, Sample, SampleResult, SampleCustodyEvent, SampleConsequenceStep, SampleJudgeChunk, SamplingReviewFlag];

/**
 * Residue and heavy-metal sampling: plans, period tasks, samples and their custody, lab results,
 * judging and the consequences of a failure. The "flag downstream" step asks the supply-chain events
 * (lot links) through the DOWNSTREAM_LOTS provider bound here.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(SAMPLING_ENTITIES), BatchesModule, LimitsModule, OrganizationsModule, IdempotencyModule,
    TestRecordsModule, CertificatesModule, NotificationsModule, EventsModule, FarmInputsModule,
  ],
  controllers: [SamplingController],
  providers: [
    SamplingPlansService, SamplesService, SampleJudgingService, SampleConsequencesService, ConfirmatorySamplesService,
    // The lots downstream of a failed sample's batch come from the supply-chain events (lot links).
    { provide: DOWNSTREAM_LOTS, inject: [SupplyChainService], useFactory: (chain: SupplyChainService): DownstreamLots => ({ downstreamOf: (m, id) => chain.downstreamIds(m, id) }) },
  ],
  exports: [SamplingPlansService, SamplesService, SampleJudgingService, SampleConsequencesService, ConfirmatorySamplesService],
})
export class SamplingModule {}
