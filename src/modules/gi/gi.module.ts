import { Module } from '@nestjs/common';
import { CsvBodyParser } from '../../common/csv-body-parser';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ScanSectionsModule } from '../scan-sections/scan-sections.module';
import { GiClaimsModule } from './gi-claims.module';
import { GiImportService } from './gi-import.service';
import { GiScanSection } from './gi-scan-section';
import { GiController } from './gi.controller';
import { GiService } from './gi.service';

@Module({
  imports: [GiClaimsModule, OrganizationsModule, ScanSectionsModule],
  controllers: [GiController],
  providers: [GiService, GiImportService, GiScanSection, CsvBodyParser],
  exports: [GiService],
})
export class GiModule {}
