import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../../config/app-config';
import { BullmqWorkerHost } from './bullmq-worker-host';
import { BullmqDispatcher, InProcessDispatcher, JobDispatcher } from './job-dispatcher';
import { JobRecovery } from './job-recovery.entity';
import { JobRegistry } from './job-registry';
import { JobSweepProcessor, JobSweepScheduler } from './job-sweep.processor';
import { JobSweeper } from './job-sweeper';
import { OutboxEntry } from './outbox-entry.entity';
import { OutboxService } from './outbox.service';

/**
 * Jobs: the outbox, a dispatcher (BullMQ with REDIS_URL, in-process without), and — in the
 * worker process only — the BullMQ workers; wherever processors run, the sweeper for lost jobs.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig, options: { runWorkers: boolean }): DynamicModule {
    const dispatcher = config.redisUrl
      ? { provide: JobDispatcher, useFactory: () => new BullmqDispatcher(config) }
      : { provide: JobDispatcher, useClass: InProcessDispatcher };
    const workers = config.redisUrl && options.runWorkers ? [BullmqWorkerHost] : [];
    // The sweeper runs where the processors run: the worker process, or the API when embedded.
    const sweeper = !config.redisUrl || options.runWorkers ? [JobSweeper, JobSweepProcessor, JobSweepScheduler] : [];
    return {
      module: JobsModule,
      imports: [TypeOrmModule.forFeature([OutboxEntry, JobRecovery])],
      providers: [JobRegistry, dispatcher, OutboxService, ...workers, ...sweeper],
      exports: [JobRegistry, JobDispatcher, OutboxService],
    };
  }
}
