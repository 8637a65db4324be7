import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { FilesModule } from '../files';
import { IdempotencyModule } from '../idempotency';
import { SamplingModule } from '../sampling';
import { Disposal } from './disposal.entity';
import { DisposalsController } from './disposals.controller';
import { DisposalsService } from './disposals.service';

@Module({
  imports: [TypeOrmModule.forFeature([Disposal]), BatchesModule, SamplingModule, FilesModule, IdempotencyModule],
  controllers: [DisposalsController],
  providers: [DisposalsService],
  exports: [DisposalsService],
})
export class DisposalsModule {}
