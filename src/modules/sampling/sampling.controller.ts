import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PageQueryDto } from '../../common/pagination';
import { LargeBody } from '../../common/request-bodies';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { CollectSampleDto, CreatePlanDto, CreateSampleDto, GenerateRoundDto, ListSamplesDto, RequestRecheckDto, SubmitResultsDto } from './dto/sampling.dto';
import { SamplesService } from './samples.service';
import { SamplingPlansService } from './sampling-plans.service';

@ApiTags('sampling')
@ApiBearerAuth()
@Controller('api/v1/sampling')
export class SamplingController {
  constructor(private readonly plans: SamplingPlansService, private readonly samples: SamplesService) {}

  @Post('plans')
  @Roles('regulator')
  createPlan(@CurrentActor() actor: Actor, @Body() dto: CreatePlanDto) {
    return this.plans.create(actor, dto);
  }

  @Get('plans')
  listPlans(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    return this.plans.list(actor, page.limit, page.cursor);
  }

  @Get('plans/:id')
  getPlan(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.plans.get(actor, id);
  }

  @Get('plans/:id/rounds')
  listRounds(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.plans.listRounds(actor, id);
  }

  /** Generates the tasks of the period containing `on` now (idempotent; the scheduler does it daily). */
  @Post('plans/:id/rounds')
  @Roles('regulator', 'admin')
  async generate(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: GenerateRoundDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { round, created } = await this.plans.generateFor(actor, id, dto.on);
    void reply.status(created ? 201 : 200);
    return round;
  }

  @Post('samples')
  @Roles('regulator')
  createSample(@CurrentActor() actor: Actor, @Body() dto: CreateSampleDto) {
    return this.samples.create(actor, dto);
  }

  @Get('samples')
  listSamples(@CurrentActor() actor: Actor, @Query() query: ListSamplesDto) {
    return this.samples.list(actor, query);
  }

  @Get('samples/:id')
  getSample(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.samples.get(actor, id);
  }

  @Post('samples/:id/collect')
  @HttpCode(200)
  @Roles('regulator', 'lab')
  collect(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: CollectSampleDto) {
    return this.samples.collect(actor, id, dto);
  }

  @Post('samples/:id/receive')
  @HttpCode(200)
  @Roles('lab')
  receive(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.samples.receive(actor, id);
  }

  @Post('samples/:id/results')
  @HttpCode(202)
  @Roles('lab')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first result' })
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
  uploadCsv(@CurrentActor() actor: Actor, @Body() csv: string) {
    return this.samples.uploadCsv(actor, csv);
  }

  @Post('samples/:id/recheck')
  @Roles('org_admin', 'operator')
  requestRecheck(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: RequestRecheckDto) {
    return this.samples.requestRecheck(actor, id, dto);
  }

  @Post('samples/:id/accept')
  @HttpCode(200)
  @Roles('regulator', 'admin')
  accept(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.samples.acceptRecheck(actor, id);
  }
}
