import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from './config/app-config';
import { ClusterModule } from './common/cluster.module';
import { ReadReplicaModule } from './common/read-replica.module';
import { ConfigModule } from './config/config.module';
import { moduleDataSourceOptions } from './database/data-source';
import { AuditWorkerModule } from './modules/audit/audit.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { LogisticsReservationsModule } from './modules/logistics';
import { JOB_MODULES } from './job-modules';

/** The worker process: BullMQ workers for every processor, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, dataSource?: DataSource): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          useFactory: () => moduleDataSourceOptions(config, dataSource),
          // Reuse an initialised DataSource when the caller has one (embedded PGlite opens once).
          dataSourceFactory: async (options) => dataSource ?? new DataSource(options!).initialize(),
        }),
        JobsModule.forRoot(config, { runWorkers: true }),
        ClusterModule,
        // Services the jobs share with the API may read from the replica (indicators).
        ReadReplicaModule,
        AuditWorkerModule,
        // Capture jobs check mass balance: lots packed on units not yet shipped count (logistics).
        LogisticsReservationsModule,
        ...JOB_MODULES,
      ],
    };
  }
}
