import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CategoriesModule } from '../categories';
import { CertificatesModule } from '../certificates';
import { EventsModule } from '../events';
import { GiModule } from '../gi';
import { FarmInputsModule } from '../farm-inputs';
import { LabelsModule } from '../labels';
import { ListingsModule } from '../listings';
import { MarketsModule } from '../markets';
import { MarksModule } from '../marks';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { RecallsModule } from '../recalls';
import { SamplingModule } from '../sampling';
import { SitesModule } from '../sites';
import { TestRecordsModule } from '../test-records';
import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleAuthService } from './console-auth.service';
import { ConsoleGate } from './console-gate';
import { ConsoleInvitesController } from './console-invites.controller';
import { ConsoleCertificatesController } from './console-certificates.controller';
import { ConsoleHomeController } from './console-home.controller';
import { ConsoleUsersController } from './console-users.controller';
import { CooperativeBatchesController } from './cooperative-batches.controller';
import { CooperativeCatalogController } from './cooperative-catalog.controller';
import { CooperativeFarmController } from './cooperative-farm.controller';
import { CooperativeLabelsController } from './cooperative-labels.controller';
import { CooperativeListingsController } from './cooperative-listings.controller';
import { CooperativeMarksController } from './cooperative-marks.controller';
import { MarketGateController } from './market-gate.controller';
import { PurchaserCollectController } from './purchaser-collect.controller';
import { LabSamplesController } from './lab-samples.controller';
import { RegulatorGiController } from './regulator-gi.controller';
import { RegulatorMarksController } from './regulator-marks.controller';
import { RegulatorSamplingController } from './regulator-sampling.controller';
import { RegulatorSupervisionController } from './regulator-supervision.controller';
import { ShipmentsController } from './shipments.controller';
import { CooperativeBatchActionsController } from './cooperative-batch-actions.controller';
import { ConsoleSession } from './console-session.entity';
import { ConsoleSubmission } from './console-submission.entity';
import { ConsoleSubmissionsService } from './console-submissions.service';
import { ConsoleUser } from './console-user.entity';
import { ConsoleWebhooksController } from './console-webhooks.controller';
import { NotificationsModule } from '../notifications';

/**
 * The cooperative console: server-rendered pages under /app for people (sessions, not keys). Form
 * bodies (application/x-www-form-urlencoded) are parsed by Nest's Fastify adapter (@fastify/formbody).
 */
import { FsmaModule } from '../fsma';
import { LogisticsModule } from '../logistics';
import { LogisticsConsoleController } from './logistics-console.controller';
@Module({
  imports: [
    TypeOrmModule.forFeature([ConsoleUser, ConsoleSession, ConsoleSubmission]),
    OrganizationsModule, ProductsModule, SitesModule, CategoriesModule, BatchesModule, LabelsModule, CertificatesModule, TestRecordsModule,
    MarketsModule, ListingsModule, SamplingModule, RecallsModule, EventsModule, GiModule, MarksModule, FarmInputsModule,
    LogisticsModule, FsmaModule, NotificationsModule,
  ],
  // One controller per workspace (cooperative, purchaser, market, lab, regulator, users), each with only the services it uses.
  controllers: [
    ConsoleAuthController, ConsoleInvitesController, ConsoleUsersController, ConsoleHomeController,
    CooperativeCatalogController, CooperativeFarmController, CooperativeBatchesController, CooperativeLabelsController, ConsoleCertificatesController, PurchaserCollectController,
    CooperativeListingsController, CooperativeMarksController, MarketGateController,
    LabSamplesController, RegulatorSamplingController, RegulatorSupervisionController, RegulatorMarksController, RegulatorGiController, ShipmentsController, CooperativeBatchActionsController,
    LogisticsConsoleController,
    ConsoleWebhooksController,
  ],
  providers: [ConsoleAuthService, ConsoleGate, ConsoleSubmissionsService],
  exports: [ConsoleAuthService, ConsoleGate],
})
export class ConsoleModule {}
