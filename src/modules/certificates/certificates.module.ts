import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { FarmInputsModule } from '../farm-inputs';
import { FilesModule } from '../files';
import { IdempotencyModule } from '../idempotency';
import { NotificationsModule } from '../notifications';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { ScanSectionsModule } from '../scan-sections';
import { SitesModule } from '../sites';
import { TestRecordsModule } from '../test-records';
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
    BatchesModule, ProductsModule, SitesModule, OrganizationsModule, TestRecordsModule, IdempotencyModule, FilesModule, ScanSectionsModule, NotificationsModule, FarmInputsModule,
  ],
  controllers: [CertificatesController, CertificateCollectionsController],
  providers: [
    CertificatesService, CertificateCollectionsService, CertificateGapsService, CertificateDocuments,
    CertificatePublicService, CertificatePublicRoutes, CertificatesSection,
  ],
  exports: [CertificatesService, CertificateCollectionsService, CertificateDocuments, CertificateGapsService],
})
export class CertificatesModule {}
