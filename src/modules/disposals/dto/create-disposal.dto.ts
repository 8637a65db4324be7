import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../../../common/dates';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { PageQueryDto } from '../../../common/pagination';
import { MultiLine } from '../../../common/validation';
import { DISPOSAL_METHODS, EVIDENCE_MAX_FILES, EVIDENCE_TYPES } from '../domain/disposal-rules';

export class EvidenceDto {
  @ApiProperty({ enum: Object.keys(EVIDENCE_TYPES) })
  @IsString()
  contentType: string;

  @ApiProperty({ description: 'The file, base64 (at most 200 KiB decoded)' })
  @IsString() @MaxLength(300_000)
  data: string;
}

export class CreateDisposalDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  batchId: string;

  @ApiProperty({ enum: Object.keys(DISPOSAL_METHODS), description: Object.entries(DISPOSAL_METHODS).map(([k, v]) => `${k} = ${v}`).join(', ') })
  @IsIn(Object.keys(DISPOSAL_METHODS))
  method: string;

  @ApiProperty({ type: QuantityDto })
  @ValidateNested() @Type(() => QuantityDto)
  quantity: QuantityDto;

  @ApiProperty({ example: '2026-11-25' })
  @IsCalendarDate()
  disposedOn: string;

  @ApiProperty({ example: '蒲江县农业农村局 李四', maxLength: 100 })
  @IsString() @MinLength(2) @MaxLength(100)
  witness: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(500) @MultiLine()
  note?: string;

  @ApiPropertyOptional({ type: [EvidenceDto], maxItems: EVIDENCE_MAX_FILES })
  @IsOptional() @IsArray() @ArrayMaxSize(EVIDENCE_MAX_FILES)
  @ValidateNested({ each: true }) @Type(() => EvidenceDto)
  evidence?: EvidenceDto[];
}

export class ListDisposalsDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() batchId?: string;
}
