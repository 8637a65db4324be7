import { Module } from '@nestjs/common';
import { ScanSections } from './scan-sections';

/**
 * The registry of consumer-page sections, on its own so that features contributing a section
 * (certificates, tests, GI, supply chain) need not depend on the scan feature, which reads batches.
 */
@Module({ providers: [ScanSections], exports: [ScanSections] })
export class ScanSectionsModule {}
