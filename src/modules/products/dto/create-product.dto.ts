import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateProductDto {
  @ApiProperty({ example: '蒲江猕猴桃（红阳）', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', description: 'Path in the food-category tree' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  category: string;

  @ApiPropertyOptional({ example: '6901234567892', description: 'GTIN-8/12/13/14; stored as GTIN-14' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  gtin?: string;

  @ApiPropertyOptional({ example: '5kg/箱', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  spec?: string;

  @ApiPropertyOptional({ example: 'NY/T 1794', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  standard?: string;
}
