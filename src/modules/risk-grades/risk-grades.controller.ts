import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Public, Roles } from '../auth';
import type { Actor } from '../auth';
import { GradeRegionDto, ListRiskGradesDto, OverrideGradeDto, PublishedRiskGradesDto } from './dto/risk-grades.dto';
import { RiskGradesService } from './risk-grades.service';

@ApiTags('risk-grades')
@ApiBearerAuth()
@Controller('api/v1/risk-grades')
export class RiskGradesController {
  constructor(private readonly grades: RiskGradesService) {}

  /** The grading rules per product group (weights, thresholds, draw weights, source, verified). */
  @Get('rules')
  rules() {
    return this.grades.listRules();
  }

  /** Grades every organisation of a region for a period from the evidence (drafts for review). */
  @Post('compute')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('INVALID_PERIOD', 'INVALID_REGION_CODE', 'REGION_OUTSIDE_JURISDICTION')
  compute(@CurrentActor() actor: Actor, @Body() dto: GradeRegionDto) {
    return this.grades.compute(actor, dto.regionCode, dto.period);
  }

  /** Publishes the region's reviewed drafts of a period. */
  @Post('publish')
  @Roles('admin', 'regulator')
  @ApiErrorCodes('INVALID_PERIOD', 'INVALID_REGION_CODE', 'REGION_OUTSIDE_JURISDICTION')
  publish(@CurrentActor() actor: Actor, @Body() dto: GradeRegionDto) {
    return this.grades.publish(actor, dto.regionCode, dto.period);
  }

  /** The published list of a region and period (public: organisation, region, grade). */
  @Get('published')
  @Public()
  @ApiErrorCodes('INVALID_PERIOD', 'INVALID_REGION_CODE', 'INVALID_CURSOR')
  published(@Query() query: PublishedRiskGradesDto) {
    return this.grades.published(query);
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: ListRiskGradesDto) {
    return this.grades.list(actor, query);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.grades.get(actor, id);
  }

  /** A reviewer's grade with the reason (drafts only; audited). */
  @Patch(':id')
  @Roles('regulator')
  @ApiErrorCodes('GRADE_PUBLISHED', 'INVALID_OVERRIDE', 'NOT_FOUND')
  override(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: OverrideGradeDto) {
    return this.grades.override(actor, id, dto.grade, dto.reason);
  }
}
