import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor } from '../auth';
import type { Actor } from '../auth';
import { IndicatorsQueryDto } from './dto/indicators-query.dto';
import { IndicatorsService } from './indicators.service';

@ApiTags('indicators')
@ApiBearerAuth()
@Controller('api/v1/indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  /**
   * The plan's indicators with numerator, denominator, rate, target and whether it is met, for a
   * region, category, organisation and month window, optionally grouped by period and by child
   * region, child category, organisation or GI.
   */
  @Get()
  @ApiErrorCodes('INVALID_REGION_CODE', 'NOT_FOUND', 'UNKNOWN_CATEGORY')
  query(@CurrentActor() actor: Actor, @Query() query: IndicatorsQueryDto) {
    return this.indicators.queryRaw(actor, query);
  }

  /** Resident population by region (the denominator of sampling_density_per_1000), each row with its source and verified flag. */
  @Get('populations')
  populations() {
    return this.indicators.populationTable();
  }
}
