import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { EventsModule } from '../events';
import { IdempotencyModule } from '../idempotency';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { LogisticsReservationsModule } from './logistics-reservations.module';
import { LogisticsController } from './logistics.controller';
import { LogisticsService } from './logistics.service';
import { Sscc, SsccContent, SsccCounter } from './sscc.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Sscc, SsccCounter, SsccContent]), OrganizationsModule, EventsModule, IdempotencyModule, BatchesModule, ProductsModule, LogisticsReservationsModule],
  controllers: [LogisticsController],
  providers: [LogisticsService],
  exports: [LogisticsService],
})
export class LogisticsModule {}
