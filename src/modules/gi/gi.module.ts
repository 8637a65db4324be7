import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations';
import { ScanSectionsModule } from '../scan-sections';
import { GiClaimsModule } from './gi-claims.module';
import { GiImportService } from './gi-import.service';
import { GiScanSection } from './gi-scan-section';
import { GiController } from './gi.controller';
import { GiService } from './gi.service';

@Module({
  imports: [GiClaimsModule, OrganizationsModule, ScanSectionsModule],
  controllers: [GiController],
  providers: [GiService, GiImportService, GiScanSection],
  exports: [GiService],
})
export class GiModule {}
