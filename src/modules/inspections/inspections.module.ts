import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar';
import { FilesModule } from '../files';
import { IdempotencyModule } from '../idempotency';
import { NotificationsModule } from '../notifications';
import { OrganizationsModule } from '../organizations';
import { SitesModule } from '../sites';
import { ConsoleModule } from '../console';
import { InspectionsConsoleController } from './inspections-console.controller';
import { InspectionTemplatesService } from './inspection-templates.service';
import { Inspection, InspectionCoverageMark, InspectionFinding, InspectionFrequencyRule, InspectionTemplate } from './inspection.entity';
import { InspectionsController } from './inspections.controller';
import { InspectionsService } from './inspections.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([InspectionTemplate, Inspection, InspectionFinding, InspectionCoverageMark, InspectionFrequencyRule]),
    OrganizationsModule, SitesModule, CalendarModule, FilesModule, IdempotencyModule, NotificationsModule, ConsoleModule,
  ],
  controllers: [InspectionsController, InspectionsConsoleController],
  providers: [InspectionsService, InspectionTemplatesService],
  exports: [InspectionsService, InspectionTemplatesService],
})
export class InspectionsModule {}
