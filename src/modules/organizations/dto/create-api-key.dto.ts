import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { KEY_ROLES, KeyRole } from '../../auth';

export class CreateApiKeyDto {
  @ApiProperty({ enum: KEY_ROLES })
  @IsIn(KEY_ROLES)
  role: KeyRole;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}
