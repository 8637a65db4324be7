// The public surface of jobs: other features import only from here (npm run lint checks).
export { JobDispatcher } from './job-dispatcher';
export type { JobContext, JobProcessor } from './job-processor';
export { JobRegistry } from './job-registry';
export { OutboxService } from './outbox.service';
export { JOB_ABANDONED, RecoverableJobs, UnfinishedWork } from './recoverable-jobs';
export { RecurringJobScheduler } from './recurring-job';
