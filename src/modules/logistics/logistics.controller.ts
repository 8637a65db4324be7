import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { AllocateSsccsDto } from './dto/allocate-ssccs.dto';
import { LogisticsService } from './logistics.service';

@ApiTags('logistic units (SSCC)')
@ApiBearerAuth()
@Controller('api/v1/ssccs')
export class LogisticsController {
  constructor(private readonly logistics: LogisticsService) {}

  /** Allocates SSCCs from the organisation's GS1 company prefix: unique, never reused. */
  @Post()
  @Roles('org_admin', 'operator')
  @ApiErrorCodes('NO_COMPANY_PREFIX', 'SSCC_EXHAUSTED')
  allocate(@CurrentActor() actor: Actor, @Body() dto: AllocateSsccsDto) {
    return this.logistics.allocate(actor, dto);
  }

  @Get(':sscc')
  @Roles('org_admin', 'operator')
  @ApiErrorCodes('NOT_FOUND', 'INVALID_SSCC')
  get(@CurrentActor() actor: Actor, @Param('sscc') sscc: string) {
    return this.logistics.get(actor, sscc);
  }
}
