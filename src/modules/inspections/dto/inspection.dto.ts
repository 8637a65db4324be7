import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../../../common/dates';
import { PageQueryDto } from '../../../common/pagination';
import { MultiLine } from '../../../common/validation';
import { FINDING_SEVERITIES, ITEM_RESULTS, MAX_ITEMS, PHOTO_MAX_FILES, PHOTO_TYPES } from '../domain';

export class ChecklistItemDto {
  @ApiProperty({ example: 'production_records' }) @IsString() @MaxLength(40)
  key: string;

  @ApiProperty({ example: '建立并保存农产品生产记录' }) @IsString() @MaxLength(200)
  text: string;
}

export class CreateTemplateDto {
  @ApiProperty({ example: 'planting', description: 'The checklist; a new version of an existing code, or version 1 of a new one' })
  @IsString() @MaxLength(40)
  code: string;

  @ApiProperty({ example: '种植业生产主体巡查检查表' }) @IsString() @MinLength(2) @MaxLength(100)
  name: string;

  @ApiProperty({ type: [ChecklistItemDto], maxItems: MAX_ITEMS })
  @IsArray() @ArrayMaxSize(MAX_ITEMS) @ValidateNested({ each: true }) @Type(() => ChecklistItemDto)
  items: ChecklistItemDto[];

  @ApiProperty({ example: '成都市农业农村局 2025 年巡查检查表', maxLength: 300 }) @IsString() @MinLength(2) @MaxLength(300)
  source: string;

  @ApiPropertyOptional({ default: false, description: 'Checked against the source' }) @IsOptional() @IsBoolean()
  verified?: boolean;
}

export class ItemResultDto {
  @ApiProperty() @IsString() @MaxLength(40)
  itemKey: string;

  @ApiProperty({ enum: Object.keys(ITEM_RESULTS) }) @IsString() @MaxLength(10)
  result: string;

  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @MaxLength(300) @MultiLine()
  note?: string;
}

export class FindingDto {
  @ApiPropertyOptional({ nullable: true, description: 'The failed item (null: outside the checklist)' })
  @IsOptional() @IsString() @MaxLength(40)
  itemKey?: string | null;

  @ApiProperty({ maxLength: 500 }) @IsString() @MinLength(2) @MaxLength(500) @MultiLine()
  description: string;

  @ApiProperty({ enum: Object.keys(FINDING_SEVERITIES) }) @IsIn(Object.keys(FINDING_SEVERITIES))
  severity: string;

  @ApiPropertyOptional({ description: '整改期限; default: 15 working days (一般) or 5 (严重) after the inspection' })
  @IsOptional() @IsCalendarDate()
  deadline?: string;
}

export class PhotoDto {
  @ApiProperty({ enum: Object.keys(PHOTO_TYPES) }) @IsString() @MaxLength(40)
  contentType: string;

  @ApiProperty({ description: 'The photo, base64 (at most 200 KiB decoded; the whole request at most 1 MiB)' }) @IsString() @MaxLength(300_000)
  data: string;

  @ApiPropertyOptional({ description: 'The checklist item of the finding this photo shows (one of the findings\' itemKey); absent: the inspection as a whole' })
  @IsOptional() @IsString() @MaxLength(40)
  itemKey?: string;
}

export class CreateInspectionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID()
  organizationId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The site (基地) inspected, one of the organisation\'s' }) @IsOptional() @IsUUID()
  siteId?: string;

  @ApiProperty({ format: 'uuid', description: 'A published checklist version' }) @IsUUID()
  templateId: string;

  @ApiProperty({ example: '2026-11-25' }) @IsCalendarDate()
  inspectedOn: string;

  @ApiProperty({ example: ['张三', '李四'], description: 'The inspectors by name (1–5)' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5) @IsString({ each: true }) @MinLength(2, { each: true }) @MaxLength(40, { each: true })
  inspectors: string[];

  @ApiProperty({ type: [ItemResultDto] })
  @IsArray() @ArrayMaxSize(MAX_ITEMS) @ValidateNested({ each: true }) @Type(() => ItemResultDto)
  results: ItemResultDto[];

  @ApiPropertyOptional({ type: [FindingDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => FindingDto)
  findings?: FindingDto[];

  @ApiPropertyOptional({ type: [PhotoDto], maxItems: PHOTO_MAX_FILES })
  @IsOptional() @IsArray() @ArrayMaxSize(PHOTO_MAX_FILES) @ValidateNested({ each: true }) @Type(() => PhotoDto)
  photos?: PhotoDto[];

  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000) @MultiLine()
  note?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A re-inspection (复查) of this earlier inspection of the same organisation' })
  @IsOptional() @IsUUID()
  reinspectionOf?: string;

  @ApiPropertyOptional({ type: [String], description: 'Open findings of the organisation found corrected: closed by this inspection' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsUUID('all', { each: true })
  closeFindingIds?: string[];
}

export class ListInspectionsDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organizationId?: string;
}

export class ListFindingsDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed', 'overdue'], default: 'open' }) @IsOptional() @IsIn(['open', 'closed', 'overdue'])
  status?: 'open' | 'closed' | 'overdue';

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organizationId?: string;
}

export class ListDueInspectionsDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '510131', description: 'GB/T 2260 code within your jurisdiction (default: your jurisdiction)' })
  @IsOptional() @IsString() @MaxLength(6)
  region?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Due on this day (default: today in China)' })
  @IsOptional() @IsCalendarDate()
  on?: string;
}
