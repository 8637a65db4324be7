import type { Type } from '@nestjs/common';
import { AuditCheckpointsWorkerModule } from './modules/audit/audit-checkpoints-worker.module';
import { EventsWorkerModule } from './modules/events/events-worker.module';
import { InspectionsWorkerModule } from './modules/inspections/inspections-worker.module';
import { IndicatorsWorkerModule } from './modules/indicators/indicators-worker.module';
import { LabelsWorkerModule } from './modules/labels/labels-worker.module';
import { ListingsWorkerModule } from './modules/listings/listings-worker.module';
import { NotificationsWorkerModule } from './modules/notifications/notifications-worker.module';
import { RiskGradesWorkerModule } from './modules/risk-grades/risk-grades-worker.module';
import { RecallsWorkerModule } from './modules/recalls/recalls-worker.module';
import { ConsumerReportsWorkerModule } from './modules/consumer-reports/consumer-reports-worker.module';
import { SamplingWorkerModule } from './modules/sampling/sampling-worker.module';
import { ScanPartitionsWorkerModule } from './modules/scan/scan-partitions';

/**
 * The modules whose @QueueProcessor providers run the jobs: the one list, loaded by the worker
 * process and by the API in embedded mode (no Redis). The jobs-sweep processor lives in JobsModule.
 * A queue without a processor here (or with two) fails boot (JobRegistry).
 */
export const JOB_MODULES: readonly Type[] = [
  LabelsWorkerModule,
  NotificationsWorkerModule,
  EventsWorkerModule,
  SamplingWorkerModule,
  IndicatorsWorkerModule,
  AuditCheckpointsWorkerModule,
  RecallsWorkerModule,
  InspectionsWorkerModule,
  RiskGradesWorkerModule,
  ConsumerReportsWorkerModule,
  ScanPartitionsWorkerModule,
  ListingsWorkerModule,
];
