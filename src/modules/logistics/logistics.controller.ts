import { Body, Controller, Delete, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { AllocateSsccsDto } from './dto/allocate-ssccs.dto';
import { PackSsccDto, ReceiveSsccDto, ShipSsccDto } from './dto/unit-movements.dto';
import { LogisticsService } from './logistics.service';

const IDEMPOTENCY = { name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result' };

@ApiTags('logistic units (SSCC)')
@ApiBearerAuth()
@Controller('api/v1/ssccs')
export class LogisticsController {
  constructor(private readonly logistics: LogisticsService) {}

  /** Allocates SSCCs from the organisation's GS1 company prefix: unique, never reused. */
  @Post()
  @Roles('org_admin', 'operator')
  @ApiErrorCodes('NO_COMPANY_PREFIX', 'SSCC_EXHAUSTED')
  allocate(@CurrentActor() actor: Actor, @Body() dto: AllocateSsccsDto) {
    return this.logistics.allocate(actor, dto);
  }

  @Get(':sscc')
  @Roles('org_admin', 'operator')
  @ApiErrorCodes('SSCC_NOT_FOUND', 'INVALID_SSCC')
  get(@CurrentActor() actor: Actor, @Param('sscc') sscc: string) {
    return this.logistics.get(actor, sscc);
  }

  /** Packs lots onto the unit (EPCIS AggregationEvent ADD, bizStep packing). */
  @Post(':sscc/contents')
  @Roles('org_admin', 'operator')
  @ApiHeader(IDEMPOTENCY)
  @ApiErrorCodes(
    'BATCH_NOT_ACTIVE', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INSUFFICIENT_QUANTITY', 'INVALID_QUANTITY',
    'INVALID_SSCC', 'LOT_ALREADY_PACKED', 'NOT_FOUND', 'SSCC_NOT_FOUND', 'SSCC_NOT_OPEN', 'UNIT_MISMATCH',
  )
  async pack(@CurrentActor() actor: Actor, @Param('sscc') sscc: string, @Body() dto: PackSsccDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const { view, replayed } = await this.logistics.pack(actor, sscc, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  /** Takes a lot off the unit (EPCIS AggregationEvent DELETE, bizStep unpacking). */
  @Delete(':sscc/contents/:batchId')
  @Roles('org_admin', 'operator')
  @ApiHeader(IDEMPOTENCY)
  @ApiErrorCodes('IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INVALID_SSCC', 'LOT_NOT_PACKED', 'NOT_FOUND', 'SSCC_NOT_FOUND', 'SSCC_NOT_OPEN')
  async unpack(@CurrentActor() actor: Actor, @Param('sscc') sscc: string, @Param('batchId') batchId: string,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const { view, replayed } = await this.logistics.unpack(actor, sscc, batchId, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  /** Ships the unit: one shipment per lot on it, one shipping event naming the SSCC and the lots. */
  @Post(':sscc/shipment')
  @Roles('org_admin', 'operator')
  @ApiHeader(IDEMPOTENCY)
  @ApiErrorCodes(
    'BATCH_NOT_ACTIVE', 'CONFLICT', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INSUFFICIENT_QUANTITY',
    'INVALID_SSCC', 'NOT_FOUND', 'SSCC_EMPTY', 'SSCC_NOT_FOUND', 'SSCC_NOT_OPEN', 'UNIT_MISMATCH',
  )
  async ship(@CurrentActor() actor: Actor, @Param('sscc') sscc: string, @Body() dto: ShipSsccDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const { view, replayed } = await this.logistics.ship(actor, sscc, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  /**
   * The receiver scans the SSCC (18 digits, `(00)…`, `00…`, `]C1…` or its Digital Link, URL-encoded):
   * every lot on the unit becomes its inbound lot. Receiving again answers the first receipt.
   */
  @Post(':sscc/receipt')
  @Roles('org_admin', 'operator')
  @ApiHeader(IDEMPOTENCY)
  @ApiErrorCodes(
    'DUPLICATE_LOT_CODE', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INVALID_SSCC', 'NOT_FOUND', 'SSCC_NOT_FOUND',
  )
  async receive(@CurrentActor() actor: Actor, @Param('sscc') sscc: string, @Body() dto: ReceiveSsccDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const { view, replayed } = await this.logistics.receive(actor, sscc, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  /** GS1 logistic label, 100 × 150 mm PDF. */
  @Get(':sscc/label.pdf')
  @Roles('org_admin', 'operator')
  @ApiProduces('application/pdf')
  @ApiErrorCodes('INVALID_SSCC', 'SSCC_NOT_FOUND')
  async labelPdf(@CurrentActor() actor: Actor, @Param('sscc') sscc: string, @Res() reply: FastifyReply) {
    const body = await this.logistics.label(actor, sscc, 'pdf');
    return reply.type('application/pdf').header('Content-Disposition', `attachment; filename="sscc-${sscc}.pdf"`).send(body);
  }

  /** GS1 logistic label as ZPL II for 203 dpi thermal printers (100 × 150 mm). */
  @Get(':sscc/label.zpl')
  @Roles('org_admin', 'operator')
  @ApiProduces('text/plain')
  @ApiErrorCodes('INVALID_SSCC', 'SSCC_NOT_FOUND')
  async labelZpl(@CurrentActor() actor: Actor, @Param('sscc') sscc: string, @Res() reply: FastifyReply) {
    const body = await this.logistics.label(actor, sscc, 'zpl');
    return reply.type('text/plain; charset=utf-8').header('Content-Disposition', `attachment; filename="sscc-${sscc}.zpl"`).send(body);
  }
}
