import { Inject, Injectable } from '@nestjs/common';
import { JobPayloads, QUEUES, RETRY_POLICY } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs';
import { QueueProcessor } from '../jobs';
import { JobRunner } from '../jobs';
import { JOB_ABANDONED, RecoverableJobs, UnfinishedWork } from '../jobs';
import { RecurringJobScheduler } from '../jobs';
import { judgeJobId } from './sample.entity';
import { SampleConsequencesService } from './sample-consequences.service';
import { SampleJudgingService } from './sample-judging.service';
import { SamplingPlansService } from './sampling-plans.service';
import { todayInChina } from '../../common/dates';

@QueueProcessor(QUEUES.samplingJudge)
export class SampleJudgeProcessor implements JobProcessor<'sampling-judge'>, RecoverableJobs<'sampling-judge'> {
  readonly queue = QUEUES.samplingJudge;
  constructor(private readonly judging: SampleJudgingService) {}
  async process(payload: JobPayloads['sampling-judge']): Promise<void> {
    await this.judging.judgeChunk(payload.chunkId);
  }
  async unfinished(limit: number): Promise<UnfinishedWork<'sampling-judge'>[]> {
    const chunks = await this.judging.unfinishedChunks(limit);
    return chunks.map((chunkId) => ({ entityId: chunkId, jobId: judgeJobId(chunkId), payload: { chunkId } }));
  }
  giveUp(chunkId: string, reason: string): Promise<boolean> {
    return this.judging.giveUp(chunkId, `${JOB_ABANDONED}: ${reason}`.slice(0, 500));
  }
}

@QueueProcessor(QUEUES.samplingConsequence)
export class SampleConsequenceProcessor implements JobProcessor<'sampling-consequence'> {
  readonly queue = QUEUES.samplingConsequence;
  constructor(private readonly consequences: SampleConsequencesService) {}
  process(payload: JobPayloads['sampling-consequence']): Promise<void> {
    return this.consequences.run(payload.sampleId, payload.step);
  }
}

@QueueProcessor(QUEUES.samplingSchedule)
export class SamplingScheduleProcessor implements JobProcessor<'sampling-schedule'> {
  readonly queue = QUEUES.samplingSchedule;
  constructor(private readonly plans: SamplingPlansService) {}
  async process(payload: JobPayloads['sampling-schedule']): Promise<void> {
    await this.plans.generateDue(payload.on ?? todayInChina());
  }
}

/** Daily at 00:10 China time, and hourly in embedded mode: generate the tasks of periods that have started. */
const SCHEDULE_PATTERN = '10 0 * * *';
const EMBEDDED_INTERVAL_MS = 3_600_000;

@Injectable()
export class SamplingScheduler extends RecurringJobScheduler<'sampling-schedule'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, runner: JobRunner) {
    super(config, runner, QUEUES.samplingSchedule, {
      key: 'sampling-periods', repeat: { pattern: SCHEDULE_PATTERN, tz: 'Asia/Shanghai' }, embeddedEveryMs: EMBEDDED_INTERVAL_MS,
      jobOptions: { attempts: RETRY_POLICY.attempts, backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs } },
    }, {});
  }
}
