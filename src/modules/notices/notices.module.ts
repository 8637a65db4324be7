import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches';
import { DisposalsModule } from '../disposals';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { RecallsModule } from '../recalls';
import { SamplingModule } from '../sampling';
import { ScanSectionsModule } from '../scan-sections';
import { NoticesController } from './notices.controller';
import { NoticesService } from './notices.service';
import { RecallNoticeSection } from './recall-notice-section';

@Module({
  imports: [SamplingModule, RecallsModule, DisposalsModule, OrganizationsModule, BatchesModule, ProductsModule, ScanSectionsModule],
  controllers: [NoticesController],
  providers: [NoticesService, RecallNoticeSection],
})
export class NoticesModule {}
