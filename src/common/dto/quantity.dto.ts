import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString } from 'class-validator';
import { QUANTITY_UNITS, UNIT_TABLE } from '../../../libs/quantity';

const ALIASES = UNIT_TABLE.flatMap((u) => u.aliases.map((a) => `${a} = ${u.unit}`));

/** `{ value: "12.5", unit: "kg" }` as it arrives; libs/quantity's parseQuantity checks it. */
export class QuantityDto {
  @ApiProperty({ example: '1200.5', description: 'Decimal string, > 0, at most 3 decimals' })
  @IsDefined()
  value: string;

  @ApiProperty({ example: 'kg', description: `One of ${QUANTITY_UNITS.join(', ')}; also accepted, and stored as the listed unit: ${ALIASES.join(', ')}` })
  @IsString()
  unit: string;
}
