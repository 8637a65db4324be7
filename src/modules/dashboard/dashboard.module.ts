import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories';
import { CertificatesModule } from '../certificates';
import { ConsoleModule } from '../console';
import { EventsModule } from '../events';
import { FarmInputsModule } from '../farm-inputs';
import { IndicatorsModule } from '../indicators';
import { MarketSamplingModule } from '../market-sampling';
import { OrganizationsModule } from '../organizations';
import { DashboardExportsController } from './dashboard-exports.controller';
import { DashboardFilterReader } from './dashboard-filter-reader';
import { DashboardListsService } from './dashboard-lists.service';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/** The regulator dashboard: console pages over the indicators, drill-down lists and exports. */
@Module({
  imports: [ConsoleModule, CertificatesModule, CategoriesModule, IndicatorsModule, EventsModule, FarmInputsModule, OrganizationsModule, MarketSamplingModule],
  controllers: [DashboardController, DashboardExportsController],
  providers: [DashboardService, DashboardListsService, DashboardFilterReader],
})
export class DashboardModule {}
