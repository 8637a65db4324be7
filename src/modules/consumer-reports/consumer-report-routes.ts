import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTraceCodeFormat } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { BatchesService } from '../batches';
import { TraceCodesService } from '../codes';
import { ProductsService } from '../products';
import { NO_STORE, SCAN_EDGE, sendEdgeError } from '../scan';
import { ConsumerReportsService } from './consumer-reports.service';
import { followUpPage, REPORT_SCRIPT_PATH, reportFormPage } from './views/report-pages';
import { REPORT_SCRIPT } from './views/report-script';

type CodeRequest = FastifyRequest<{ Params: { code: string } }>;
type FollowUpRequest = FastifyRequest<{ Params: { code: string; token: string } }>;

/**
 * The consumer's side of 问题反馈, beside the scan page on the lean scan edge (same rate limit and
 * headers): the form for a code, its script, and the reporter's follow-up page. The report itself
 * is posted to POST /api/v1/consumer-reports.
 */
@Injectable()
export class ConsumerReportRoutes implements OnModuleInit {
  constructor(
    private readonly reports: ConsumerReportsService,
    private readonly codes: TraceCodesService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    /** Absent in the CLI's application context, which serves no HTTP. */
    @Optional() @Inject(SCAN_EDGE) private readonly edge?: FastifyInstance,
  ) {}

  onModuleInit(): void {
    this.edge?.get(REPORT_SCRIPT_PATH, (_req, reply) => reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(REPORT_SCRIPT));
    this.edge?.get('/t/:code/feedback', (req: CodeRequest, reply) => this.form(req, reply));
    this.edge?.get('/t/:code/feedback/:token', (req: FollowUpRequest, reply) => this.followUp(req, reply));
  }

  private async form(req: CodeRequest, reply: FastifyReply) {
    try {
      const code = req.params.code;
      const traceCode = isTraceCodeFormat(code) ? await this.codes.findByCode(code) : null;
      const batch = traceCode ? await this.batches.byId(traceCode.batchId) : null;
      const product = batch ? await this.products.byId(batch.productId) : null;
      if (!product) throw new DomainError('NOT_FOUND', 'Unknown trace code');
      return reply.header('Cache-Control', NO_STORE).type('text/html; charset=utf-8').send(reportFormPage(code, product.name, this.reports.consent()));
    } catch (error) {
      return sendEdgeError(error, req, reply, false);
    }
  }

  private async followUp(req: FollowUpRequest, reply: FastifyReply) {
    try {
      const view = await this.reports.followUp(req.params.code, req.params.token);
      // The link is the reporter's key: no referrer leaves it, no cache keeps it.
      return reply.header('Cache-Control', NO_STORE).header('Referrer-Policy', 'no-referrer').type('text/html; charset=utf-8').send(followUpPage(view));
    } catch (error) {
      return sendEdgeError(error, req, reply, false);
    }
  }
}
