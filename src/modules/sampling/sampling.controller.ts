import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { LargeBody } from '../../common/request-bodies';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { CollectSampleDto, CreatePlanDto, CreateSampleDto, GenerateRoundDto, ListSamplesDto, RefuseRecheckDto, RequestRecheckDto, SubmitResultsDto, SuggestPanelDto } from './dto/sampling.dto';
import { SamplesService } from './samples.service';
import { SamplingPlansService } from './sampling-plans.service';

@ApiTags('sampling')
@ApiBearerAuth()
@Controller('api/v1/sampling')
export class SamplingController {
  constructor(private readonly plans: SamplingPlansService, private readonly samples: SamplesService) {}

  @Post('plans')
  @Roles('regulator')
  @ApiErrorCodes(
    'INVALID_DECIMAL', 'INVALID_REGION_CODE', 'LAB_NOT_FOUND', 'REGION_OUTSIDE_JURISDICTION',
    'UNKNOWN_ANALYTE', 'UNKNOWN_FOOD',
  )
  createPlan(@CurrentActor() actor: Actor, @Body() dto: CreatePlanDto) {
    return this.plans.create(actor, dto);
  }

  /** The issuing regulator replaces its plan's fields (same rules as creating); rounds already drawn keep their tasks. */
  @Put('plans/:id')
  @Roles('regulator')
  @ApiOperation({ summary: 'Change a sampling plan (issuing regulator); applies to rounds drawn from now on' })
  @ApiErrorCodes(
    'INVALID_DECIMAL', 'INVALID_REGION_CODE', 'LAB_NOT_FOUND', 'NOT_FOUND', 'REGION_OUTSIDE_JURISDICTION',
    'UNKNOWN_ANALYTE', 'UNKNOWN_FOOD',
  )
  updatePlan(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CreatePlanDto) {
    return this.plans.update(actor, id, dto);
  }

  @Get('plans')
  @ApiErrorCodes('INVALID_CURSOR')
  listPlans(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    return this.plans.list(actor, page.limit, page.cursor);
  }

  @Get('plans/:id')
  @ApiErrorCodes('NOT_FOUND')
  getPlan(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.plans.get(actor, id);
  }

  @Get('plans/:id/rounds')
  @ApiErrorCodes('NOT_FOUND')
  listRounds(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.plans.listRounds(actor, id);
  }

  /** Generates the tasks of the period containing `on` now (idempotent; the scheduler does it daily). */
  @Post('plans/:id/rounds')
  @Roles('regulator', 'admin')
  @ApiErrorCodes('NOT_FOUND', 'PERIOD_OUTSIDE_PLAN')
  async generate(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: GenerateRoundDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { round, created } = await this.plans.generateFor(actor, id, dto.on);
    void reply.status(created ? 201 : 200);
    return round;
  }

  @Post('samples')
  @Roles('regulator')
  @ApiErrorCodes('INVALID_DECIMAL', 'LAB_NOT_FOUND', 'NOT_FOUND', 'UNKNOWN_ANALYTE')
  createSample(@CurrentActor() actor: Actor, @Body() dto: CreateSampleDto) {
    return this.samples.create(actor, dto);
  }

  /** The analyte panel a batch's farm records suggest: what was used is what to test for. */
  @Get('suggested-panel')
  @ApiErrorCodes('NOT_FOUND')
  suggestPanel(@CurrentActor() actor: Actor, @Query() query: SuggestPanelDto) {
    return this.samples.suggestPanel(actor, query.batchId);
  }

  @Get('samples')
  @ApiErrorCodes('INVALID_CURSOR')
  listSamples(@CurrentActor() actor: Actor, @Query() query: ListSamplesDto) {
    return this.samples.list(actor, query);
  }

  @Get('samples/:id')
  @ApiErrorCodes('NOT_FOUND')
  getSample(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.samples.get(actor, id);
  }

  @Post('samples/:id/collect')
  @HttpCode(200)
  @Roles('regulator', 'lab')
  @ApiErrorCodes('INVALID_SAMPLE_TRANSITION', 'NOT_FOUND')
  collect(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CollectSampleDto) {
    return this.samples.collect(actor, id, dto);
  }

  @Post('samples/:id/receive')
  @HttpCode(200)
  @Roles('lab')
  @ApiErrorCodes('INVALID_SAMPLE_TRANSITION', 'NOT_FOUND')
  receive(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.samples.receive(actor, id);
  }

  @Post('samples/:id/results')
  @HttpCode(202)
  @Roles('lab')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result' })
  @ApiErrorCodes(
    'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED', 'INVALID_DECIMAL', 'INVALID_SAMPLE_TRANSITION',
    'NOT_FOUND', 'RESULTS_ALREADY_SUBMITTED', 'UNIT_NOT_CONVERTIBLE', 'UNKNOWN_ANALYTE',
  )
  async submit(
    @CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: SubmitResultsDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { sample, replayed } = await this.samples.submit(actor, id, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return sample;
  }

  @Post('results.csv')
  @LargeBody('csv')
  @HttpCode(200)
  @Roles('lab')
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'sample_no,analyte,value,unit,lod,loq,detected,method\n5101312026000001,毒死蜱,0.01,mg/kg,0.005,0.01,,GB 23200.113-2018' } })
  // Rows with problems are listed in the 201 report; only an unreadable file is refused.
  @ApiErrorCodes('INVALID_RESULTS_FILE')
  uploadCsv(@CurrentActor() actor: Actor, @Body() csv: string) {
    return this.samples.uploadCsv(actor, csv);
  }

  @Post('samples/:id/recheck')
  @Roles('org_admin', 'operator')
  @ApiErrorCodes('LAB_NOT_FOUND', 'NOT_FOUND', 'RECHECK_NOT_ALLOWED', 'RECHECK_WINDOW_CLOSED')
  requestRecheck(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RequestRecheckDto) {
    return this.samples.requestRecheck(actor, id, dto);
  }

  @Post('samples/:id/accept')
  @HttpCode(200)
  @Roles('regulator', 'admin')
  @ApiErrorCodes('NOT_A_RECHECK', 'NOT_FOUND', 'RECHECK_NOT_JUDGED', 'RECHECK_ALREADY_DECIDED')
  accept(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.samples.acceptRecheck(actor, id);
  }

  /** A regulator of the sample's region refuses a recheck with a reason; the first verdict stands (idempotent). */
  @Post('samples/:id/refuse')
  @HttpCode(200)
  @Roles('regulator', 'admin')
  @ApiErrorCodes('NOT_A_RECHECK', 'NOT_FOUND', 'RECHECK_ALREADY_DECIDED')
  refuse(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RefuseRecheckDto) {
    return this.samples.refuseRecheck(actor, id, dto);
  }
}
