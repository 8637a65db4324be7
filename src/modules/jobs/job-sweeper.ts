import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobDispatcher, JobFate } from './job-dispatcher';
import { JobRegistry } from './job-registry';
import { OutboxService } from './outbox.service';
import type { RecoverableJobs, UnfinishedWork } from './recoverable-jobs';

/** Unfinished rows looked at per job kind and sweep (oldest first; the next sweep takes the rest). */
const SWEEP_BATCH = 500;

export interface SweepOutcome {
  requeued: number;
  failed: number;
}

/**
 * Finds work whose job is lost — BullMQ failed it after repeated stalls (a worker killed while
 * running it) or after its retries, or the process running it in-process stopped — and queues it
 * again under a new job id, at most JOB_MAX_REQUEUES times; then fails the work with the reason.
 * Safe to run in several places at once: a requeue is taken by one sweep only (the recovery row's
 * current job id), job ids are derived from the work, and processors are idempotent.
 */
@Injectable()
export class JobSweeper {
  private readonly logger = new Logger('Sweeper');
  private running?: Promise<SweepOutcome>;

  constructor(
    private readonly registry: JobRegistry,
    private readonly outbox: OutboxService,
    private readonly dispatcher: JobDispatcher,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One sweep at a time in this process: a tick that comes while one runs shares its outcome. */
  sweep(): Promise<SweepOutcome> {
    this.running ??= this.sweepAll().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async sweepAll(): Promise<SweepOutcome> {
    const outcome: SweepOutcome = { requeued: 0, failed: 0 };
    for (const kind of this.registry.recoverables()) {
      for (const work of await kind.unfinished(SWEEP_BATCH)) {
        try {
          const done = await this.recover(kind, work);
          if (done) outcome[done]++;
        } catch (error) {
          this.logger.warn({ msg: 'could not check a job; the next sweep tries again', queue: kind.queue, jobId: work.jobId, error: String(error) });
        }
      }
    }
    return outcome;
  }

  private async recover(kind: RecoverableJobs, work: UnfinishedWork): Promise<keyof SweepOutcome | undefined> {
    const [recovery] = await this.dataSource.query(
      'SELECT current_job_id AS "jobId", requeues FROM job_recoveries WHERE queue = $1 AND base_job_id = $2', [kind.queue, work.jobId],
    ) as { jobId: string; requeues: number }[];
    const jobId = recovery?.jobId ?? work.jobId;
    const requeues = recovery?.requeues ?? 0;
    const fate = await this.fate(kind.queue, jobId);
    if (fate.state !== 'lost') return undefined;
    // The job may have finished between the listing and the fate check (a job leaves its dispatcher
    // only after its work committed): only work that is still unfinished now was lost. Rare path.
    if (!(await kind.unfinished(SWEEP_BATCH)).some((w) => w.entityId === work.entityId)) return undefined;
    if (requeues >= this.config.jobs.maxRequeues) {
      const reason = `Given up after its job was lost ${requeues + 1} times (a worker crashed or was killed while running it, or it kept failing); last cause: ${fate.cause}`;
      if (!(await kind.giveUp(work.entityId, reason.slice(0, 500)))) return undefined;
      this.logger.warn({ msg: 'gave up a lost job', queue: kind.queue, jobId, reason });
      return 'failed';
    }
    const next = `${work.jobId}-requeue-${requeues + 1}`;
    const taken = await this.dataSource.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO job_recoveries (queue, base_job_id, current_job_id, requeues, last_cause) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (queue, base_job_id) DO UPDATE
           SET current_job_id = EXCLUDED.current_job_id, requeues = EXCLUDED.requeues, last_cause = EXCLUDED.last_cause, updated_at = now()
           WHERE job_recoveries.current_job_id = $6
         RETURNING requeues`,
        [kind.queue, work.jobId, next, requeues + 1, fate.cause.slice(0, 500), jobId],
      ) as unknown[];
      // Nothing returned: another sweep requeued it first.
      if (rows.length === 0) return false;
      await this.outbox.add(m, kind.queue, next, work.payload as never);
      return true;
    });
    if (!taken) return undefined;
    void this.outbox.poke();
    this.logger.warn({ msg: 'requeued a lost job', queue: kind.queue, jobId: next, cause: fate.cause });
    return 'requeued';
  }

  private async fate(queue: string, jobId: string): Promise<JobFate> {
    const dispatched = await this.outbox.dispatched(jobId);
    // Still waiting for the relay (Redis down, say): not lost, only late.
    if (dispatched === null) return { state: 'live' };
    if (dispatched === undefined) return { state: 'lost', cause: 'no job was recorded for it' };
    return this.dispatcher.fate(queue, jobId, dispatched);
  }
}
