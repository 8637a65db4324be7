import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsInstant } from '../../../common/dates';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { MultiLine } from '../../../common/validation';
import { RECALL_GRADE_VALUES } from '../domain/recall-grades';

export class CreateRecallDto {
  @ApiProperty({ format: 'uuid', description: 'The lot the recall starts from' })
  @IsUUID()
  batchId: string;

  @ApiProperty({ maxLength: 400, example: '例行监测：毒死蜱残留超标' })
  @IsString() @MinLength(2) @MaxLength(400)
  @MultiLine()
  reason: string;

  @ApiPropertyOptional({ default: false, description: 'Mock recall: compute the same report without changing anything' })
  @IsOptional() @IsBoolean()
  mock?: boolean;

  @ApiPropertyOptional({ enum: RECALL_GRADE_VALUES, description: '1 = 一级 (start 24 h, finish 10 working days), 2 = 二级 (48 h / 20), 3 = 三级 (72 h / 30)' })
  @IsOptional() @IsIn(RECALL_GRADE_VALUES)
  grade?: 1 | 2 | 3;

  @ApiPropertyOptional({ description: 'When the risk became known (deadlines count from here); default now', example: '2026-11-20T10:00:00+08:00' })
  @IsOptional() @IsInstant()
  discoveredAt?: string;
}

export class RecallConfirmationDto {
  @ApiProperty({ type: QuantityDto, description: 'Recovered (收回) from the market or customers' })
  @ValidateNested() @Type(() => QuantityDto)
  recovered: QuantityDto;

  @ApiProperty({ type: QuantityDto, description: 'Disposed of (处置) by this organisation' })
  @ValidateNested() @Type(() => QuantityDto)
  disposed: QuantityDto;

  @ApiProperty({ type: QuantityDto, description: 'Already sold through (已售出) and not recoverable' })
  @ValidateNested() @Type(() => QuantityDto)
  soldThrough: QuantityDto;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(500) @MultiLine()
  note?: string;
}
