import { Body, Controller, Get, Headers, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { qrPng, qrSvg } from '../../../libs/labels';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles, PRODUCER_WRITERS } from '../auth';
import type { Actor } from '../auth';
import { BatchesService } from '../batches';
import { CreatePrintRunDto, LabelsQueryDto } from './dto/create-print-run.dto';
import type { LabelFormat } from './label-render.entity';
import { LabelsService } from './labels.service';

@ApiTags('labels')
@ApiBearerAuth()
@Controller('api/v1')
export class LabelsController {
  constructor(
    private readonly labels: LabelsService,
    private readonly batches: BatchesService,
  ) {}

  @Post('batches/:id/print-runs')
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiErrorCodes(
    'BATCH_NOT_ACTIVE', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INVALID_TRACE_CODE_COUNT',
    'NOT_FOUND', 'ORGANIC_CODES_EXHAUSTED',
  )
  async createPrintRun(
    @CurrentActor() actor: Actor,
    @Param('id') batchId: string,
    @Body() dto: CreatePrintRunDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view, replayed } = await this.labels.createPrintRun(actor, batchId, dto.count, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get('batches/:id/print-runs')
  @ApiErrorCodes('FORBIDDEN', 'NOT_FOUND')
  listPrintRuns(@CurrentActor() actor: Actor, @Param('id') batchId: string) {
    return this.labels.listPrintRuns(actor, batchId);
  }

  @Get('print-runs/:id')
  @ApiErrorCodes('NOT_FOUND')
  getPrintRun(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.labels.getPrintRun(actor, id);
  }

  @Get('print-runs/:id/labels.pdf')
  @ApiProduces('application/pdf')
  @ApiErrorCodes(
    'BATCH_NOT_ACTIVE', 'LABELS_EMPTY', 'LABEL_FIELD_INVALID', 'LABEL_OPTION_INVALID',
    'LAYOUT_NOT_SUPPORTED', 'NOT_FOUND', 'UNKNOWN_LAYOUT',
  )
  pdf(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() q: LabelsQueryDto, @Res() reply: FastifyReply) {
    return this.sendLabels(actor, id, 'pdf', q.layout ?? 'a4-40', q.retry === 'true', reply);
  }

  @Get('print-runs/:id/labels.zpl')
  @ApiProduces('text/plain')
  @ApiErrorCodes(
    'BATCH_NOT_ACTIVE', 'LABELS_EMPTY', 'LABEL_FIELD_INVALID', 'LABEL_OPTION_INVALID',
    'LAYOUT_NOT_SUPPORTED', 'NOT_FOUND', 'UNKNOWN_LAYOUT',
  )
  zpl(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() q: LabelsQueryDto, @Res() reply: FastifyReply) {
    return this.sendLabels(actor, id, 'zpl', q.layout ?? 'roll-60x40', q.retry === 'true', reply);
  }

  @Get('print-runs/:id/labels.tspl')
  @ApiProduces('text/plain')
  @ApiErrorCodes(
    'BATCH_NOT_ACTIVE', 'LABELS_EMPTY', 'LABEL_FIELD_INVALID', 'LABEL_OPTION_INVALID',
    'LAYOUT_NOT_SUPPORTED', 'NOT_FOUND', 'UNKNOWN_LAYOUT',
  )
  tspl(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() q: LabelsQueryDto, @Res() reply: FastifyReply) {
    return this.sendLabels(actor, id, 'tspl', q.layout ?? 'roll-60x40', q.retry === 'true', reply);
  }

  @Get('batches/:id/qr.svg')
  @ApiProduces('image/svg+xml')
  @ApiErrorCodes('NOT_FOUND', 'QR_OPTION_INVALID')
  async batchQrSvg(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() reply: FastifyReply) {
    const batch = await this.batches.get(actor, id);
    return reply.type('image/svg+xml').send(qrSvg(batch.qrContent));
  }

  @Get('batches/:id/qr.png')
  @ApiProduces('image/png')
  @ApiErrorCodes('NOT_FOUND', 'QR_OPTION_INVALID')
  async batchQrPng(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() reply: FastifyReply) {
    const batch = await this.batches.get(actor, id);
    return reply.type('image/png').send(await qrPng(batch.qrContent));
  }

  private async sendLabels(actor: Actor, id: string, format: LabelFormat, layout: string, retry: boolean, reply: FastifyReply) {
    const result = await this.labels.labels(actor, id, format, layout, { retryFailed: retry });
    if (result.kind === 'pending') {
      return reply.status(HttpStatus.ACCEPTED).header('Retry-After', '2').header('Location', `/api/v1/print-runs/${id}`).send(result.render);
    }
    return reply
      .type(result.contentType)
      .header('Content-Disposition', `attachment; filename="${result.filename}"`)
      .send(result.body);
  }
}
