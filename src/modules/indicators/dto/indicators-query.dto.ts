import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { RawIndicatorQuery } from '../domain/indicator-query';
import { GROUP_DIMENSIONS, INDICATOR_KEYS } from '../domain/indicator-types';

/** Strings only: the service checks values and names the field and rule of anything wrong. */
export class IndicatorsQueryDto implements RawIndicatorQuery {
  @ApiPropertyOptional({ description: `Comma list; default every indicator. One of: ${INDICATOR_KEYS.join(', ')}`, example: 'routine_monitoring' })
  @IsOptional() @IsString() @MaxLength(300)
  indicator?: string;

  @ApiPropertyOptional({ example: '510100', description: 'GB/T 2260 code (province, 市(州) or county); a regulator defaults to and may only narrow its own region' })
  @IsOptional() @IsString() @MaxLength(6)
  region?: string;

  @ApiPropertyOptional({ example: '水果>柑橘类水果', description: 'A node of the food-category tree, any level' })
  @IsOptional() @IsString() @MaxLength(200)
  category?: string;

  @ApiPropertyOptional({ description: 'Organisation id (regulators: drill into one organisation; organisations always see only their own)' })
  @IsOptional() @IsString() @MaxLength(36)
  organization?: string;

  @ApiPropertyOptional({ example: '2026-01', description: 'First month: YYYY-MM or the first day YYYY-MM-01; default January of this year' })
  @IsOptional() @IsString() @MaxLength(10)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12', description: 'Last month: YYYY-MM or its last day; default this month' })
  @IsOptional() @IsString() @MaxLength(10)
  to?: string;

  @ApiPropertyOptional({
    example: 'quarter,region',
    description: `Comma list: at most one of month/quarter/year and one of region/category/organization/gi (${GROUP_DIMENSIONS.join(', ')})`,
  })
  @IsOptional() @IsString() @MaxLength(40)
  groupBy?: string;
}
