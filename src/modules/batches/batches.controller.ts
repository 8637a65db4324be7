import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { CurrentActor, Roles, PRODUCER_WRITERS } from '../auth';
import type { Actor } from '../auth';
import { BatchesService } from './batches.service';
import { ChangeBatchStatusDto, CreateBatchDto } from './dto/create-batch.dto';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('api/v1/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result' })
  @ApiErrorCodes(
    'DUPLICATE_LOT_CODE', 'GI_AUTHORISATION_REVOKED', 'GI_NOT_AUTHORISED', 'GI_NOT_YET_REGISTERED',
    'GI_OUTSIDE_AREA', 'GI_QUOTA_EXCEEDED', 'GI_QUOTA_UNIT_MISMATCH', 'GI_REVOKED',
    'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INPUT_BANNED', 'INVALID_LOT_CODE',
    'INVALID_QUANTITY', 'MARK_CONVERSION_PERIOD', 'MARK_EXPIRED', 'MARK_NOT_AUTHORISED', 'MARK_NOT_YET_VALID',
    'MARK_OUTSIDE_SCOPE', 'MARK_QUOTA_EXCEEDED', 'MARK_QUOTA_UNIT_MISMATCH', 'MARK_REVOKED', 'NOT_FOUND',
    'PHI_NOT_ELAPSED',
  )
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateBatchDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view, replayed } = await this.batches.create(actor, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    return this.batches.list(actor, page.limit, page.cursor);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.batches.get(actor, id);
  }

  @Post(':id/status')
  @Roles('admin', 'org_admin', 'operator', 'regulator')
  @ApiErrorCodes('DISPOSAL_REQUIRED', 'INVALID_STATUS_TRANSITION', 'NOT_FOUND')
  changeStatus(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ChangeBatchStatusDto) {
    return this.batches.changeStatus(actor, id, dto);
  }
}
