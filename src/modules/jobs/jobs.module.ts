import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../../config/app-config';
import { BullmqWorkerHost } from './bullmq-worker-host';
import { BullmqDispatcher, InProcessDispatcher, JobDispatcher } from './job-dispatcher';
import { JobRegistry } from './job-registry';
import { OutboxEntry } from './outbox-entry.entity';
import { OutboxService } from './outbox.service';

/**
 * Jobs: the outbox, a dispatcher (BullMQ with REDIS_URL, in-process without), and — in the
 * worker process only — the BullMQ workers.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig, options: { runWorkers: boolean }): DynamicModule {
    const dispatcher = config.redisUrl
      ? { provide: JobDispatcher, useFactory: () => new BullmqDispatcher(config) }
      : { provide: JobDispatcher, useClass: InProcessDispatcher };
    const workers = config.redisUrl && options.runWorkers ? [BullmqWorkerHost] : [];
    return {
      module: JobsModule,
      imports: [TypeOrmModule.forFeature([OutboxEntry])],
      providers: [JobRegistry, dispatcher, OutboxService, ...workers],
      exports: [JobRegistry, JobDispatcher, OutboxService],
    };
  }
}
