import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { MultiLine } from '../../../common/validation';
import { INPUT_KINDS } from '../domain/input-kinds';
import { MAX_INTERVAL_DAYS } from '../domain/input-row';

export class ActiveIngredientDto {
  @ApiProperty({ example: '溴氰菊酯', description: "An analyte of the limits catalogue (GET /api/v1/limits/analytes)" })
  @IsString()
  @MaxLength(100)
  analyte: string;

  @ApiPropertyOptional({ example: '2.5%' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  content?: string;
}

export class MaxDoseDto {
  @ApiProperty({ example: '40' })
  @IsString()
  @MaxLength(20)
  value: string;

  @ApiProperty({ example: 'mL/亩', description: 'dose unit / area unit: kg, g, mg, 斤, mL, L per 亩, 公顷, 平方米, or per head (头, 只, 羽)' })
  @IsString()
  @MaxLength(20)
  unit: string;
}

export class CropRuleDto {
  @ApiProperty({ example: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', description: 'A node of the food-category tree; covers the foods under it' })
  @IsString()
  @MaxLength(200)
  category: string;

  @ApiPropertyOptional({ example: 21, description: '安全间隔期 (pesticides) or 休药期 (veterinary drugs), days' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INTERVAL_DAYS)
  intervalDays?: number;

  @ApiPropertyOptional({ type: MaxDoseDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MaxDoseDto)
  maxDose?: MaxDoseDto;
}

export class InputFlagsDto {
  @ApiPropertyOptional({ description: '禁用: refused on any edible crop (also set when an active ingredient is a banned analyte)' }) @IsOptional() @IsBoolean() banned?: boolean;
  @ApiPropertyOptional({ description: '限用' }) @IsOptional() @IsBoolean() restricted?: boolean;
  @ApiPropertyOptional({ description: '高效低风险农药' }) @IsOptional() @IsBoolean() lowRisk?: boolean;
  @ApiPropertyOptional({ description: '缓释肥' }) @IsOptional() @IsBoolean() slowRelease?: boolean;
  @ApiPropertyOptional({ description: '有机肥' }) @IsOptional() @IsBoolean() organic?: boolean;
}

export class CreateFarmInputDto {
  @ApiProperty({ enum: INPUT_KINDS })
  @IsIn(INPUT_KINDS)
  kind: string;

  @ApiProperty({ example: '2.5%溴氰菊酯乳油' })
  @IsString()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: 'PD20080005', description: '农药登记证号 PD/WP + 8 digits (legacy LS/WL/PDN/PD85 forms flagged); other kinds in their formats' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  registrationNumber?: string;

  @ApiPropertyOptional({ description: '登记证持有人' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  holder?: string;

  @ApiPropertyOptional({ type: [ActiveIngredientDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ActiveIngredientDto)
  activeIngredients?: ActiveIngredientDto[];

  @ApiPropertyOptional({ type: [CropRuleDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CropRuleDto)
  cropRules?: CropRuleDto[];

  @ApiPropertyOptional({ type: InputFlagsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => InputFlagsDto)
  flags?: InputFlagsDto;

  @ApiProperty({ description: 'Whether the row was checked against an official source' })
  @IsBoolean()
  verified: boolean;

  @ApiProperty({ example: '中国农药信息网 登记信息', description: 'Where the row comes from' })
  @IsString()
  @MaxLength(300)
  source: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @MultiLine()
  note?: string;
}

export class ListInputsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INPUT_KINDS })
  @IsOptional()
  @IsIn(INPUT_KINDS)
  kind?: string;

  @ApiPropertyOptional({ description: 'Part of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  registrationNumber?: string;
}
