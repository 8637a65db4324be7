import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CertificateLayout } from '../../../libs/labels';
import { Public } from '../auth';
import { BatchesService, BatchView } from '../batches';
import type { CertificateView } from '../certificates';
import { CertificateCollectionsService, CertificateDocuments, CertificatesService, CertificatePdfQueryDto, IssueCertificateDto, ReissueCertificateDto, VoidCertificateDto } from '../certificates';
import { TestRecordsService } from '../test-records';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey, optional, toDto } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, fields, FormBody, formBody, html, redirect } from './console-http';
import { EMPTY_FORM, formState } from './views/layout';
import { certificatePage, certificatesPage, issuePage } from './views/certificate-pages';

const PURCHASER_KINDS = ['purchaser', 'market'];

/**
 * 承诺达标合格证 in both workspaces: a cooperative issues on its own basis (commitment, tests), a
 * purchaser or market on the upstream certificates it collected; voiding and the printable PDFs.
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class ConsoleCertificatesController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly batches: BatchesService,
    private readonly certificates: CertificatesService,
    private readonly documents: CertificateDocuments,
    private readonly collections: CertificateCollectionsService,
    private readonly testRecords: TestRecordsService,
  ) {}

  @Get('certificates')
  async certificateList(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    return html(reply, certificatesPage(ctx, (await this.certificates.list(ctx.actor, { limit: 100 })).items));
  }

  @Get('batches/:id/certificate')
  async issueForm(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const batch = await this.batches.get(ctx.actor, id);
    return html(reply, await this.issueView(ctx, batch, formState({ basis: ['quality_control'], 'quantity.unit': batch.quantity.unit }), newKey()));
  }

  @Post('certificates')
  async issue(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const batch = await this.batches.get(ctx.actor, field(body, 'batchId'));
    const key = field(body, '_key');
    const { values, plain, names } = contentFrom(body, PURCHASER_KINDS.includes(ctx.organization.kind));
    const outcome = await attempt(IssueCertificateDto, { batchId: batch.id, ...plain }, names,
      (dto) => this.certificates.issue(ctx.actor, dto, key || undefined), { quantity: 'quantity.value' });
    if (outcome.ok) return redirect(reply, `/app/certificates/${outcome.result.view.id}?issued=1`);
    return html(reply, await this.issueView(ctx, batch, formState(values, outcome.problems), key || newKey()), 422);
  }

  /** A voided certificate issued again (corrected): the new one names the one it replaces. */
  @Get('certificates/:id/reissue')
  async reissueForm(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const old = await this.certificates.get(ctx.actor, id);
    if (old.status !== 'voided') return redirect(reply, `/app/certificates/${old.id}`);
    const batch = await this.batches.get(ctx.actor, old.batchId);
    const state = formState({ basis: old.basis, 'quantity.value': old.quantity.value, 'quantity.unit': old.quantity.unit, signedBy: old.issuer.signedBy ?? '' });
    return html(reply, await this.issueView(ctx, batch, state, newKey(), old));
  }

  @Post('certificates/:id/reissue')
  async reissue(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const old = await this.certificates.get(ctx.actor, id);
    const key = field(body, '_key');
    const { values, plain, names } = contentFrom(body, PURCHASER_KINDS.includes(ctx.organization.kind));
    const outcome = await attempt(ReissueCertificateDto, plain, names,
      (dto) => this.certificates.reissue(ctx.actor, old.id, dto, key || undefined), { quantity: 'quantity.value' });
    if (outcome.ok) return redirect(reply, `/app/certificates/${outcome.result.view.id}?issued=1`);
    const batch = await this.batches.get(ctx.actor, old.batchId);
    return html(reply, await this.issueView(ctx, batch, formState(values, outcome.problems), key || newKey(), old), 422);
  }

  private async issueView(ctx: ConsoleContext, batch: BatchView, state: ReturnType<typeof formState>, key: string, replaces?: CertificateView): Promise<string> {
    const purchaser = PURCHASER_KINDS.includes(ctx.organization.kind);
    const [tests, collections] = await Promise.all([
      this.testRecords.listForBatch(ctx.actor, batch.id),
      purchaser ? this.collections.list(ctx.actor, { limit: 100, outcome: 'accepted' }) : Promise.resolve({ items: [] }),
    ]);
    return issuePage(ctx, batch, purchaser, tests.items, collections.items, state, key, replaces);
  }

  @Get('certificates/:id')
  async certificate(@Req() request: FastifyRequest, @Param('id') id: string, @Query('issued') issued: string | undefined,
    @Query('voided') voided: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const cert = await this.certificates.get(ctx.actor, id);
    return html(reply, certificatePage(ctx, cert, EMPTY_FORM, issued ? '合格证已开具' : voided ? '合格证已作废' : undefined));
  }

  @Post('certificates/:id/void')
  async voidCertificate(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { reason: field(body, 'reason') };
    const outcome = await attempt(VoidCertificateDto, { reason: values.reason }, ['reason'],
      (dto) => this.certificates.void(ctx.actor, id, dto.reason));
    if (outcome.ok || outcome.code === 'CERTIFICATE_ALREADY_VOIDED') return redirect(reply, `/app/certificates/${encodeURIComponent(id)}?voided=1`);
    const cert = await this.certificates.get(ctx.actor, id);
    return html(reply, certificatePage(ctx, cert, formState(values, outcome.problems)), 422);
  }

  @Get('certificates/:id/certificate.pdf')
  async certificatePdf(@Req() request: FastifyRequest, @Param('id') id: string, @Query('layout') layout: string | undefined, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const query = await toDto(CertificatePdfQueryDto, { layout: layout || undefined });
    const pdf = await this.documents.pdf(ctx.actor, id, (query.layout ?? 'label-60x80') as CertificateLayout);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="certificate-${query.layout ?? 'label-60x80'}.pdf"`)
      .header('cache-control', 'private, no-store').send(pdf);
  }
}

/** The certificate form's content (a producer's basis and evidence, or a purchaser's upstream checks) as the API's body. */
function contentFrom(body: FormBody, purchaser: boolean): { values: FormBody; plain: Record<string, unknown>; names: string[] } {
  const names = ['basis', 'evidence.qualityControl', 'evidence.testRecordIds', 'evidence.inputsUsed', 'upstreamCollectionIds',
    'quantity.value', 'quantity.unit', 'signedBy', 'contact'];
  const values: FormBody = {
    basis: fields(body, 'basis'), 'evidence.testRecordIds': fields(body, 'evidence.testRecordIds'),
    upstreamCollectionIds: fields(body, 'upstreamCollectionIds'),
    ...Object.fromEntries(['evidence.qualityControl', 'evidence.inputsUsed', 'quantity.value', 'quantity.unit', 'signedBy', 'contact'].map((n) => [n, field(body, n)])),
  };
  const text = (n: string) => values[n] as string;
  const inputsUsed = text('evidence.inputsUsed').split(/[,，、;；\s]+/).filter(Boolean);
  const basis = purchaser
    ? { upstreamCollectionIds: values.upstreamCollectionIds }
    : {
      basis: values.basis,
      evidence: {
        qualityControl: optional(text('evidence.qualityControl')),
        testRecordIds: (values['evidence.testRecordIds'] as string[]).length ? values['evidence.testRecordIds'] : undefined,
        inputsUsed: inputsUsed.length ? inputsUsed : undefined,
      },
    };
  return {
    values, names,
    plain: {
      ...basis,
      quantity: text('quantity.value') ? { value: text('quantity.value'), unit: text('quantity.unit') } : undefined,
      signedBy: optional(text('signedBy')), contact: optional(text('contact')),
    },
  };
}
