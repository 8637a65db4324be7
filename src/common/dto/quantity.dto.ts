import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString } from 'class-validator';

/** `{ value: "12.5", unit: "kg" }` as it arrives; libs/quantity's parseQuantity checks it. */
export class QuantityDto {
  @ApiProperty({ example: '1200.5', description: 'Decimal string, > 0, at most 3 decimals' })
  @IsDefined()
  value: string;

  @ApiProperty({ example: 'kg' })
  @IsString()
  unit: string;
}
