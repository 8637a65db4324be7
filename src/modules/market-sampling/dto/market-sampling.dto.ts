import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';

export class ImportMarketSamplingQueryDto {
  @ApiProperty({ description: 'The publication the figures come from', minLength: 2, maxLength: 300, example: '四川省市场监督管理局 2026 年第三季度食品安全监督抽检情况通告' })
  @IsString() @MinLength(2) @MaxLength(300) @Matches(/\S\S/, { message: 'source must name the publication' })
  source: string;

  @ApiPropertyOptional({ description: 'The file name as uploaded', maxLength: 200, example: '2026Q3-抽检.csv' })
  @IsOptional() @IsString() @MaxLength(200)
  fileName?: string;
}

export class ListMarketSamplingQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'One region code (exact)', example: '510000' })
  @IsOptional() @Matches(/^\d{6}$/, { message: 'regionCode must be a 6-digit GB/T 2260 code' })
  regionCode?: string;

  @ApiPropertyOptional({ description: 'One period: 2026, 2026-Q3, 2026-H1 or 2026-05', example: '2026-Q3' })
  @IsOptional() @IsString() @MaxLength(10)
  period?: string;
}
