import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { IsInstant } from '../../../common/dates';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '`<type>:<id>` (e.g. `batches:…uuid…`) or an id alone', example: 'batches:7d3c…' })
  @IsOptional()
  @IsString()
  @MaxLength(170)
  subject?: string;

  @ApiPropertyOptional({ description: 'Entries at or after this instant (ISO 8601)', example: '2026-11-01T00:00:00+08:00' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Entries before this instant (ISO 8601)' })
  @IsOptional()
  @IsInstant()
  to?: string;
}
