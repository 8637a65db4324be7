import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../../libs/errors';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { LargeBody } from '../../common/request-bodies';
import type { Actor } from '../auth';
import { CurrentActor, Roles } from '../auth';
import { ImportMarketSamplingQueryDto, ListMarketSamplingQueryDto } from './dto/market-sampling.dto';
import { MarketSamplingService } from './market-sampling.service';

/**
 * The market regulator's published food-sampling statistics (市场监管部门食品安全监督抽检): imported
 * from CSV by a provincial regulator, read by regulators, shown on the dashboard beside 食品抽检合格率.
 */
@ApiTags('market-sampling')
@ApiBearerAuth()
@Controller('api/v1/market-sampling')
export class MarketSamplingController {
  constructor(private readonly stats: MarketSamplingService) {}

  @Post('stats.csv')
  @LargeBody('csv')
  @Roles('regulator', 'admin')
  @ApiOperation({ summary: "Import the market regulator's published sampling results (CSV; provincial regulator or admin); a period re-imported is replaced" })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'period,region_code,samples,failed\n2026-Q3,510000,41250,980\n2026-Q3,510100,9120,201' } })
  @ApiErrorCodes('MARKET_SAMPLING_IMPORT_REJECTED', 'INVALID_CSV')
  importCsv(@CurrentActor() actor: Actor, @Body() body: unknown, @Query() q: ImportMarketSamplingQueryDto) {
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the CSV file as the request body with Content-Type: text/csv');
    }
    return this.stats.importCsv(actor, typeof body === 'string' ? body : '', q);
  }

  @Get('stats')
  @Roles('regulator', 'admin')
  @ApiOperation({ summary: "The market regulator's sampling figures in your region, newest import first, with their source" })
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() q: ListMarketSamplingQueryDto) {
    return this.stats.list(actor, q);
  }
}
