import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { LargeBody } from '../../common/request-bodies';
import { CurrentActor, Public, Roles } from '../auth';
import type { Actor } from '../auth';
import {
  CreateAuthorisationDto, CreateGiDto, ImportQueryDto, ListGiQueryDto, RevokeDto, UpdateAuthorisationDto, UsageQueryDto,
} from './dto/gi.dto';
import { GiImportService } from './gi-import.service';
import { GiService } from './gi.service';

const CSV_BODY = { schema: { type: 'string', example: 'regime,registration_number,product_name,holder_uscc,area_codes\nagi,AGI02738,涪城芦笋,…,510703' } };

function csvText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the CSV file as the request body with Content-Type: text/csv');
  }
  return body;
}

/** Geographical indications: registry (public read), authorised users, CSV import/export, usage report. */
@ApiTags('gi')
@ApiBearerAuth()
@Controller('api/v1/gi')
export class GiController {
  constructor(
    private readonly gi: GiService,
    private readonly csv: GiImportService,
  ) {}

  @Get()
  @Public()
  @ApiErrorCodes('INVALID_CURSOR', 'INVALID_REGION_CODE')
  list(@Query() q: ListGiQueryDto) {
    return this.gi.list(q);
  }

  @Post()
  @Roles('admin', 'regulator')
  @ApiErrorCodes(
    'DUPLICATE_GI', 'INVALID_BOUNDING_BOX', 'INVALID_GI_REGISTRATION_NUMBER',
    'INVALID_GI_SPEC_REFERENCE', 'INVALID_REGION_CODE',
  )
  create(@CurrentActor() actor: Actor, @Body() dto: CreateGiDto) {
    return this.gi.create(actor, dto);
  }

  @Get('usage')
  @Roles('admin', 'regulator')
  usage(@CurrentActor() actor: Actor, @Query() q: UsageQueryDto) {
    return this.gi.usage(actor, q);
  }

  @Get('records.csv')
  @Public()
  @ApiProduces('text/csv')
  async exportRecords(@Res() reply: FastifyReply) {
    return sendCsv(reply, 'gi-records.csv', await this.csv.exportRecords());
  }

  @Post('records.csv')
  @LargeBody('csv')
  @Roles('admin', 'regulator')
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  // A broken row does not answer alone: its code is in GI_IMPORT_REJECTED's details.problems.
  @ApiErrorCodes('GI_IMPORT_REJECTED', 'INVALID_CSV')
  importRecords(@CurrentActor() actor: Actor, @Body() body: unknown, @Query() q: ImportQueryDto) {
    return this.csv.importRecords(actor, csvText(body), q.dryRun === 'true');
  }

  @Get('authorisations.csv')
  @Roles('admin', 'regulator')
  @ApiProduces('text/csv')
  @ApiErrorCodes('NOT_FOUND')
  async exportAuthorisations(@CurrentActor() actor: Actor, @Res() reply: FastifyReply) {
    return sendCsv(reply, 'gi-authorisations.csv', await this.csv.exportAuthorisations(actor));
  }

  @Post('authorisations.csv')
  @LargeBody('csv')
  @Roles('admin', 'regulator')
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiErrorCodes('GI_IMPORT_REJECTED', 'INVALID_CSV')
  importAuthorisations(@CurrentActor() actor: Actor, @Body() body: unknown, @Query() q: ImportQueryDto) {
    return this.csv.importAuthorisations(actor, csvText(body), q.dryRun === 'true');
  }

  @Get(':id')
  @Public()
  @ApiErrorCodes('NOT_FOUND')
  get(@Param('id') id: string) {
    return this.gi.get(id);
  }

  @Post(':id/revoke')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('GI_ALREADY_REVOKED', 'NOT_FOUND')
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RevokeDto) {
    return this.gi.revoke(actor, id, dto);
  }

  @Get(':id/authorisations')
  @ApiErrorCodes('INVALID_CURSOR', 'NOT_FOUND')
  listAuthorisations(@Param('id') id: string, @Query() page: PageQueryDto) {
    return this.gi.listAuthorisations(id, page.limit, page.cursor);
  }

  @Post(':id/authorisations')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('GI_AUTHORISATION_OVERLAP', 'GI_REVOKED', 'INVALID_QUANTITY', 'NOT_FOUND')
  authorise(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CreateAuthorisationDto) {
    return this.gi.authorise(actor, id, dto);
  }

  @Patch(':id/authorisations/:authId')
  @Roles('admin', 'regulator')
  @ApiErrorCodes(
    'GI_AUTHORISATION_HAS_CLAIMS', 'GI_AUTHORISATION_OVERLAP', 'GI_AUTHORISATION_REVOKED',
    'GI_QUOTA_BELOW_CLAIMED', 'GI_QUOTA_UNIT_MISMATCH', 'INVALID_QUANTITY', 'NOT_FOUND',
  )
  updateAuthorisation(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('authId') authId: string, @Body() dto: UpdateAuthorisationDto) {
    return this.gi.updateAuthorisation(actor, id, authId, dto);
  }

  @Post(':id/authorisations/:authId/revoke')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('GI_AUTHORISATION_REVOKED', 'NOT_FOUND')
  revokeAuthorisation(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('authId') authId: string, @Body() dto: RevokeDto) {
    return this.gi.revokeAuthorisation(actor, id, authId, dto);
  }
}

function sendCsv(reply: FastifyReply, filename: string, body: string) {
  return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename}"`).send(body);
}
