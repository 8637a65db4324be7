import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CategoriesModule } from '../categories';
import { LimitsModule } from '../limits';
import { ScanSectionsModule } from '../scan-sections';
import { SitesModule } from '../sites';
import { FarmInput } from './farm-input.entity';
import { FarmInputsController } from './farm-inputs.controller';
import { FarmInputsService } from './farm-inputs.service';
import { FarmRecordsSection } from './farm-records-section';
import { InputApplication } from './input-application.entity';
import { InputApplicationsController } from './input-applications.controller';
import { InputApplicationsService } from './input-applications.service';
import { PhiGateRecord } from './phi-gate-record.entity';
import { PhiGateService } from './phi-gate.service';
import { PhiOverride } from './phi-override.entity';

@Module({
  imports: [TypeOrmModule.forFeature([FarmInput, InputApplication, PhiGateRecord, PhiOverride]), CategoriesModule, LimitsModule, SitesModule, ScanSectionsModule],
  controllers: [FarmInputsController, InputApplicationsController],
  providers: [FarmInputsService, InputApplicationsService, PhiGateService, FarmRecordsSection],
  exports: [FarmInputsService, InputApplicationsService, PhiGateService],
})
export class FarmInputsModule {}
