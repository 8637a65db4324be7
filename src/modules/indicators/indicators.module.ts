import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches';
import { CategoriesModule } from '../categories';
import { GiModule } from '../gi';
import { OrganizationsModule } from '../organizations';
import { IndicatorFoldService } from './indicator-fold.service';
import { IndicatorsController } from './indicators.controller';
import { IndicatorsService } from './indicators.service';

@Module({
  imports: [CategoriesModule, OrganizationsModule, BatchesModule, GiModule],
  controllers: [IndicatorsController],
  providers: [IndicatorsService, IndicatorFoldService],
  exports: [IndicatorsService, IndicatorFoldService],
})
export class IndicatorsModule {}
