import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { TEST_STREAMS } from '../domain/test-results';
import { IsCalendarDate } from '../../../common/dates';

class AnalyteResultDto {
  @ApiProperty({ example: '毒死蜱' }) analyte: string;
  @ApiProperty({ example: false }) detected: boolean;
  @ApiPropertyOptional({ example: '0.02', description: 'Measured value (decimal string) when detected and quantified' }) value?: string;
  @ApiPropertyOptional({ enum: ['mg/kg', 'µg/kg'] }) unit?: string;
  @ApiPropertyOptional({ example: '0.01', description: 'Limit of detection' }) lod?: string;
  @ApiProperty({ enum: ['pass', 'fail'] }) verdict: string;
}

export class CreateTestRecordDto {
  @ApiProperty({ enum: TEST_STREAMS, description: 'self_test / rapid_test (by the producer) or entrusted_test (a laboratory report)' })
  @IsIn(TEST_STREAMS)
  stream: string;

  @ApiProperty({ example: '2026-11-20' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'testedOn must be a date YYYY-MM-DD' })
  @IsCalendarDate({ message: 'testedOn must be a real calendar date' })
  testedOn: string;

  @ApiPropertyOptional({ example: '四川省农产品质量安全中心', description: "The laboratory's name (required for laboratory streams) or the self-tester" })
  @IsOptional() @IsString() @MaxLength(200)
  testerName?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The laboratory, when it is an organisation on the platform' })
  @IsOptional() @IsUUID()
  labOrganizationId?: string;

  @ApiPropertyOptional({ example: 'SC-2026-11-0042' })
  @IsOptional() @IsString() @MaxLength(64)
  reportNo?: string;

  @ApiPropertyOptional({ example: 'NY/T 761-2008' })
  @IsOptional() @IsString() @MaxLength(200)
  method?: string;

  @ApiProperty({ type: [AnalyteResultDto] })
  @IsArray() @ArrayMaxSize(500) @IsObject({ each: true })
  results: Record<string, unknown>[];
}
