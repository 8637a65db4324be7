import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class AllocateSsccsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1, description: 'How many SSCCs to allocate' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  count?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 9, default: 0, description: 'Extension digit (the company\'s own choice, e.g. per warehouse)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(9)
  extensionDigit?: number;
}
