import { Body, Controller, Get, Headers, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { CreateInspectionDto, CreateTemplateDto, ListDueInspectionsDto, ListFindingsDto, ListInspectionsDto } from './dto/inspection.dto';
import { InspectionTemplatesService } from './inspection-templates.service';
import { InspectionsService } from './inspections.service';

@ApiTags('inspections')
@ApiBearerAuth()
@Controller('api/v1/inspections')
export class InspectionsController {
  constructor(private readonly inspections: InspectionsService, private readonly templates: InspectionTemplatesService) {}

  /** Every checklist version (drafts included), newest version first per checklist. */
  @Get('templates')
  listTemplates() {
    return this.templates.list();
  }

  /** A new version (draft) of a checklist: the platform admin or a provincial regulator. */
  @Post('templates')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('INVALID_CHECKLIST', 'CONFLICT')
  createTemplate(@CurrentActor() actor: Actor, @Body() dto: CreateTemplateDto) {
    return this.templates.create(actor, dto);
  }

  @Get('templates/:id')
  @ApiErrorCodes('NOT_FOUND')
  getTemplate(@Param('id') id: string) {
    return this.templates.get(id);
  }

  /** Replaces a draft version; a published one is immutable (TEMPLATE_PUBLISHED). */
  @Put('templates/:id')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('INVALID_CHECKLIST', 'NOT_FOUND', 'TEMPLATE_PUBLISHED')
  updateTemplate(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CreateTemplateDto) {
    return this.templates.update(actor, id, dto);
  }

  @Post('templates/:id/publish')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('NOT_FOUND')
  publishTemplate(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.templates.publish(actor, id);
  }

  @Post()
  @Roles('regulator')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result (the phone form sends one it generated)' })
  @ApiErrorCodes('FINDING_NOT_OPEN', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INVALID_INSPECTION', 'INVALID_PHOTO', 'NOT_FOUND', 'NOT_INSPECTABLE', 'TEMPLATE_NOT_PUBLISHED')
  async create(
    @CurrentActor() actor: Actor, @Body() dto: CreateInspectionDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view, replayed } = await this.inspections.create(actor, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: ListInspectionsDto) {
    return this.inspections.list(actor, query.limit, query.cursor, query.organizationId);
  }

  /** Findings: an organisation its own, a regulator its jurisdiction's (status open by default; overdue = open past the deadline). */
  @Get('findings')
  @ApiErrorCodes('INVALID_CURSOR')
  findings(@CurrentActor() actor: Actor, @Query() query: ListFindingsDto) {
    return this.inspections.findings(actor, query);
  }

  /** Months between inspections per published risk grade (`ungraded`: no published grade), with source and verified flag. */
  @Get('frequency')
  frequency() {
    return this.inspections.frequency();
  }

  /**
   * Organisations due for inspection in a region (default: the regulator's jurisdiction): never
   * inspected, or last inspected longer ago than their published risk grade's interval.
   */
  @Get('due')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('INVALID_CURSOR', 'INVALID_REGION_CODE', 'NOT_FOUND', 'VALIDATION_FAILED')
  due(@CurrentActor() actor: Actor, @Query() query: ListDueInspectionsDto) {
    return this.inspections.due(actor, query, query.on);
  }

  /** A photo, as uploaded (download only: never rendered inline). */
  @Get(':id/photos/:n')
  @ApiErrorCodes('NOT_FOUND')
  async photo(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('n') n: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const file = await this.inspections.photo(actor, id, n);
    void reply.type(file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`);
    return file.body;
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.inspections.get(actor, id);
  }
}
