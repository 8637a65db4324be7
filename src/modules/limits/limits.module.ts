import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { CategoriesModule } from '../categories/categories.module';
import { LimitAnalyte } from './limit-analyte.entity';
import { LimitRow } from './limit-row.entity';
import { LimitsController } from './limits.controller';
import { LimitsService } from './limits.service';

/** Official tables run to tens of thousands of rows: CSV bodies may be larger than JSON ones. */
const CSV_BODY_LIMIT = 32 * 1024 * 1024;

@Module({
  imports: [TypeOrmModule.forFeature([LimitRow, LimitAnalyte]), CategoriesModule],
  controllers: [LimitsController],
  providers: [LimitsService],
  exports: [LimitsService],
})
export class LimitsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Lets the HTTP server read `text/csv` bodies as a string (Fastify reads JSON and text/plain). */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => done(null, body));
  }
}
