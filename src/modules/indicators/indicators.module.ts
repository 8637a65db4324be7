import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories';
import { IndicatorFoldService } from './indicator-fold.service';
import { IndicatorsController } from './indicators.controller';
import { IndicatorsService } from './indicators.service';

@Module({
  imports: [CategoriesModule],
  controllers: [IndicatorsController],
  providers: [IndicatorsService, IndicatorFoldService],
  exports: [IndicatorsService, IndicatorFoldService],
})
export class IndicatorsModule {}
