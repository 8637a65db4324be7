import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ScanSectionsModule } from '../scan-sections/scan-sections.module';
import { GiClaimsModule } from './gi-claims.module';
import { GiImportService } from './gi-import.service';
import { GiScanSection } from './gi-scan-section';
import { GiController } from './gi.controller';
import { GiService } from './gi.service';

/** CSV uploads (10,000 authorisations ≈ 1 MB) may be larger than JSON bodies. */
const CSV_BODY_LIMIT = 32 * 1024 * 1024;

@Module({
  imports: [GiClaimsModule, OrganizationsModule, ScanSectionsModule],
  controllers: [GiController],
  providers: [GiService, GiImportService, GiScanSection],
  exports: [GiService],
})
export class GiModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && !fastify.hasContentTypeParser('text/csv')) {
      fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_req, body, done) => done(null, body));
    }
  }
}
