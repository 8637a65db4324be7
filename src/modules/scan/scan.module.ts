import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CodesModule } from '../codes';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { ScanSectionsModule } from '../scan-sections';
import { SitesModule } from '../sites';
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
  exports: [ScanService, ScanRecorder],
})
export class ScanModule {}
