import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsLatitude, IsLongitude, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

class LocationDto {
  @ApiProperty({ example: 30.19 })
  @IsLatitude()
  lat: number;

  @ApiProperty({ example: 103.51 })
  @IsLongitude()
  lng: number;
}

export class CreateSiteDto {
  @ApiProperty({ example: '西来镇猕猴桃基地', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '510131', description: 'GB/T 2260 county code of the site' })
  @IsString()
  regionCode: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ example: '6901234000016', description: 'GS1 Global Location Number (13 digits, check digit); used in EPCIS instead of our own URIs when present' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  gln?: string;

  @ApiPropertyOptional({ type: LocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;
}
