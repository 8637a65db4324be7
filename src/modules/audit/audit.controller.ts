import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditService } from './audit.service';
import { AuditCheckpointDto, AuditCheckpointPageDto } from './dto/audit-checkpoint.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService, private readonly checkpoints: AuditCheckpointsService) {}

  @Get()
  @Roles('admin', 'regulator', 'org_admin')
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: AuditQueryDto) {
    return this.audit.list(actor, query);
  }

  /** Checks the whole hash chain: `{ valid, checked, head, firstBreak }`. */
  @Get('verify')
  @Roles('admin', 'regulator')
  verify() {
    return this.audit.verify();
  }

  /**
   * Signed checkpoints, newest first, with the public key that verifies them. Any authenticated
   * role may read them: a checkpoint holds only a seq, a hash, a time and a signature — nothing
   * about any subject or organisation — and it protects only as far as copies of it are held
   * outside the platform, so every party that keeps records here may keep one.
   */
  @Get('checkpoints')
  @ApiOkResponse({ type: AuditCheckpointPageDto })
  @ApiErrorCodes('INVALID_CURSOR')
  listCheckpoints(@Query() query: PageQueryDto) {
    return this.checkpoints.list(query);
  }

  /** Signs the chain head now: 201 with a new checkpoint, or 200 with the last one when the head has not moved. */
  @Post('checkpoints')
  @Roles('admin', 'regulator')
  @ApiCreatedResponse({ type: AuditCheckpointDto, description: 'A new checkpoint of the current head' })
  @ApiOkResponse({ type: AuditCheckpointDto, description: 'The head has not moved: the last checkpoint' })
  @ApiErrorCodes('AUDIT_LOG_EMPTY', 'AUDIT_CHAIN_BROKEN')
  async createCheckpoint(@Res({ passthrough: true }) reply: FastifyReply) {
    const { checkpoint, created } = await this.checkpoints.create();
    void reply.status(created ? 201 : 200);
    return checkpoint;
  }
}
