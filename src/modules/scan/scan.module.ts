import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches/batches.module';
import { CodesModule } from '../codes/codes.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ProductsModule } from '../products/products.module';
import { ScanSectionsModule } from '../scan-sections/scan-sections.module';
import { SitesModule } from '../sites/sites.module';
import { ScanClient } from './scan-client.entity';
import { ScanEvent } from './scan-event.entity';
import { ScanRecorder } from './scan-recorder';
import { ScanController } from './scan.controller';
import { ScanRoutes } from './scan-routes';
import { ScanService } from './scan.service';

@Module({
  imports: [TypeOrmModule.forFeature([ScanEvent, ScanClient]), CodesModule, BatchesModule, ProductsModule, SitesModule, OrganizationsModule, ScanSectionsModule],
  controllers: [ScanController],
  providers: [ScanService, ScanRecorder, ScanRoutes],
  exports: [ScanService],
})
export class ScanModule {}
