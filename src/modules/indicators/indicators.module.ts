import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches';
import { CategoriesModule } from '../categories';
import { GiModule } from '../gi';
import { OrganizationsModule } from '../organizations';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsumerReportsModule } from '../consumer-reports';
import { SamplingModule } from '../sampling';
import { RegionPopulation } from './population.entity';
import { IndicatorFoldService } from './indicator-fold.service';
import { IndicatorsController } from './indicators.controller';
import { IndicatorsService } from './indicators.service';

@Module({
  imports: [TypeOrmModule.forFeature([RegionPopulation]), CategoriesModule, OrganizationsModule, BatchesModule, GiModule, SamplingModule, ConsumerReportsModule],
  controllers: [IndicatorsController],
  providers: [IndicatorsService, IndicatorFoldService],
  exports: [IndicatorsService, IndicatorFoldService],
})
export class IndicatorsModule {}
