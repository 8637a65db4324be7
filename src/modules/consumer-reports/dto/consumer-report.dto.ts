import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../../../common/dates';
import { PageQueryDto } from '../../../common/pagination';
import { MultiLine } from '../../../common/validation';
import { PHOTO_MAX_FILES, PHOTO_TYPES, REPORT_CATEGORIES, REPORT_STATUSES, TRIAGE_STATUSES } from '../domain/report-rules';

export class ReportPhotoDto {
  @ApiProperty({ enum: Object.keys(PHOTO_TYPES) })
  @IsString()
  contentType: string;

  @ApiProperty({ description: 'The photo, base64 (at most 240 KiB decoded; re-encoded as JPEG without metadata when stored)' })
  @IsString() @MaxLength(340_000)
  data: string;
}

export class CreateConsumerReportDto {
  @ApiProperty({ description: 'The trace code on the package (batch or item code)', example: '742B4XNBN9ZD3' })
  @IsString() @MaxLength(40)
  code: string;

  @ApiProperty({ enum: Object.keys(REPORT_CATEGORIES), description: Object.entries(REPORT_CATEGORIES).map(([k, v]) => `${k} = ${v}`).join(', ') })
  @IsIn(Object.keys(REPORT_CATEGORIES))
  category: string;

  @ApiProperty({ minLength: 5, maxLength: 1000 })
  @IsString() @MinLength(5) @MaxLength(1000) @MultiLine()
  text: string;

  @ApiPropertyOptional({ type: [ReportPhotoDto], maxItems: PHOTO_MAX_FILES })
  @IsOptional() @IsArray() @ArrayMaxSize(PHOTO_MAX_FILES)
  @ValidateNested({ each: true }) @Type(() => ReportPhotoDto)
  photos?: ReportPhotoDto[];

  @ApiPropertyOptional({ description: 'Mainland mobile number; kept only with phoneConsent: true, deleted after the retention period', example: '13800138000' })
  @IsOptional() @IsString() @MaxLength(20)
  phone?: string;

  @ApiPropertyOptional({ description: 'The reporter agreed to the consent text (GET /api/v1/consumer-reports/consent) for the phone' })
  @IsOptional() @IsBoolean()
  phoneConsent?: boolean;
}

export class ReplyDto {
  @ApiProperty({ minLength: 2, maxLength: 1000 })
  @IsString() @MinLength(2) @MaxLength(1000) @MultiLine()
  text: string;
}

export class TriageDto {
  @ApiProperty({ enum: TRIAGE_STATUSES })
  @IsIn(TRIAGE_STATUSES)
  status: 'triaged' | 'closed';

  @ApiProperty({ minLength: 2, maxLength: 500, description: 'What was found or done (shown to the producer and the reporter)' })
  @IsString() @MinLength(2) @MaxLength(500) @MultiLine()
  note: string;
}

export class ListConsumerReportsDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(REPORT_STATUSES) })
  @IsOptional() @IsIn(Object.keys(REPORT_STATUSES))
  status?: string;
}


export const FIGURE_GROUPS = ['none', 'month', 'region', 'organization'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

export class ReplyFiguresQueryDto {
  @ApiProperty({ example: '2026-11-01', description: 'First China date of the window' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last China date of the window' })
  @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ enum: FIGURE_GROUPS, default: 'none' })
  @IsOptional() @IsIn(FIGURE_GROUPS)
  groupBy?: FigureGroup;
}
