import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { IdempotencyModule } from '../idempotency';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { SitesModule } from '../sites';
import { CaptureJob } from './capture-job.entity';
import { CaptureService } from './capture.service';
import { EpcisSchemaWarmup } from './epcis-schema-warmup';
import { EpcisEventRecord } from './epcis-event.entity';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { LotGraphService } from './lot-graph.service';
import { LotLink } from './lot-link.entity';
import { Shipment } from './shipment.entity';
import { SupplyChainController } from './supply-chain.controller';
import { SupplyChainService } from './supply-chain.service';
import { UnitMovementsService } from './unit-movements.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([EpcisEventRecord, LotLink, Shipment, CaptureJob]),
    BatchesModule, ProductsModule, SitesModule, OrganizationsModule, IdempotencyModule,
  ],
  controllers: [EventsController, SupplyChainController],
  providers: [EventsService, CaptureService, LotGraphService, SupplyChainService, UnitMovementsService, EpcisSchemaWarmup],
  exports: [EventsService, SupplyChainService, CaptureService, UnitMovementsService],
})
export class EventsModule {}
