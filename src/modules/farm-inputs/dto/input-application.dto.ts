import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsDefined, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { IsInstant } from '../../../common/dates';
import { PageQueryDto } from '../../../common/pagination';
import { MultiLine } from '../../../common/validation';

export class AmountDto {
  @ApiProperty({ example: '30' })
  @IsDefined()
  value: string;

  @ApiProperty({ example: 'mL' })
  @IsString()
  @MaxLength(10)
  unit: string;
}

export class CreateInputApplicationDto {
  @ApiProperty({ format: 'uuid', description: "A site of the caller's organisation (a livestock farm is a site too)" })
  @IsUUID()
  siteId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The catalogue input; optional when labelCode names it' })
  @IsOptional()
  @IsUUID()
  inputId?: string;

  @ApiPropertyOptional({ description: 'The 32-digit 单元识别代码 scanned from the pesticide label (or the scanned URL holding it); digits 2–7 must match the registration number' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  labelCode?: string;

  @ApiPropertyOptional({ example: '51013100100000000001', description: "A seed (kind seed) sown from a bag: the 单元识别代码 of the bag's QR (种子标签二维码, line 3), 1 to 20 digits or Latin letters" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  seedUnitCode?: string;

  @ApiProperty({ example: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', description: 'The crop or livestock, a node of the food-category tree' })
  @IsString()
  @MaxLength(200)
  crop: string;

  @ApiPropertyOptional({ example: '3号圈舍', description: 'Livestock: the animal group' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  animalGroup?: string;

  @ApiPropertyOptional({ type: [String], example: ['151013100000123'], description: 'Livestock: 15-digit ear tags (畜禽标识)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  earTags?: string[];

  @ApiProperty({ example: '2026-09-01T08:30:00+08:00', description: 'When it was applied (not in the future, not before the site was registered)' })
  @IsInstant()
  appliedAt: string;

  @ApiProperty({ type: AmountDto, description: 'Dose: kg, g, mg, 斤, mL, L' })
  @IsDefined()
  @ValidateNested()
  @Type(() => AmountDto)
  dose: AmountDto;

  @ApiProperty({ type: AmountDto, description: 'Area treated (亩, 公顷, 平方米) or animals (头, 只, 羽, 尾)' })
  @IsDefined()
  @ValidateNested()
  @Type(() => AmountDto)
  area: AmountDto;

  @ApiProperty({ example: '蚜虫', description: 'Target pest, disease or purpose (防治对象 / 用途)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  target: string;

  @ApiProperty({ example: '王建国', description: 'Who applied it (never shown publicly)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  operator: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The voided record this one re-enters' })
  @IsOptional()
  @IsUUID()
  replacesId?: string;
}

export class VoidApplicationDto {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @MultiLine()
  reason: string;
}

export class OverrideDto {
  @ApiProperty({ example: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', description: 'The crop the override is for' })
  @IsString()
  @MaxLength(200)
  crop: string;

  @ApiProperty({ maxLength: 500, description: 'Why (e.g. the residue test of sample …)' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @MultiLine()
  reason: string;
}

export class ListApplicationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The applications the gate found for this batch, with its gate records (warnings, overrides)' })
  @IsOptional()
  @IsUUID()
  batchId?: string;
}
