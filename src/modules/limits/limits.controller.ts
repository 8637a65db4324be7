import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../../libs/errors';
import { LargeBody } from '../../common/request-bodies';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { Roles } from '../auth';
import { EvaluateDto, ListLimitsQueryDto } from './dto/evaluate.dto';
import { LimitsService } from './limits.service';

@ApiTags('limits')
@ApiBearerAuth()
@Controller('api/v1/limits')
export class LimitsController {
  constructor(private readonly limits: LimitsService) {}

  /**
   * Imports a limit table (CSV: standard,edition,effective_from,analyte,analyte_en,kind,food,
   * limit_mg_per_kg,verified,note). All or nothing: any bad row → 422 listing every problem as {row, column, code, message}.
   * Re-importing the same table changes nothing; a new edition adds rows; changed rows are corrected.
   */
  @Post('import')
  @LargeBody('csv')
  @HttpCode(200)
  @Roles('admin')
  @ApiConsumes('text/csv', 'text/plain')
  @ApiBody({ schema: { type: 'string', example: 'standard,edition,effective_from,analyte,analyte_en,kind,food,limit_mg_per_kg,verified,note\nGB 2763,2026,2026-03-01,溴氰菊酯,deltamethrin,mrl,水果>柑橘类水果,0.02,no,' } })
  @ApiErrorCodes('INVALID_LIMIT_FILE', 'LIMIT_IMPORT_REJECTED')
  import(@Body() body: unknown) {
    if (typeof body !== 'string') {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the limit table as the request body with Content-Type: text/csv');
    }
    return this.limits.importCsv(body);
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR', 'UNKNOWN_ANALYTE', 'UNKNOWN_FOOD')
  list(@Query() query: ListLimitsQueryDto) {
    return this.limits.list(query);
  }

  @Get('analytes')
  analytes() {
    return this.limits.listAnalytes();
  }

  /** Judges results against the limits in force on the sampling date; overall verdict is the AND. */
  @Post('evaluate')
  @HttpCode(200)
  @ApiErrorCodes('INVALID_DECIMAL', 'UNIT_NOT_CONVERTIBLE', 'UNKNOWN_ANALYTE', 'UNKNOWN_FOOD')
  evaluate(@Body() dto: EvaluateDto) {
    return this.limits.judge(dto);
  }
}
