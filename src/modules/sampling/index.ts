// The public surface of sampling: other features import only from here (npm run lint checks).
export { ConfirmatorySamplesService } from './confirmatory-samples.service';
export type { ConfirmatoryOutcome, ConfirmatoryRequest } from './confirmatory-samples.service';
export { SamplesService } from './samples.service';
export { SamplingModule } from './sampling.module';
export { SamplingPlansService } from './sampling-plans.service';
export type { DrawWeights } from './sampling-plans.service';
