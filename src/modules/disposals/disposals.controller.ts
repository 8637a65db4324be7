import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { DisposalsService } from './disposals.service';
import { CreateDisposalDto, ListDisposalsDto } from './dto/create-disposal.dto';

@ApiTags('disposals')
@ApiBearerAuth()
@Controller('api/v1/disposals')
export class DisposalsController {
  constructor(private readonly disposals: DisposalsService) {}

  @Post()
  @Roles('admin', 'org_admin', 'operator', 'regulator')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result' })
  @ApiErrorCodes('DISPOSAL_NOT_REQUIRED', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INVALID_EVIDENCE', 'INVALID_QUANTITY', 'NOT_FOUND')
  async create(
    @CurrentActor() actor: Actor, @Body() dto: CreateDisposalDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view, replayed } = await this.disposals.create(actor, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: ListDisposalsDto) {
    return this.disposals.list(actor, query.limit, query.cursor, query.batchId);
  }

  /** An evidence file, as uploaded (download only: never rendered inline). */
  @Get(':id/evidence/:n')
  @ApiErrorCodes('NOT_FOUND')
  async evidence(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('n') n: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const file = await this.disposals.evidence(actor, id, n);
    void reply.type(file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`);
    return file.body;
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.disposals.get(actor, id);
  }
}
