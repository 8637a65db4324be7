import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CategoriesModule } from '../categories';
import { CertificatesModule } from '../certificates';
import { IdempotencyModule } from '../idempotency';
import { NotificationsModule } from '../notifications';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { Listing, ListingAlert, ListingBatch, ListingSession } from './listing.entity';
import { ListingPublicController, ListingsController } from './listings.controller';
import { ListingsService } from './listings.service';

/** Online listings (平台销售 · 直播带货) with their public page and badge. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Listing, ListingBatch, ListingSession, ListingAlert]), ProductsModule, BatchesModule, CategoriesModule,
    CertificatesModule, NotificationsModule, OrganizationsModule, IdempotencyModule,
  ],
  controllers: [ListingsController, ListingPublicController],
  providers: [ListingsService],
  exports: [ListingsService],
})
export class ListingsModule {}
