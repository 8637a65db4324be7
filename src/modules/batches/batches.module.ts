import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainError } from '../../../libs/errors';
import { CodesModule } from '../codes';
import { FarmInputsModule, InputApplicationsService } from '../farm-inputs';
import { GiClaimsModule } from '../gi';
import { IdempotencyModule } from '../idempotency';
import { NotificationsModule } from '../notifications';
import { ProductsModule } from '../products';
import { SitesModule } from '../sites';
import { MarkClaimsModule } from '../marks';
import { Batch } from './batch.entity';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';

@Module({
  imports: [TypeOrmModule.forFeature([Batch]), ProductsModule, SitesModule, CodesModule, IdempotencyModule, GiClaimsModule, MarkClaimsModule, NotificationsModule, FarmInputsModule],
  controllers: [BatchesController],
  providers: [BatchesService],
  exports: [BatchesService],
})
export class BatchesModule implements OnModuleInit {
  constructor(private readonly batches: BatchesService, private readonly applications: InputApplicationsService) {}

  /** Farm records listed by batch (a feature this one builds on) need to know who may read a batch. */
  onModuleInit(): void {
    this.applications.useBatchReadCheck((actor, batchId) => this.batches.findReadable(actor, batchId).then(() => true, (error: unknown) => {
      // Not readable (or not there) is a no; anything else (the database failing) is not a 404.
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return false;
      throw error;
    }));
  }
}
