import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MultiLine } from '../../../common/validation';

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
}
