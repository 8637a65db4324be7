import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MAX_CSV_BYTES } from '../../libs/csv';

/**
 * Lets the API's Fastify instance read `text/csv` bodies as a string (it reads JSON and text/plain
 * only), up to the CSV reader's size limit: official tables and authorisation lists run to tens of
 * thousands of rows. Provided by every module with a CSV import route; registers once. Does
 * nothing in the worker (no HTTP).
 */
@Injectable()
export class CsvBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_CSV_BYTES }, (_request, body, done) => done(null, body));
  }
}
