import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobPayloads, QUEUES, RETRY_POLICY } from '../../../libs/queues';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { JobProcessor } from '../jobs';
import { JobRunner, QueueProcessor, RecurringJobScheduler } from '../jobs';

export interface PartitionMaintenance {
  created: string[];
  dropped: string[];
  deletedFromDefault: number;
}

/**
 * scan_events is partitioned by month (migration PartitionedScansAndCodes): this keeps
 * SCAN_PARTITIONS_AHEAD months made ahead and, with SCAN_RETENTION_MONTHS > 0, drops the months
 * past it (epcis_events by month of record_time and audit_log by month of `at` get their months made ahead too and keep them all) — a dropped partition is gone at once, with no DELETE or VACUUM over billions of rows.
 * The work is the SQL function scan_events_maintain (one maintainer at a time, advisory lock).
 */
@Injectable()
export class ScanPartitions {
  private readonly logger = new Logger('ScanPartitions');

  constructor(@InjectDataSource() private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async maintain(now?: Date): Promise<PartitionMaintenance> {
    const result = await this.dataSource.transaction(async (m) => {
      // The function reads the month from now(): a test (or a catch-up run) may pin it.
      if (now) await m.query("SELECT set_config('scan_partitions.now', $1, true)", [now.toISOString()]);
      const [{ scans }] = await m.query('SELECT scan_events_maintain($1, $2) AS scans', [this.config.scanPartitionsAhead, this.config.scanRetentionMonths]) as { scans: PartitionMaintenance }[];
      // EPCIS events (by month of record_time) and audit entries (by month of `at`) are kept: months are made ahead, none dropped.
      const [{ events, audit }] = await m.query(
        `SELECT month_partitions_make('epcis_events', 'record_time', $1, $2) AS events, month_partitions_make('audit_log', 'at', $1, $2) AS audit`,
        [this.config.scanPartitionsAhead, now?.toISOString() ?? null]) as { events: string[]; audit: string[] }[];
      return { ...scans, created: [...scans.created, ...events, ...audit] };
    });
    if (result.created.length || result.dropped.length || result.deletedFromDefault) this.logger.log({ msg: 'scan_events partitions maintained', ...result });
    return result;
  }
}

@QueueProcessor(QUEUES.scanPartitions)
export class ScanPartitionsProcessor implements JobProcessor<'scan-partitions'> {
  readonly queue = QUEUES.scanPartitions;
  constructor(private readonly partitions: ScanPartitions) {}
  async process(_payload: JobPayloads['scan-partitions']): Promise<void> {
    await this.partitions.maintain();
  }
}

/** Daily at 03:10 China time (partitions are made months ahead, so a missed day changes nothing). */
@Injectable()
export class ScanPartitionsScheduler extends RecurringJobScheduler<'scan-partitions'> {
  constructor(@Inject(APP_CONFIG) config: AppConfig, runner: JobRunner) {
    super(config, runner, QUEUES.scanPartitions, {
      key: 'scan-partitions', repeat: { pattern: '10 3 * * *', tz: 'Asia/Shanghai' }, embeddedEveryMs: 86_400_000,
      jobOptions: { attempts: RETRY_POLICY.attempts, backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs }, removeOnComplete: 10, removeOnFail: 100 },
    }, {});
  }
}

/** The partition job: loaded by the worker process, and by the API in embedded mode. */
@Module({ providers: [ScanPartitions, ScanPartitionsProcessor, ScanPartitionsScheduler], exports: [ScanPartitions] })
export class ScanPartitionsWorkerModule {}
