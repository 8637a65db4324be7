import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { ConsoleModule } from '../console/console.module';
import { EventsModule } from '../events/events.module';
import { IndicatorsModule } from '../indicators/indicators.module';
import { DashboardExportsController } from './dashboard-exports.controller';
import { DashboardFilterReader } from './dashboard-filter-reader';
import { DashboardListsService } from './dashboard-lists.service';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/** The regulator dashboard: console pages over the indicators, drill-down lists and exports. */
@Module({
  imports: [ConsoleModule, CertificatesModule, CategoriesModule, IndicatorsModule, EventsModule],
  controllers: [DashboardController, DashboardExportsController],
  providers: [DashboardService, DashboardListsService, DashboardFilterReader],
})
export class DashboardModule {}
