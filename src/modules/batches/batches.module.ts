import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CodesModule } from '../codes/codes.module';
import { GiClaimsModule } from '../gi/gi-claims.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MarkClaimsModule } from '../marks';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProductsModule } from '../products/products.module';
import { SitesModule } from '../sites/sites.module';
import { Batch } from './batch.entity';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';

@Module({
  imports: [TypeOrmModule.forFeature([Batch]), ProductsModule, SitesModule, CodesModule, IdempotencyModule, GiClaimsModule, MarkClaimsModule, NotificationsModule],
  controllers: [BatchesController],
  providers: [BatchesService],
  exports: [BatchesService],
})
export class BatchesModule {}
