import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { ApiErrorCodes } from '../../common/api-error-codes';
import type { Actor } from '../auth';
import { CurrentActor, Roles } from '../auth';
import { PRODUCER_WRITERS } from '../auth';
import { CreateInputApplicationDto, ListApplicationsQueryDto, OverrideDto, VoidApplicationDto } from './dto/input-application.dto';
import { InputApplicationsService } from './input-applications.service';

@ApiTags('farm records')
@ApiBearerAuth()
@Controller('api/v1/input-applications')
export class InputApplicationsController {
  constructor(private readonly applications: InputApplicationsService) {}

  /** Records one use of an input (农事记录) on a site of the caller's organisation. */
  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes(
    'APPLICATION_IMMUTABLE', 'INVALID_DOSE', 'INVALID_EAR_TAG', 'INVALID_LABEL_CODE', 'LABEL_CODE_MISMATCH', 'NOT_FOUND', 'UNKNOWN_CATEGORY',
  )
  create(@CurrentActor() actor: Actor, @Body() dto: CreateInputApplicationDto) {
    return this.applications.create(actor, dto);
  }

  /** The organisation's records (regulators: their region), newest first; `batchId` gives a batch's records and its gate outcomes. */
  @Get()
  @ApiErrorCodes('INVALID_CURSOR', 'NOT_FOUND')
  list(@CurrentActor() actor: Actor, @Query() query: ListApplicationsQueryDto) {
    return this.applications.list(actor, query);
  }

  /** The records as an EPCIS 2.0 document: one ObjectEvent per application (`Link: rel="next"` when more follow). */
  @Get('epcis')
  @ApiProduces('application/ld+json')
  @ApiErrorCodes('INVALID_CURSOR')
  async epcis(@CurrentActor() actor: Actor, @Query() query: ListApplicationsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { document, nextCursor } = await this.applications.epcis(actor, query);
    if (nextCursor) void reply.header('Link', `</api/v1/input-applications/epcis?cursor=${nextCursor}${query.siteId ? `&siteId=${query.siteId}` : ''}>; rel="next"`);
    void reply.type('application/ld+json');
    return document;
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.applications.get(actor, id);
  }

  @Post(':id/void')
  @HttpCode(200)
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('APPLICATION_VOIDED', 'NOT_FOUND')
  void(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: VoidApplicationDto) {
    return this.applications.void(actor, id, dto.reason);
  }

  /** A regulator lets the application's interval pass for a crop (reason kept, audited). */
  @Post(':id/overrides')
  @Roles('regulator')
  @ApiErrorCodes('CONFLICT', 'NOT_FOUND', 'UNKNOWN_CATEGORY')
  override(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: OverrideDto) {
    return this.applications.override(actor, id, dto);
  }

  /** Records are immutable: void with a reason and enter again. */
  @Patch(':id')
  @ApiErrorCodes('APPLICATION_IMMUTABLE', 'NOT_FOUND')
  async patch(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<never> {
    return this.refuseEdit(actor, id);
  }

  @Put(':id')
  @ApiErrorCodes('APPLICATION_IMMUTABLE', 'NOT_FOUND')
  async put(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<never> {
    return this.refuseEdit(actor, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiErrorCodes('FORBIDDEN', 'NOT_FOUND', 'RECORD_RETAINED')
  async delete(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.applications.delete(actor, id);
  }

  private async refuseEdit(actor: Actor, id: string): Promise<never> {
    await this.applications.findReadable(actor, id);
    throw new DomainError('APPLICATION_IMMUTABLE', 'Farm records are immutable: void this one with a reason and enter it again', { rule: 'immutable' });
  }
}
