import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { BatchesModule } from '../batches/batches.module';
import { CategoriesModule } from '../categories/categories.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { LabelsModule } from '../labels/labels.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ProductsModule } from '../products/products.module';
import { SitesModule } from '../sites/sites.module';
import { TestRecordsModule } from '../test-records/test-records.module';
import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleAuthService } from './console-auth.service';
import { ConsoleGate } from './console-gate';
import { parseForm } from './console-http';
import { ConsoleInvitesController } from './console-invites.controller';
import { ConsolePagesController } from './console-pages.controller';
import { ConsoleSession } from './console-session.entity';
import { ConsoleSubmission } from './console-submission.entity';
import { ConsoleSubmissionsService } from './console-submissions.service';
import { ConsoleUser } from './console-user.entity';

/** The cooperative console: server-rendered pages under /app for people (sessions, not keys). */
@Module({
  imports: [
    TypeOrmModule.forFeature([ConsoleUser, ConsoleSession, ConsoleSubmission]),
    OrganizationsModule, ProductsModule, SitesModule, CategoriesModule, BatchesModule, LabelsModule, CertificatesModule, TestRecordsModule,
  ],
  controllers: [ConsoleAuthController, ConsolePagesController, ConsoleInvitesController],
  providers: [ConsoleAuthService, ConsoleGate, ConsoleSubmissionsService],
  exports: [ConsoleAuthService],
})
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** HTML forms post application/x-www-form-urlencoded; the API itself only speaks JSON. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('application/x-www-form-urlencoded')) return;
    fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => {
      done(null, parseForm(String(body)));
    });
  }
}
