// The public surface of sampling: other features import only from here (npm run lint checks).
export { ConfirmatorySamplesService } from './confirmatory-samples.service';
export type { ConfirmatoryOutcome, ConfirmatoryRequest } from './confirmatory-samples.service';
export { SamplesService } from './samples.service';
export type { CsvUploadReport, SampleDetail, SampleView } from './samples.service';
export { SamplingPlansService } from './sampling-plans.service';
export type { RoundView } from './sampling-plans.service';
export type { SamplingPlan } from './sampling-plan.entity';
export { CollectSampleDto, CreatePlanDto, CreateSampleDto, GenerateRoundDto, RefuseRecheckDto, SubmitResultsDto } from './dto/sampling.dto';
export { CADENCES } from './domain/periods';
export { SamplingModule } from './sampling.module';
export type { DrawWeights } from './sampling-plans.service';
