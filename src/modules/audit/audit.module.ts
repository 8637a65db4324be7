import { Global, Inject, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobScope } from '../jobs';
import { AuditJobScope } from './audit-job-scope';
import { AuditContextInterceptor } from './audit-context.interceptor';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditSubscriber } from './audit.subscriber';
import { installAuditedWrites } from './audited-writes';

/** Every write through this DataSource is audited: entity events, and by-criteria and raw SQL writes (audited-writes.ts). */
function auditWrites(dataSource: DataSource, config: AppConfig): void {
  installAuditedWrites();
  // One subscriber per DataSource (an application context may be created twice on one source).
  if (!dataSource.subscribers.some((s) => s instanceof AuditSubscriber)) {
    dataSource.subscribers.push(new AuditSubscriber(() => config.auditLog));
  }
}

/** Jobs run as their own actor (the jobs module asks for this hook: it may not import audit). */
const JOB_SCOPE = { provide: JobScope, useClass: AuditJobScope };

/**
 * The audit trail: a hash-chained log of every state change. Global, so any feature can inject
 * AuditService to record domain actions; row changes are recorded by the subscriber on its own.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditCheckpointsService, JOB_SCOPE, { provide: APP_INTERCEPTOR, useClass: AuditContextInterceptor }],
  exports: [AuditService, AuditCheckpointsService, JobScope],
})
export class AuditModule {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    auditWrites(dataSource, config);
  }
}

/** The worker process: records changes (as 'worker') but serves no routes. */
@Global()
@Module({ providers: [AuditService, AuditCheckpointsService, JOB_SCOPE], exports: [AuditService, AuditCheckpointsService, JobScope] })
export class AuditWorkerModule {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    auditWrites(dataSource, config);
  }
}
