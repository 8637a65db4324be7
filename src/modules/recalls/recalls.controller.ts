import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../../libs/errors';
import { securityHeaders } from '../../common/security-headers';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { REPORT_STYLE_HASH } from './views/recall-report-page';
import { CreateRecallDto, RecallConfirmationDto } from './dto/create-recall.dto';
import { RecallsService } from './recalls.service';

@ApiTags('recalls')
@ApiBearerAuth()
@Controller('api/v1/recalls')
export class RecallsController {
  private readonly reportPolicy: string;

  constructor(private readonly recalls: RecallsService, @Inject(APP_CONFIG) config: AppConfig) {
    this.reportPolicy = securityHeaders(config, { styles: [REPORT_STYLE_HASH] })['content-security-policy'];
  }

  @Post()
  @Roles('admin', 'org_admin', 'operator', 'regulator')
  @ApiErrorCodes('CONFLICT', 'NOT_FOUND')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRecallDto) {
    return this.recalls.create(actor, dto);
  }

  /** An affected organisation's account: recovered, disposed, sold through (the last one counts). */
  @Post(':id/confirmations')
  @HttpCode(200)
  @Roles('org_admin', 'operator')
  @ApiErrorCodes('INVALID_QUANTITY', 'NOT_FOUND', 'RECALL_CLOSED', 'RECALL_NOT_LIVE')
  confirm(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RecallConfirmationDto) {
    return this.recalls.confirm(actor, id, dto);
  }

  /** Close-out: refused until every affected organisation's account balances with what it had. */
  @Post(':id/close')
  @HttpCode(200)
  @Roles('admin', 'org_admin', 'operator', 'regulator')
  @ApiErrorCodes('NOT_FOUND', 'RECALL_NOT_BALANCED', 'RECALL_NOT_LIVE')
  close(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.recalls.close(actor, id);
  }

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.recalls.list(actor);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.recalls.get(actor, id);
  }

  /**
   * The report, one row per tracking event: `report.html`, `report.csv`, `report.xlsx`; `?sort=column&order=asc|desc`.
   * `report.pdf`: the recall plan and summary report for the county regulator (grade, deadlines,
   * each affected organisation's confirmed quantities and the balance).
   */
  @Get(':id/:file')
  @ApiQuery({ name: 'sort', required: false })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'] })
  @ApiErrorCodes('NOT_FOUND', 'RECALL_NOT_LIVE', 'VALIDATION_FAILED')
  async report(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('file') file: string,
    @Query('sort') sort: string | undefined, @Query('order') order: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const match = /^report\.(html|csv|xlsx|pdf)$/.exec(file);
    if (!match) throw new DomainError('NOT_FOUND', 'No such report format (report.html, report.csv, report.xlsx, report.pdf)');
    if (match[1] === 'pdf') {
      const pdf = await this.recalls.summaryPdf(actor, id);
      void reply.type('application/pdf').header('Content-Disposition', `attachment; filename="${pdf.filename}"`);
      return pdf.body;
    }
    const report = await this.recalls.report(actor, id, match[1] as 'html' | 'csv' | 'xlsx', sort, order);
    void reply.type(report.contentType);
    if (match[1] === 'html') void reply.header('content-security-policy', this.reportPolicy);
    else void reply.header('Content-Disposition', `attachment; filename="${report.filename}"`);
    return report.body;
  }
}
