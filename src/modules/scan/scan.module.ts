import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches/batches.module';
import { CodesModule } from '../codes/codes.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ProductsModule } from '../products/products.module';
import { SitesModule } from '../sites/sites.module';
import { ScanClient } from './scan-client.entity';
import { ScanEvent } from './scan-event.entity';
import { ScanRecorder } from './scan-recorder';
import { ScanController } from './scan.controller';
import { ScanRoutes } from './scan-routes';
import { ScanSections } from './scan-sections';
import { ScanService } from './scan.service';

@Module({
  imports: [TypeOrmModule.forFeature([ScanEvent, ScanClient]), CodesModule, BatchesModule, ProductsModule, SitesModule, OrganizationsModule],
  controllers: [ScanController],
  providers: [ScanService, ScanRecorder, ScanRoutes, ScanSections],
  exports: [ScanService, ScanSections],
})
export class ScanModule {}
