import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withErrorResponses } from '../../common/api-error-codes';
import { NO_STORE, prefersJson, SCAN_EDGE, sendEdgeError } from '../scan';
import { CertificatePublicService } from './certificate-public.service';

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/**
 * /c/{token} (HTML, or JSON with Accept: application/json) and its JSON twin
 * /api/v1/certificates/verify/{token}: public, bodiless and scanned like trace labels, so they are
 * served by the lean scan edge (see scan-edge.ts), not through Nest's pipeline.
 */
@Injectable()
export class CertificatePublicRoutes implements OnModuleInit {
  constructor(
    private readonly certificates: CertificatePublicService,
    /** Absent in the CLI's application context, which serves no HTTP. */
    @Optional() @Inject(SCAN_EDGE) private readonly edge?: FastifyInstance,
  ) {}

  onModuleInit(): void {
    this.edge?.get('/c/:token', (req: TokenRequest, reply) => this.page(req, reply));
    this.edge?.get('/api/v1/certificates/verify/:token', (req: TokenRequest, reply) => this.json(req, reply));
  }

  private async page(req: TokenRequest, reply: FastifyReply) {
    try {
      reply.header('Cache-Control', NO_STORE);
      if (prefersJson(req)) return reply.send(await this.certificates.byToken(req.params.token));
      return reply.type('text/html; charset=utf-8').send(await this.certificates.pageByToken(req.params.token));
    } catch (error) {
      return sendEdgeError(error, req, reply, prefersJson(req), 'certificate');
    }
  }

  private async json(req: TokenRequest, reply: FastifyReply) {
    try {
      return reply.header('Cache-Control', NO_STORE).send(await this.certificates.byToken(req.params.token));
    } catch (error) {
      return sendEdgeError(error, req, reply, true);
    }
  }
}

export const CERTIFICATE_OPENAPI_PATHS = {
  '/c/{token}': {
    get: {
      tags: ['certificates'], summary: 'Public certificate page: the certificate as printed under a large VALID / VOIDED state (JSON with Accept: application/json)',
      parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' } }],
      responses: { 200: { description: 'The certificate' }, 404: { description: 'Unknown or malformed token (friendly page)' } },
    },
  },
  '/api/v1/certificates/verify/{token}': {
    get: {
      tags: ['certificates'], summary: 'The public certificate as JSON (status valid / voided, replacement if re-issued)',
      parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
      responses: withErrorResponses({ 200: { description: 'The certificate' }, 404: { description: '`{ code: "NOT_FOUND" }`' } }, ['NOT_FOUND']),
    },
  },
};
