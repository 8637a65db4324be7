import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches/batches.module';
import { CodesModule } from '../codes/codes.module';
import { FilesModule } from '../files/files.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MarkClaimsModule } from '../marks';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ProductsModule } from '../products/products.module';
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
