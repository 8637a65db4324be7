import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { MultiLine } from '../../../common/validation';
import { GRADES } from '../domain';

const PERIOD = /^\d{4}(-Q[1-4])?$/;

export class GradeRegionDto {
  @ApiProperty({ example: '510131', description: 'GB/T 2260 code within your jurisdiction' })
  @IsString() @MaxLength(6)
  regionCode: string;

  @ApiProperty({ example: '2026', description: 'A year or a quarter (2026-Q3)' })
  @IsString() @MaxLength(7)
  period: string;
}

export class OverrideGradeDto {
  @ApiProperty({ enum: Object.keys(GRADES) }) @IsString() @MaxLength(6)
  grade: string;

  @ApiProperty({ example: '复查发现整改到位', maxLength: 500 }) @IsString() @MaxLength(500) @MultiLine()
  reason: string;
}

export class ListRiskGradesDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026' }) @IsOptional() @Matches(PERIOD) period?: string;
  @ApiPropertyOptional({ enum: Object.keys(GRADES) }) @IsOptional() @IsIn(Object.keys(GRADES)) grade?: string;
  @ApiPropertyOptional({ enum: ['draft', 'published'] }) @IsOptional() @IsIn(['draft', 'published']) status?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organizationId?: string;
}

export class PublishedRiskGradesDto extends PageQueryDto {
  @ApiProperty({ example: '510131' }) @IsString() @MaxLength(6) region: string;
  @ApiProperty({ example: '2026' }) @IsString() @MaxLength(7) period: string;
  @ApiPropertyOptional({ enum: Object.keys(GRADES) }) @IsOptional() @IsIn(Object.keys(GRADES)) grade?: string;
}
