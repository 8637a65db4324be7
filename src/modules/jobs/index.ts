// The public surface of jobs: other features import only from here (npm run lint checks).
export { JobDispatcher } from './job-dispatcher';
export type { JobContext, JobProcessor } from './job-processor';
export { JobRunner } from './job-runner';
export { JobScope } from './job-scope';
export { OutboxService } from './outbox.service';
export { QueueProcessor } from './queue-processor.decorator';
export { JOB_ABANDONED, RecoverableJobs, UnfinishedWork } from './recoverable-jobs';
export { RecurringJobScheduler } from './recurring-job';
