import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** EPCIS documents may be large: application/ld+json bodies up to this size (application/json keeps 1 MB). */
export const EPCIS_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * Teaches the API's Fastify instance the EPCIS media type (application/ld+json). Malformed JSON
 * answers 400 MALFORMED_JSON like any other body. Does nothing in the worker (no HTTP).
 */
@Injectable()
export class EpcisBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify?.addContentTypeParser || fastify.hasContentTypeParser('application/ld+json')) return;
    fastify.addContentTypeParser('application/ld+json', { parseAs: 'string', bodyLimit: EPCIS_BODY_LIMIT }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(Object.assign(new Error('The request body is not valid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), undefined);
      }
    });
  }
}
