import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { CurrentActor, Public, Roles } from '../auth';
import type { Actor } from '../auth';
import { ConsumerReportsService } from './consumer-reports.service';
import { CreateConsumerReportDto, ListConsumerReportsDto, ReplyDto, ReplyFiguresQueryDto, TriageDto } from './dto/consumer-report.dto';
import { DomainError } from '../../../libs/errors';

/** This route counts against the per-client write limit (CONSUMER_REPORT_RATE_LIMIT_*; see registerWriteRateLimit). */
const WRITE_RATE_LIMITED = RouteConfig({ rateLimit: {} });

@ApiTags('consumer-reports')
@Controller('api/v1/consumer-reports')
export class ConsumerReportsController {
  constructor(private readonly reports: ConsumerReportsService) {}

  /** Anyone with the package: no account; rate-limited per client; no IP address is stored. */
  @Post()
  @Public()
  @WRITE_RATE_LIMITED
  @ApiOperation({ summary: '问题反馈: report a problem with a scanned code (public; photos re-encoded without metadata; phone only with consent)' })
  @ApiErrorCodes('INVALID_PHOTO', 'NOT_FOUND', 'RATE_LIMITED')
  create(@Body() dto: CreateConsumerReportDto, @Req() request: FastifyRequest) {
    return this.reports.create(dto, { ip: request.ip, userAgent: request.headers['user-agent'] });
  }

  /** The consent text the phone field shows, with the retention period. */
  @Get('consent')
  @Public()
  consent() {
    return this.reports.consent();
  }

  @Get()
  @ApiBearerAuth()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: ListConsumerReportsDto) {
    return this.reports.list(actor, query.limit, query.cursor, query.status);
  }

  /** Counterfeit alerts: one code reported by many distinct clients within the window. */
  @Get('alerts')
  @ApiBearerAuth()
  @ApiErrorCodes('INVALID_CURSOR')
  alerts(@CurrentActor() actor: Actor, @Query() query: PageQueryDto) {
    return this.reports.listAlerts(actor, query.limit, query.cursor);
  }

  /** Reports and the median time to the producer's first reply, by month, region or organisation. */
  @Get('figures')
  @ApiBearerAuth()
  @ApiErrorCodes('VALIDATION_FAILED')
  figures(@CurrentActor() actor: Actor, @Query() query: ReplyFiguresQueryDto) {
    if (query.from > query.to) throw new DomainError('VALIDATION_FAILED', 'from must not be after to', { field: 'from', rule: 'order' });
    return this.reports.replyFigures(actor, query.from, query.to, query.groupBy ?? 'none');
  }

  @Get(':id')
  @ApiBearerAuth()
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.reports.get(actor, id);
  }

  /** A photo as stored (JPEG without metadata), download only; gone after the retention period. */
  @Get(':id/photos/:n')
  @ApiBearerAuth()
  @ApiErrorCodes('NOT_FOUND')
  async photo(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('n') n: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const file = await this.reports.photo(actor, id, n);
    void reply.type(file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`);
    return file.body;
  }

  /** The producer's reply: shown only on the reporter's follow-up page. */
  @Post(':id/reply')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles('org_admin', 'operator')
  @ApiErrorCodes('NOT_FOUND')
  reply(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReplyDto) {
    return this.reports.reply(actor, id, dto);
  }

  /** The regulator's triage: triaged or closed, with a note. */
  @Post(':id/triage')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles('admin', 'regulator')
  @ApiErrorCodes('NOT_FOUND')
  triage(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: TriageDto) {
    return this.reports.triage(actor, id, dto);
  }
}
