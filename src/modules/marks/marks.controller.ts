import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { LargeBody } from '../../common/request-bodies';
import type { Actor } from '../auth';
import { CurrentActor, Public, Roles } from '../auth';
import {
  ClaimsQueryDto, CreateLicenceDto, CreateMarkDto, ExpiringQueryDto, ImportQueryDto, ListMarksQueryDto, OrganicAllocationDto, RevokeMarkDto,
} from './dto/marks.dto';
import { MarksImportService } from './marks-import.service';
import { MarksService } from './marks.service';

const CSV_BODY = { schema: { type: 'string', example: 'scheme,number,holder_uscc,product_names,valid_from,valid_to\ngreen_food,LB-15-19012700330A,…,猕猴桃,2025-03-01,2028-02-29' } };

function csvText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the CSV file as the request body with Content-Type: text/csv');
  return body;
}

/**
 * Quality marks (三品一标): 绿色食品, 有机产品, 有机转换 and 区域公用品牌 records (GI records stay at
 * /api/v1/gi), licences, 有机码 allocations, CSV import/export, and the regulators' claims,
 * refusals and expiring certificates. Batches claim marks through POST /api/v1/batches (`marks`).
 */
@ApiTags('marks')
@ApiBearerAuth()
@Controller('api/v1/marks')
export class MarksController {
  constructor(
    private readonly marks: MarksService,
    private readonly csv: MarksImportService,
  ) {}

  @Get()
  @Public()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@Query() q: ListMarksQueryDto) {
    return this.marks.list(q);
  }

  @Post()
  @Roles('admin', 'regulator', 'org_admin')
  @ApiErrorCodes('DUPLICATE_MARK', 'INVALID_ENTERPRISE_CODE', 'INVALID_MARK_NUMBER', 'INVALID_MARK_SCOPE', 'INVALID_MARK_VALIDITY', 'INVALID_QUANTITY', 'INVALID_REGION_CODE', 'INVALID_USCC')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateMarkDto) {
    return this.marks.create(actor, dto);
  }

  @Get('schemes')
  @Public()
  schemes() {
    return this.marks.schemes();
  }

  @Get('claims')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('INVALID_CURSOR')
  claims(@CurrentActor() actor: Actor, @Query() q: ClaimsQueryDto) {
    return this.marks.claims(actor, q);
  }

  @Get('refusals')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('INVALID_CURSOR')
  refusals(@CurrentActor() actor: Actor, @Query() q: ClaimsQueryDto) {
    return this.marks.refusals(actor, q);
  }

  @Get('expiring')
  @Roles('admin', 'regulator')
  expiring(@CurrentActor() actor: Actor, @Query() q: ExpiringQueryDto) {
    return this.marks.expiring(actor, q);
  }

  @Get('records.csv')
  @Public()
  @ApiProduces('text/csv')
  async exportRecords(@Res() reply: FastifyReply) {
    const body = await this.csv.exportRecords();
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="mark-records.csv"').send(body);
  }

  @Post('records.csv')
  @LargeBody('csv')
  @Roles('admin', 'regulator', 'org_admin')
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  // A broken row does not answer alone: its code is in MARK_IMPORT_REJECTED's details.problems.
  @ApiErrorCodes('MARK_IMPORT_REJECTED', 'INVALID_CSV')
  importRecords(@CurrentActor() actor: Actor, @Body() body: unknown, @Query() q: ImportQueryDto) {
    return this.csv.importRecords(actor, csvText(body), q.dryRun === 'true');
  }

  @Get(':id')
  @Public()
  @ApiErrorCodes('NOT_FOUND')
  get(@Param('id') id: string) {
    return this.marks.get(id);
  }

  @Post(':id/revoke')
  @Roles('admin', 'regulator', 'org_admin')
  @ApiErrorCodes('MARK_ALREADY_REVOKED', 'NOT_FOUND')
  revoke(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RevokeMarkDto) {
    return this.marks.revoke(actor, id, dto);
  }

  @Get(':id/licences')
  @ApiErrorCodes('INVALID_CURSOR', 'NOT_FOUND')
  licences(@Param('id') id: string, @Query() page: PageQueryDto) {
    return this.marks.listLicences(id, page.limit, page.cursor);
  }

  @Post(':id/licences')
  @Roles('admin', 'regulator', 'org_admin')
  @ApiErrorCodes('MARK_AUTHORISATION_OVERLAP', 'MARK_NOT_LICENSABLE', 'MARK_REVOKED', 'INVALID_QUANTITY', 'NOT_FOUND')
  license(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CreateLicenceDto) {
    return this.marks.license(actor, id, dto);
  }

  @Post(':id/licences/:licenceId/revoke')
  @Roles('admin', 'regulator', 'org_admin')
  @ApiErrorCodes('MARK_ALREADY_REVOKED', 'NOT_FOUND')
  revokeLicence(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('licenceId') licenceId: string, @Body() dto: RevokeMarkDto) {
    return this.marks.revokeLicence(actor, id, licenceId, dto);
  }

  @Post(':id/organic-codes')
  @Roles('admin', 'regulator', 'org_admin')
  @ApiErrorCodes('DUPLICATE_ORGANIC_CODE', 'INVALID_ORGANIC_CODE', 'NOT_FOUND')
  recordOrganicCodes(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: OrganicAllocationDto) {
    return this.marks.recordOrganicCodes(actor, id, dto);
  }

  @Get(':id/organic-codes')
  @Roles('admin', 'regulator', 'org_admin')
  @ApiErrorCodes('NOT_FOUND')
  organicCodes(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.marks.organicCodeBalance(actor, id);
  }
}
