import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CategoriesModule } from '../categories';
import { CertificatesModule } from '../certificates';
import { CodesModule } from '../codes';
import { IdempotencyModule } from '../idempotency';
import { NotificationsModule } from '../notifications';
import { OrganizationsModule } from '../organizations';
import { SamplingModule } from '../sampling';
import { MarketEntriesService } from './market-entries.service';
import { MarketPublicController } from './market-public.controller';
import { MarketPublicService } from './market-public.service';
import { MarketEntry, MarketEntryItem } from './market-entry.entity';
import { MarketSeller } from './market-seller.entity';
import { MarketSellersService } from './market-sellers.service';
import { MarketStall } from './market-stall.entity';
import { MarketEntriesController, MarketSellersController, MarketStallsController } from './markets.controller';

export const MARKET_ENTITIES = [MarketSeller, MarketStall, MarketEntry, MarketEntryItem];

/** Markets (入场查验): seller files, stalls with their public code, gate entries and their checks. */
@Module({
  imports: [
    TypeOrmModule.forFeature(MARKET_ENTITIES), OrganizationsModule, CertificatesModule, CategoriesModule, CodesModule, BatchesModule,
    NotificationsModule, SamplingModule, IdempotencyModule,
  ],
  controllers: [MarketSellersController, MarketStallsController, MarketEntriesController, MarketPublicController],
  providers: [MarketSellersService, MarketEntriesService, MarketPublicService],
  exports: [MarketSellersService, MarketEntriesService],
})
export class MarketsModule {}
