import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles, PRODUCER_WRITERS } from '../auth';
import type { Actor } from '../auth';
import { CreateShipmentDto, CreateTransformationDto, ReceiveShipmentDto, TraceQueryDto } from './dto/supply-chain.dto';
import { SupplyChainService } from './supply-chain.service';

const IDEMPOTENCY = { name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result' };

@ApiTags('supply chain')
@ApiBearerAuth()
@Controller('api/v1')
export class SupplyChainController {
  constructor(private readonly chain: SupplyChainService) {}

  @Post('shipments')
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader(IDEMPOTENCY)
  @ApiErrorCodes(
    'BATCH_NOT_ACTIVE', 'CONFLICT', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED',
    'INSUFFICIENT_QUANTITY', 'INVALID_QUANTITY', 'NOT_FOUND', 'UNIT_MISMATCH',
  )
  async ship(@CurrentActor() actor: Actor, @Body() dto: CreateShipmentDto, @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply) {
    const { view, replayed } = await this.chain.ship(actor, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get('shipments')
  @ApiQuery({ name: 'direction', required: false, enum: ['inbound', 'outbound'] })
  @ApiQuery({ name: 'status', required: false, enum: ['in_transit', 'received'] })
  listShipments(@CurrentActor() actor: Actor, @Query('direction') direction?: 'inbound' | 'outbound', @Query('status') status?: string) {
    return this.chain.listShipments(actor, direction === 'inbound' || direction === 'outbound' ? direction : undefined,
      status === 'in_transit' || status === 'received' ? status : undefined);
  }

  @Post('shipments/:id/receipt')
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader(IDEMPOTENCY)
  @ApiErrorCodes(
    'CONFLICT', 'DUPLICATE_LOT_CODE', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED',
    'INSUFFICIENT_QUANTITY', 'INVALID_LOT_CODE', 'INVALID_QUANTITY', 'NOT_FOUND',
    'SHIPMENT_ALREADY_RECEIVED', 'SHIPMENT_NOT_FOUND', 'UNIT_MISMATCH',
  )
  async receive(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReceiveShipmentDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const { view, replayed } = await this.chain.receive(actor, id, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Post('transformations')
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader(IDEMPOTENCY)
  @ApiErrorCodes(
    'BATCH_NOT_ACTIVE', 'CONFLICT', 'DUPLICATE_LOT_CODE', 'IDEMPOTENCY_IN_PROGRESS',
    'IDEMPOTENCY_KEY_REUSED', 'INSUFFICIENT_QUANTITY', 'INVALID_LOT_CODE', 'INVALID_QUANTITY',
    'NOT_FOUND', 'TRANSFORMATION_CYCLE', 'UNIT_MISMATCH', 'YIELD_EXCEEDED',
  )
  async transform(@CurrentActor() actor: Actor, @Body() dto: CreateTransformationDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const { view, replayed } = await this.chain.transform(actor, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get('batches/:id/trace')
  @ApiErrorCodes('NOT_FOUND')
  trace(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() q: TraceQueryDto) {
    return this.chain.trace(actor, id, q.direction ?? 'both', q.depth ?? 10);
  }
}
