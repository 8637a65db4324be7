import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { TEST_STREAMS } from '../../test-records/domain';
import { SAMPLE_STATUSES } from '../domain/custody';
import { CADENCES } from '../domain/periods';
import { IsCalendarDate, IsInstant } from '../../../common/dates';
import { MultiLine } from '../../../common/validation';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REGION = /^\d{6}$/;

class PlanQuotaDto {
  @ApiProperty({ example: '510131', description: 'GB/T 2260 county (or wider) code' })
  @Matches(REGION)
  county: string;

  @ApiProperty({ example: '蔬菜' })
  @IsString()
  @MaxLength(200)
  category: string;

  @ApiProperty({ minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10000)
  count: number;
}

export class CreatePlanDto {
  @ApiProperty() @IsString() @MaxLength(200) name: string;
  @ApiProperty({ enum: TEST_STREAMS }) @IsIn(TEST_STREAMS) stream: string;
  @ApiProperty({ example: '510100' }) @Matches(REGION) regionCode: string;
  @ApiProperty({ enum: CADENCES }) @IsIn(CADENCES) cadence: string;
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE) @IsCalendarDate() periodFrom: string;
  @ApiProperty({ example: '2026-12-31' }) @Matches(DATE) @IsCalendarDate() periodTo: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) categories: string[];
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @IsString({ each: true }) analytes: string[];
  @ApiProperty({ type: [PlanQuotaDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => PlanQuotaDto) quotas: PlanQuotaDto[];
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsUUID('all', { each: true }) labOrganizationIds: string[];
  @ApiPropertyOptional({ default: 365 }) @IsOptional() @IsInt() @Min(1) @Max(3650) failureLookbackDays?: number;
  @ApiPropertyOptional({ default: 2 }) @IsOptional() @IsInt() @Min(0) @Max(100) failureWeight?: number;
}

export class GenerateRoundDto {
  @ApiPropertyOptional({ description: 'A date inside the period to generate (default today)' }) @IsOptional() @Matches(DATE) @IsCalendarDate() on?: string;
}

export class CreateSampleDto {
  @ApiProperty() @IsUUID() batchId: string;
  @ApiProperty({ enum: TEST_STREAMS }) @IsIn(TEST_STREAMS) stream: string;
  @ApiProperty() @IsUUID() labOrganizationId: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @IsString({ each: true }) analytes: string[];
}

export class CollectSampleDto {
  @ApiProperty({ example: '蒲江县西来镇基地 3 号棚' }) @IsString() @MaxLength(200) place: string;
  @ApiProperty({ example: '2026-11-20T09:30:00+08:00' }) @IsInstant() collectedAt: string;
  @ApiProperty({ example: '张三' }) @IsString() @MaxLength(100) sampler: string;
}

class ResultInputDto {
  @ApiProperty() @IsString() @MaxLength(100) analyte: string;
  @ApiPropertyOptional({ example: '0.05' }) @IsOptional() @Matches(/^\d{1,9}(\.\d{1,9})?$/, { message: 'value must be a decimal string such as "0.05"' }) value?: string;
  @ApiPropertyOptional({ example: 'mg/kg' }) @IsOptional() @IsString() @MaxLength(12) unit?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,9}(\.\d{1,9})?$/, { message: 'lod must be a decimal string' }) lod?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,9}(\.\d{1,9})?$/, { message: 'loq must be a decimal string' }) loq?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() detected?: boolean;
  @ApiPropertyOptional({ example: 'GB 23200.113-2018' }) @IsOptional() @IsString() @MaxLength(200) method?: string;
}

export class SubmitResultsDto {
  @ApiProperty({ type: [ResultInputDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => ResultInputDto) results: ResultInputDto[];
}

export class RequestRecheckDto {
  @ApiPropertyOptional({ description: 'The lab for the recheck (default: the first lab)' }) @IsOptional() @IsUUID() labOrganizationId?: string;
  @ApiProperty() @IsString() @MaxLength(500) @MultiLine() reason: string;
}

export class RefuseRecheckDto {
  @ApiProperty({ description: 'Why the recheck is refused (kept on the recheck and in its custody record)', minLength: 2, maxLength: 300, example: '留样已过保存期限' })
  @IsString() @MinLength(2) @MaxLength(300) @Matches(/\S\S/, { message: 'reason must name why, not be blank' }) @MultiLine() reason: string;
}

export class ListSamplesDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SAMPLE_STATUSES }) @IsOptional() @IsIn(SAMPLE_STATUSES) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() planId?: string;
  /** `open`: rechecks not yet adopted or refused, whatever their progress (the regulator's to-do). */
  @ApiPropertyOptional({ enum: ['open'], description: 'open: rechecks the regulator has neither adopted nor refused' })
  @IsOptional() @IsIn(['open']) recheck?: 'open';
}

export class SuggestPanelDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  batchId: string;
}
