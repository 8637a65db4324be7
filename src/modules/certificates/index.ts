// The public surface of certificates: other features import only from here (npm run lint checks).
export { CertificateCollectionsService } from './certificate-collections.service';
export type { CertificateFacts, CheckedCollection, CollectionCheck, CollectionView } from './certificate-collections.service';
export { CertificateDocuments } from './certificate-documents';
export { CertificateGapsService } from './certificate-gaps.service';
export type { GapBatch } from './certificate-gaps.service';
export { CertificatesModule } from './certificates.module';
export { CertificatesService } from './certificates.service';
export type { CertificateView } from './certificates.service';
export { CollectCertificateDto } from './dto/collect-certificate.dto';
export { IssueCertificateDto, ReissueCertificateDto, VoidCertificateDto } from './dto/issue-certificate.dto';
export { CertificatePdfQueryDto } from './dto/list-certificates.dto';
