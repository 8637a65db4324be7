import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CodesModule } from '../codes';
import { FilesModule } from '../files';
import { IdempotencyModule } from '../idempotency';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { MarkClaimsModule } from '../marks';
import { LabelRender } from './label-render.entity';
import { LabelRenderer } from './label-renderer';
import { LabelsController } from './labels.controller';
import { LabelsService } from './labels.service';
import { PrintRun } from './print-run.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([PrintRun, LabelRender]),
    BatchesModule, ProductsModule, OrganizationsModule, CodesModule, FilesModule, IdempotencyModule, MarkClaimsModule,
  ],
  controllers: [LabelsController],
  providers: [LabelsService, LabelRenderer],
  exports: [LabelRenderer, LabelsService],
})
export class LabelsModule {}
