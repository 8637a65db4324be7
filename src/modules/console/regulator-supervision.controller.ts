import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth';
import { BatchesService, ChangeBatchStatusDto } from '../batches';
import { CertificatesService, VoidCertificateDto } from '../certificates';
import { OrganizationsService } from '../organizations';
import { CreateRecallDto, RecallsService } from '../recalls';
import { CreateSampleDto, SamplesService } from '../sampling';
import type { ConsoleContext } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { attempt, newKey, optional } from './console-forms';
import { ConsoleGate } from './console-gate';
import { field, formBody, html, redirect } from './console-http';
import { typedList } from './regulator-sampling.controller';
import { EMPTY_FORM, formState } from './views/layout';
import { recallDonePage, SupervisionForms, supervisionPage } from './views/sampling-pages';

/**
 * Regulator workspace: what a regulator does to one batch of its region — a targeted sample, a hold,
 * a recall (down the supply chain), voiding a certificate. The services decide who may; the pages
 * are shown to regulators only (the gate).
 */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app/supervision')
export class RegulatorSupervisionController {
  constructor(
    private readonly gate: ConsoleGate,
    private readonly batches: BatchesService,
    private readonly certificates: CertificatesService,
    private readonly recalls: RecallsService,
    private readonly samples: SamplesService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Get('batches/:id')
  async batch(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const notice = query.held ? '批次已暂停' : query.voided ? '合格证已作废' : undefined;
    return html(reply, await this.view(ctx, id, {}, notice));
  }

  private async view(ctx: ConsoleContext, id: string, forms: Partial<SupervisionForms>, notice?: string): Promise<string> {
    const batch = await this.batches.get(ctx.actor, id);
    const [certs, samples, labs, producer, suggested] = await Promise.all([
      this.certificates.list(ctx.actor, { batchId: batch.id, limit: 100 }),
      this.samples.list(ctx.actor, { limit: 200 }).then((p) => p.items.filter((s) => s.batchId === batch.id)),
      this.organizations.labs(),
      this.organizations.summary(batch.organizationId),
      this.samples.suggestPanel(ctx.actor, batch.id).then((p) => p.analytes),
    ]);
    return supervisionPage(ctx, { batch, producer: producer?.name ?? '', certificates: certs.items, samples, labs, suggested }, {
      hold: EMPTY_FORM, recall: EMPTY_FORM, voids: {}, key: newKey(),
      sample: formState({ stream: 'supervisory_sampling', analytes: suggested.join('、') }), ...forms,
    }, notice);
  }

  @Post('batches/:id/samples')
  async sample(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { stream: field(body, 'stream'), labOrganizationId: field(body, 'labOrganizationId'), analytes: field(body, 'analytes') };
    const batch = await this.batches.get(ctx.actor, id);
    const aliases: Record<string, string> = { 'labOrganizationId[0]': 'labOrganizationId' };
    for (let i = 0; i < 200; i++) aliases[`analytes[${i}]`] = 'analytes';
    const outcome = await attempt(CreateSampleDto, { batchId: batch.id, stream: values.stream, labOrganizationId: values.labOrganizationId, analytes: typedList(values.analytes) },
      Object.keys(values), (dto) => this.samples.create(ctx.actor, dto), aliases);
    if (outcome.ok) return redirect(reply, `/app/sampling/samples/${outcome.result.id}`);
    return html(reply, await this.view(ctx, batch.id, { sample: formState(values, outcome.problems) }), 422);
  }

  @Post('batches/:id/hold')
  async hold(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const reason = field(formBody(request), 'reason');
    // The batch service names a missing reason (a hold or recall always says why).
    const outcome = await attempt(ChangeBatchStatusDto, { status: 'on_hold', reason: reason || undefined }, ['reason'],
      (dto) => this.batches.changeStatus(ctx.actor, id, dto));
    if (outcome.ok) return redirect(reply, `/app/supervision/batches/${outcome.result.id}?held=1`);
    return html(reply, await this.view(ctx, id, { hold: formState({ reason }, outcome.problems) }), 422);
  }

  @Post('batches/:id/recall')
  async recall(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const body = formBody(request);
    const values = { reason: field(body, 'reason'), grade: field(body, 'grade') };
    const batch = await this.batches.get(ctx.actor, id);
    const outcome = await attempt(CreateRecallDto, { batchId: batch.id, reason: values.reason, grade: values.grade ? Number(values.grade) : undefined },
      ['reason', 'grade'], (dto) => this.recalls.create(ctx.actor, dto));
    if (!outcome.ok) return html(reply, await this.view(ctx, batch.id, { recall: formState(values, outcome.problems) }), 422);
    const r = outcome.result;
    return html(reply, recallDonePage(ctx, await this.batches.get(ctx.actor, batch.id), {
      lotCount: r.lotCount, recalledLotCount: r.recalledLotCount, affected: r.affectedOrganizations.length,
      report: `/app/supervision/recalls/${r.id}/report.csv`, deadline: r.deadlines?.finishBy ?? null,
    }));
  }

  @Get('recalls/:id/report.csv')
  async report(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.page(request);
    const file = await this.recalls.report(ctx.actor, id, 'csv');
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'private, no-store').send(file.body);
  }

  @Post('certificates/:id/void')
  async voidCertificate(@Req() request: FastifyRequest, @Param('id') id: string, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    const reason = field(formBody(request), 'reason');
    const cert = await this.certificates.get(ctx.actor, id);
    const outcome = await attempt(VoidCertificateDto, { reason: optional(reason) ?? '' }, ['reason'], (dto) => this.certificates.void(ctx.actor, cert.id, dto.reason));
    if (outcome.ok || outcome.code === 'CERTIFICATE_ALREADY_VOIDED') return redirect(reply, `/app/supervision/batches/${cert.batchId}?voided=1`);
    return html(reply, await this.view(ctx, cert.batchId, { voids: { [cert.id]: formState({ reason }, outcome.problems) } }), 422);
  }
}

