import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches';
import { EventsModule } from '../events';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { SitesModule } from '../sites';
import { FsmaController } from './fsma.controller';
import { FsmaService } from './fsma.service';

@Module({
  imports: [BatchesModule, ProductsModule, SitesModule, OrganizationsModule, EventsModule],
  controllers: [FsmaController],
  providers: [FsmaService],
  exports: [FsmaService],
})
export class FsmaModule {}
