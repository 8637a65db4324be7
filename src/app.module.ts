import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from './config/app-config';
import { ClusterModule } from './common/cluster.module';
import { ConfigModule } from './config/config.module';
import { moduleDataSourceOptions } from './database/data-source';
import { ReadReplicaModule } from './common/read-replica.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { BatchesModule } from './modules/batches/batches.module';
import { CategoriesModule } from './modules/categories/categories.module';
import { CertificatesModule } from './modules/certificates/certificates.module';
import { GiModule } from './modules/gi/gi.module';
import { MarksModule } from './modules/marks/marks.module';
import { ConsoleModule } from './modules/console/console.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics';
import { JobsModule } from './modules/jobs/jobs.module';
import { JOB_MODULES } from './job-modules';
import { LabelsModule } from './modules/labels/labels.module';
import { LimitsModule } from './modules/limits/limits.module';
import { ListingsModule } from './modules/listings/listings.module';
import { MarketsModule } from './modules/markets/markets.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { SamplingModule } from './modules/sampling/sampling.module';
import { FsmaModule } from './modules/fsma';
import { LogisticsModule } from './modules/logistics';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { ProductsModule } from './modules/products/products.module';
import { SCAN_EDGE } from './modules/scan/scan-edge';
import { ScanModule } from './modules/scan/scan.module';
import { SitesModule } from './modules/sites/sites.module';
import { TestRecordsModule } from './modules/test-records/test-records.module';
import { EventsModule } from './modules/events/events.module';
import { EventsScanModule } from './modules/events/events-scan.module';
import { RecallsModule } from './modules/recalls/recalls.module';
import { DisposalsModule } from './modules/disposals/disposals.module';
import { InspectionsModule } from './modules/inspections/inspections.module';
import { RiskGradesModule } from './modules/risk-grades/risk-grades.module';
import { NoticesModule } from './modules/notices/notices.module';
import { ConsumerReportsModule } from './modules/consumer-reports/consumer-reports.module';
import { DashboardModule } from './modules/dashboard/dashboard.module';
import { MarketSamplingModule } from './modules/market-sampling';
import { FarmInputsModule } from './modules/farm-inputs';
import { IndicatorsModule } from './modules/indicators/indicators.module';

/** The API process. Without REDIS_URL it also runs the job processors in-process. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, dataSource?: DataSource, scanEdge?: FastifyInstance): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, scanEdge ? [{ provide: SCAN_EDGE, useValue: scanEdge }] : []),
        TypeOrmModule.forRootAsync({
          useFactory: () => moduleDataSourceOptions(config, dataSource),
          // Reuse an initialised DataSource when the caller has one (embedded PGlite opens once).
          dataSourceFactory: async (options) => dataSource ?? new DataSource(options!).initialize(),
        }),
        JobsModule.forRoot(config, { runWorkers: false }),
        ClusterModule,
        ReadReplicaModule,
        AuthModule,
        AuditModule,
        HealthModule,
        MetricsModule,
        OrganizationsModule,
        LogisticsModule,
        FsmaModule,
        CategoriesModule,
        ProductsModule,
        SitesModule,
        FarmInputsModule,
        BatchesModule,
        LabelsModule,
        ScanModule,
        TestRecordsModule,
        CertificatesModule,
        LimitsModule,
        GiModule,
        MarksModule,
        ConsoleModule,
        NotificationsModule,
        EventsModule,
        EventsScanModule,
        RecallsModule,
        DisposalsModule,
        InspectionsModule,
        RiskGradesModule,
        NoticesModule,
        ConsumerReportsModule,
        SamplingModule,
        MarketsModule,
        ListingsModule,
        IndicatorsModule,
        DashboardModule,
        MarketSamplingModule,
        // Without Redis the job processors run in this process.
        ...(config.redisUrl ? [] : JOB_MODULES),
      ],
    };
  }
}
