import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CsvBodyParser } from '../../common/csv-body-parser';
import { CategoriesModule } from '../categories/categories.module';
import { LimitAnalyte } from './limit-analyte.entity';
import { LimitRow } from './limit-row.entity';
import { LimitsController } from './limits.controller';
import { LimitsService } from './limits.service';

@Module({
  imports: [TypeOrmModule.forFeature([LimitRow, LimitAnalyte]), CategoriesModule],
  controllers: [LimitsController],
  providers: [LimitsService, CsvBodyParser],
  exports: [LimitsService],
})
export class LimitsModule {}
