import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../../config/app-config';
import { BullmqWorkerHost } from './bullmq-worker-host';
import { BullmqDispatcher, InProcessDispatcher, JobDispatcher } from './job-dispatcher';
import { JobRecovery } from './job-recovery.entity';
import { JobRegistry, RUNS_PROCESSORS } from './job-registry';
import { JobRunner } from './job-runner';
import { JobSweepProcessor, JobSweepScheduler } from './job-sweep.processor';
import { JobSweeper } from './job-sweeper';
import { OutboxEntry } from './outbox-entry.entity';
import { OutboxService } from './outbox.service';

/**
 * Jobs: the outbox, a dispatcher (BullMQ with REDIS_URL, in-process without), and — in the
 * worker process only — the BullMQ workers; wherever processors run, the sweeper for lost jobs.
 * Processors are the @QueueProcessor providers of the modules in JOB_MODULES (src/job-modules.ts);
 * where they run, boot fails unless every queue has exactly one.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig, options: { runWorkers: boolean }): DynamicModule {
    const dispatcher = config.redisUrl
      ? { provide: JobDispatcher, useFactory: () => new BullmqDispatcher(config) }
      : { provide: JobDispatcher, useClass: InProcessDispatcher };
    const workers = config.redisUrl && options.runWorkers ? [BullmqWorkerHost] : [];
    // Processors run in the worker process, or in the API when embedded (no Redis); so does the sweeper.
    const runsProcessors = !config.redisUrl || options.runWorkers;
    const sweeper = runsProcessors ? [JobSweeper, JobSweepProcessor, JobSweepScheduler] : [];
    return {
      module: JobsModule,
      imports: [DiscoveryModule, TypeOrmModule.forFeature([OutboxEntry, JobRecovery])],
      providers: [
        { provide: RUNS_PROCESSORS, useValue: runsProcessors }, JobRegistry, JobRunner, dispatcher, OutboxService, ...workers, ...sweeper,
      ],
      exports: [JobRegistry, JobRunner, JobDispatcher, OutboxService],
    };
  }
}
