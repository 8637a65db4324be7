import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../../../common/dates';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { PageQueryDto } from '../../../common/pagination';
import { MultiLine } from '../../../common/validation';
import { MARK_SCHEMES, RECORDED_SCHEMES } from '../domain/mark-schemes';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateMarkDto {
  @ApiProperty({ enum: RECORDED_SCHEMES, description: 'GI records are kept at /api/v1/gi' })
  @IsIn(RECORDED_SCHEMES)
  scheme: string;

  @ApiProperty({ example: 'LB-15-19012700330A', description: 'Certificate or licence number in the scheme\'s format (GET /api/v1/marks/schemes)' })
  @IsString() @MaxLength(60)
  number: string;

  @ApiProperty({ example: '93510131MA6CXXXX0X', description: 'Holder USCC; an organisation on the platform with it becomes the holder' })
  @IsString()
  holderUscc: string;

  @ApiPropertyOptional({ example: '蒲江县绿源猕猴桃专业合作社' })
  @IsOptional() @IsString() @MaxLength(200)
  holderName?: string;

  @ApiPropertyOptional({ example: 'GF510131240001', description: '绿色食品 enterprise code: GF + county code + year + serial' })
  @IsOptional() @IsString() @MaxLength(20)
  enterpriseCode?: string;

  @ApiPropertyOptional({ example: '中国绿色食品发展中心' })
  @IsOptional() @IsString() @MaxLength(200)
  certifier?: string;

  @ApiPropertyOptional({ type: [String], description: 'Platform products covered' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsUUID('all', { each: true })
  productIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['猕猴桃'], description: 'Product names as the certificate lists them (matched exactly)' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MaxLength(100, { each: true })
  productNames?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Category paths covered (and everything below them)' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MaxLength(500, { each: true })
  categoryPaths?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Certified sites/bases; absent: any site (within areaCodes)' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsUUID('all', { each: true })
  siteIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['510131'], description: 'Regions covered (GB/T 2260); absent: anywhere' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true })
  areaCodes?: string[];

  @ApiProperty({ example: '2025-03-01' })
  @Matches(DATE, { message: 'validFrom must be a date YYYY-MM-DD' }) @IsCalendarDate()
  validFrom: string;

  @ApiPropertyOptional({ example: '2028-02-29', description: 'Last valid day (required where the scheme limits validity)' })
  @IsOptional() @Matches(DATE, { message: 'validTo must be a date YYYY-MM-DD' }) @IsCalendarDate()
  validTo?: string;

  @ApiPropertyOptional({ type: QuantityDto, description: 'Yearly quantity the certificate covers (批准产量)' })
  @IsOptional() @ValidateNested() @Type(() => QuantityDto)
  yearlyQuota?: QuantityDto;
}

export class RevokeMarkDto {
  @ApiProperty({ maxLength: 500, example: '年检不合格，撤销标志使用权' })
  @IsString() @MaxLength(500) @MultiLine()
  reason: string;

  @ApiPropertyOptional({ example: '2026-11-27', description: 'Defaults to today (China time)' })
  @IsOptional() @Matches(DATE, { message: 'revokedOn must be a date YYYY-MM-DD' }) @IsCalendarDate()
  revokedOn?: string;
}

export class CreateLicenceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The platform organisation (or give uscc)' })
  @IsOptional() @IsUUID()
  organizationId?: string;

  @ApiPropertyOptional({ description: 'USCC of a platform organisation (or give organizationId)' })
  @IsOptional() @IsString()
  uscc?: string;

  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE, { message: 'validFrom must be a date YYYY-MM-DD' }) @IsCalendarDate()
  validFrom: string;

  @ApiPropertyOptional({ example: '2028-12-31', description: 'Last valid day; absent = open-ended' })
  @IsOptional() @Matches(DATE, { message: 'validTo must be a date YYYY-MM-DD' }) @IsCalendarDate()
  validTo?: string;

  @ApiPropertyOptional({ type: QuantityDto, description: 'Yearly quantity quota (calendar year of the claimed date)' })
  @IsOptional() @ValidateNested() @Type(() => QuantityDto)
  yearlyQuota?: QuantityDto;
}

export class ListMarksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECORDED_SCHEMES })
  @IsOptional() @IsIn(RECORDED_SCHEMES)
  scheme?: string;

  @ApiPropertyOptional({ enum: ['active', 'revoked'] })
  @IsOptional() @IsIn(['active', 'revoked'])
  status?: string;

  @ApiPropertyOptional({ description: 'Number, exact' })
  @IsOptional() @IsString() @MaxLength(60)
  number?: string;

  @ApiPropertyOptional({ description: 'Holder USCC, exact' })
  @IsOptional() @IsString() @MaxLength(18)
  holderUscc?: string;
}

export class ClaimsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MARK_SCHEMES })
  @IsOptional() @IsIn(MARK_SCHEMES)
  scheme?: string;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional() @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' }) @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional() @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' }) @IsCalendarDate()
  to?: string;
}

export class ExpiringQueryDto {
  @ApiPropertyOptional({ default: 90, minimum: 0, maximum: 3660, description: 'Certificates ending within this many days (and those already ended in that many days)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(3660)
  days?: number;

  @ApiPropertyOptional({ enum: RECORDED_SCHEMES })
  @IsOptional() @IsIn(RECORDED_SCHEMES)
  scheme?: string;
}

export class OrganicAllocationDto {
  @ApiPropertyOptional({ example: '12426000000000001', description: 'First code of a range (or give codes)' })
  @IsOptional() @IsString() @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ example: '12426000000001000' })
  @IsOptional() @IsString() @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ type: [String], description: 'A list of codes (or give from/to)' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200000) @IsString({ each: true }) @MaxLength(40, { each: true })
  codes?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(500)
  note?: string;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'Check every row and report, write nothing', default: false })
  @IsOptional() @IsIn(['true', 'false'])
  dryRun?: string;
}
