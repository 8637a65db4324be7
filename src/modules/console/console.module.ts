import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CategoriesModule } from '../categories';
import { CertificatesModule } from '../certificates';
import { LabelsModule } from '../labels';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { SitesModule } from '../sites';
import { TestRecordsModule } from '../test-records';
import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleAuthService } from './console-auth.service';
import { ConsoleGate } from './console-gate';
import { ConsoleInvitesController } from './console-invites.controller';
import { ConsolePagesController } from './console-pages.controller';
import { ConsoleSession } from './console-session.entity';
import { ConsoleSubmission } from './console-submission.entity';
import { ConsoleSubmissionsService } from './console-submissions.service';
import { ConsoleUser } from './console-user.entity';

/**
 * The cooperative console: server-rendered pages under /app for people (sessions, not keys). Form
 * bodies (application/x-www-form-urlencoded) are parsed by Nest's Fastify adapter (@fastify/formbody).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ConsoleUser, ConsoleSession, ConsoleSubmission]),
    OrganizationsModule, ProductsModule, SitesModule, CategoriesModule, BatchesModule, LabelsModule, CertificatesModule, TestRecordsModule,
  ],
  controllers: [ConsoleAuthController, ConsolePagesController, ConsoleInvitesController],
  providers: [ConsoleAuthService, ConsoleGate, ConsoleSubmissionsService],
  exports: [ConsoleAuthService, ConsoleGate],
})
export class ConsoleModule {}
