import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches/batches.module';
import { FilesModule } from '../files/files.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ProductsModule } from '../products/products.module';
import { ScanSectionsModule } from '../scan-sections/scan-sections.module';
import { SitesModule } from '../sites/sites.module';
import { TestRecordsModule } from '../test-records/test-records.module';
import { Certificate, CertificateSequence } from './certificate.entity';
import { CertificateCollection } from './certificate-collection.entity';
import { CertificateLedger } from './certificate-ledger.entity';
import { CertificateCollectionsController } from './certificate-collections.controller';
import { CertificateCollectionsService } from './certificate-collections.service';
import { CertificateDocuments } from './certificate-documents';
import { CertificateGapsService } from './certificate-gaps.service';
import { CertificatePublicRoutes } from './certificate-public-routes';
import { CertificatePublicService } from './certificate-public.service';
import { CertificatesController } from './certificates.controller';
import { CertificatesSection } from './certificates-section';
import { CertificatesService } from './certificates.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Certificate, CertificateSequence, CertificateCollection, CertificateLedger]),
    BatchesModule, ProductsModule, SitesModule, OrganizationsModule, TestRecordsModule, IdempotencyModule, FilesModule, ScanSectionsModule, NotificationsModule,
  ],
  controllers: [CertificatesController, CertificateCollectionsController],
  providers: [
    CertificatesService, CertificateCollectionsService, CertificateGapsService, CertificateDocuments,
    CertificatePublicService, CertificatePublicRoutes, CertificatesSection,
  ],
  exports: [CertificatesService, CertificateCollectionsService, CertificateDocuments, CertificateGapsService],
})
export class CertificatesModule {}
