import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations';
import { ScanSectionsModule } from '../scan-sections';
import { MarkClaimsModule } from './mark-claims.module';
import { MarksImportService } from './marks-import.service';
import { MarksScanSection } from './marks-scan-section';
import { MarksController } from './marks.controller';
import { MarksService } from './marks.service';

@Module({
  imports: [MarkClaimsModule, OrganizationsModule, ScanSectionsModule],
  controllers: [MarksController],
  providers: [MarksService, MarksImportService, MarksScanSection],
  exports: [MarksService],
})
export class MarksModule {}
