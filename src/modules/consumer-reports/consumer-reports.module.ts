import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CodesModule } from '../codes';
import { FilesModule } from '../files';
import { NotificationsModule } from '../notifications';
import { ProductsModule } from '../products';
import { ConsumerReport, ConsumerReportAlert } from './consumer-report.entity';
import { ConsumerReportRoutes } from './consumer-report-routes';
import { ConsumerReportsController } from './consumer-reports.controller';
import { ConsumerReportsService } from './consumer-reports.service';

@Module({
  imports: [TypeOrmModule.forFeature([ConsumerReport, ConsumerReportAlert]), CodesModule, BatchesModule, ProductsModule, FilesModule, NotificationsModule],
  controllers: [ConsumerReportsController],
  providers: [ConsumerReportsService, ConsumerReportRoutes],
  exports: [ConsumerReportsService],
})
export class ConsumerReportsModule {}
