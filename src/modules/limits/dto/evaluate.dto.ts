import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { PageQueryDto } from '../../../common/pagination';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

class ResultDto {
  @ApiProperty({ example: '溴氰菊酯', description: 'Chinese name (or English name) from the analyte catalogue' })
  @IsString()
  @MaxLength(100)
  analyte: string;

  @ApiPropertyOptional({ example: '0.05', description: 'Decimal string (or number) in `unit`; may be omitted when detected is false' })
  @Allow()
  value?: string | number | null;

  @ApiProperty({ example: 'mg/kg', description: 'mg/kg, µg/kg (ug/kg), µg/g, ng/g, ng/kg, pg/g, g/kg, mg/g' })
  @IsString()
  @MaxLength(20)
  unit: string;

  @ApiPropertyOptional({ example: '0.005', description: 'Limit of detection, in `unit`: a value below it counts as not detected' })
  @Allow()
  lod?: string | number | null;

  @ApiPropertyOptional({ example: '0.01', description: 'Limit of quantification, in `unit` (reported back, not used to judge)' })
  @Allow()
  loq?: string | number | null;

  @ApiPropertyOptional({ description: 'The lab\'s own call; false = not detected (< LOD)' })
  @IsOptional()
  @IsBoolean()
  detected?: boolean;
}

export class EvaluateDto {
  @ApiProperty({ example: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', description: 'Path of the food-category tree' })
  @IsString()
  @MaxLength(200)
  food: string;

  @ApiProperty({ example: '2026-03-01', description: 'The edition in force on this date judges' })
  @IsDefined()
  @IsString()
  samplingDate: string;

  @ApiProperty({ type: [ResultDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ResultDto)
  results: ResultDto[];
}

export class ListLimitsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '溴氰菊酯' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  analyte?: string;

  @ApiPropertyOptional({ example: '水果>柑橘类水果>橙', description: 'Rows set on this food or an ancestor; with `on`, the rows that would judge it' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  food?: string;

  @ApiPropertyOptional({ example: 'GB 2763', description: 'Standard (its numbered parts included) or one edition: `GB 2763-2021`' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  standard?: string;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'Only rows in force on this date' })
  @IsOptional()
  @IsString()
  on?: string;
}
