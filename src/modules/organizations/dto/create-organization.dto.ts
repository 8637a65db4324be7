import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { ORGANIZATION_KINDS, OrganizationKind } from '../organization.entity';
import { MultiLine } from '../../../common/validation';

class ContactDto {
  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  name?: string;

  @ApiPropertyOptional({ example: '028-88888888' })
  @IsOptional()
  @Matches(/^[0-9+\-() ]{5,20}$/, { message: 'phone must be 5–20 digits, spaces, +, -, ( or )' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(100)
  email?: string;
}

class UsccOverrideDto {
  @ApiProperty({ description: 'Why a code that fails the GB 32100 check is accepted (registry confirmation)' })
  @IsString()
  @MinLength(10)
  @MaxLength(500)
  @MultiLine()
  reason: string;
}

export class CreateOrganizationDto {
  @ApiProperty({ example: '蒲江县绿源猕猴桃专业合作社', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  @IsIn(ORGANIZATION_KINDS)
  kind: OrganizationKind;

  @ApiPropertyOptional({ description: 'GB 32100 unified social credit code; required except for individual farmers', example: '93510131MA6CXXXX' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  uscc?: string;

  @ApiPropertyOptional({ description: 'Admins only: accept a USCC that fails the check, with the reason' })
  @IsOptional()
  @ValidateNested()
  @Type(() => UsccOverrideDto)
  usccOverride?: UsccOverrideDto;

  @ApiPropertyOptional({ description: 'Individual farmers: resident ID number (GB 11643). Stored only as a keyed hash and a masked form.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  idNumber?: string;

  @ApiProperty({ example: '510131', description: 'GB/T 2260 region code' })
  @IsString()
  regionCode: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ example: '6901234', description: 'GS1 company prefix (6–12 digits): lets the organisation allocate SSCCs' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  gs1CompanyPrefix?: string;

  @ApiPropertyOptional({ example: '6901234000016', description: 'GS1 Global Location Number (13 digits, check digit); used in EPCIS instead of our own URIs when present' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  gln?: string;

  @ApiPropertyOptional({ type: ContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;
}
