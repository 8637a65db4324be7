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
import { ConsoleReportsController } from './console-reports.controller';
import { ConsoleModule } from '../console';
import { ConsumerReportsService } from './consumer-reports.service';

@Module({
  imports: [TypeOrmModule.forFeature([ConsumerReport, ConsumerReportAlert]), CodesModule, BatchesModule, ProductsModule, FilesModule, NotificationsModule, ConsoleModule],
  controllers: [ConsumerReportsController, ConsoleReportsController],
  providers: [ConsumerReportsService, ConsumerReportRoutes],
  exports: [ConsumerReportsService],
})
export class ConsumerReportsModule {}
