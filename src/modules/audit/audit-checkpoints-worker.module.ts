import { Module } from '@nestjs/common';
import { AuditCheckpointProcessor, AuditCheckpointScheduler } from './audit-checkpoint.processor';

/** The hourly checkpoint job (worker process; in-process without Redis). AuditCheckpointsService comes from the global audit module. */
@Module({ providers: [AuditCheckpointProcessor, AuditCheckpointScheduler] })
export class AuditCheckpointsWorkerModule {}
