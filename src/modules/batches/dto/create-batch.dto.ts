import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { MultiLine } from '../../../common/validation';
import { IsCalendarDate, IsInstant } from '../../../common/dates';

export class MarkClaimDto {
  @ApiProperty({ format: 'uuid', description: 'A mark record (GET /api/v1/marks)' })
  @IsUUID()
  markId: string;
}

export class CreateBatchDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  productId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  siteId: string;

  @ApiPropertyOptional({ example: '2611270A3F', description: 'GS1 AI (10) lot: ≤ 20 characters of set 82; generated when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lotCode?: string;

  @ApiProperty({ type: QuantityDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => QuantityDto)
  quantity: QuantityDto;

  @ApiProperty({ example: '2026-11-27', description: 'Production (harvest, packing) date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'producedOn must be a date YYYY-MM-DD' })
  @IsCalendarDate({ message: 'producedOn must be a real calendar date' })
  producedOn: string;

  @ApiPropertyOptional({
    example: '2026-11-25',
    description: 'Harvest (slaughter, catch) date, on or before producedOn. The safe-interval gate (安全间隔期/休药期) judges it against the farm records of the site and crop; without it, producedOn is judged (a harvest is never later than packing).',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'harvestedOn must be a date YYYY-MM-DD' })
  @IsCalendarDate({ message: 'harvestedOn must be a real calendar date' })
  harvestedOn?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Variety (品种) of the commodity, e.g. 红阳 (FSMA 204 harvesting and initial packing KDE)' })
  @IsOptional() @IsString() @MaxLength(100)
  variety?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Field or growing area harvested (地块), e.g. 西来镇 3 号地块 (FSMA 204 harvesting KDE)' })
  @IsOptional() @IsString() @MaxLength(200)
  growingArea?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Business name of the harvester when another business harvested (FSMA 204 initial packing KDE)' })
  @IsOptional() @IsString() @MaxLength(200)
  harvesterName?: string;

  @ApiPropertyOptional({ maxLength: 30, description: 'Harvester\'s phone number (FSMA 204 initial packing KDE)' })
  @IsOptional() @IsString() @MaxLength(30) @Matches(/^[0-9+\-() ]{5,30}$/, { message: 'harvesterPhone must be a phone number (digits, + - ( ) and spaces)' })
  harvesterPhone?: string;

  @ApiPropertyOptional({ description: 'When the commodity was cooled before initial packing (ISO 8601 instant; FSMA 204 cooling CTE)' })
  @IsOptional() @IsInstant()
  cooledAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The caller\'s site where it was cooled (FSMA 204 cooling location), given with cooledAt; the batch\'s site by default' })
  @IsOptional() @IsUUID()
  coolingSiteId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The caller\'s site where the lot code was assigned (FSMA 204 traceability lot code source); the batch\'s site by default' })
  @IsOptional() @IsUUID()
  tlcSourceSiteId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A geographical indication (地理标志) this batch claims; checked against the registry' })
  @IsOptional()
  @IsUUID()
  giId?: string;

  @ApiPropertyOptional({ type: () => [MarkClaimDto], description: 'Quality marks (绿色食品, 有机产品, brands) this batch claims; each checked against its record' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => MarkClaimDto)
  marks?: MarkClaimDto[];
}

export class ChangeBatchStatusDto {
  @ApiProperty({ enum: ['active', 'on_hold', 'recalled', 'closed'] })
  @IsString()
  status: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @MultiLine()
  reason?: string;
}
