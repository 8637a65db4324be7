import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class CreatePrintRunDto {
  @ApiProperty({ minimum: 1, maximum: 100000, example: 40 })
  @IsInt()
  @Min(1)
  @Max(100000)
  count: number;
}

export class LabelsQueryDto {
  @ApiPropertyOptional({ enum: ['a4-40', 'roll-60x40', 'roll-60x80'], default: 'a4-40' })
  @IsOptional()
  @IsIn(['a4-40', 'roll-60x40', 'roll-60x80'])
  layout?: 'a4-40' | 'roll-60x40' | 'roll-60x80';

  @ApiPropertyOptional({ description: 'Render again a file whose render failed (otherwise a failed render answers 409 LABEL_RENDER_FAILED with the reason)', default: false })
  @IsOptional()
  @IsIn(['true', 'false'])
  retry?: string;
}
