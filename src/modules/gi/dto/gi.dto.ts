import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUUID, Matches, MaxLength,
  ValidateIf, ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { CreateLicenceDto, RevokeMarkDto } from '../../marks';
import { GI_REGIMES } from '../domain/gi-record-rules';
import { MultiLine } from '../../../common/validation';
import { IsCalendarDate } from '../../../common/dates';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

class BoundingBoxDto {
  @ApiProperty({ example: 30.08 }) @IsNumber() minLat: number;
  @ApiProperty({ example: 103.31 }) @IsNumber() minLng: number;
  @ApiProperty({ example: 30.34 }) @IsNumber() maxLat: number;
  @ApiProperty({ example: 103.7 }) @IsNumber() maxLng: number;
}

export class CreateGiDto {
  @ApiProperty({ enum: GI_REGIMES })
  @IsIn(GI_REGIMES)
  regime: string;

  @ApiProperty({ example: 'AGI02738', description: 'AGI: AGI + 5 digits; GI trademark: the registration number (digits); PGI: the announcement or registry reference' })
  @IsString()
  @MaxLength(60)
  registrationNumber: string;

  @ApiProperty({ example: '涪城芦笋' })
  @IsString()
  @MaxLength(100)
  productName: string;

  @ApiProperty({ example: '12510703MB0U54262X', description: 'Holder (登记证书持有人 / 注册人) USCC' })
  @IsString()
  holderUscc: string;

  @ApiPropertyOptional({ example: '绵阳市涪城区现代农业技术推广办公室' })
  @IsOptional() @IsString() @MaxLength(200)
  holderName?: string;

  @ApiProperty({ example: ['510703'], description: 'GB/T 2260 codes; a prefecture code covers all its counties' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500)
  areaCodes: string[];

  @ApiPropertyOptional({ example: '涪城区所辖18个乡镇（街道）' })
  @IsOptional() @IsString() @MaxLength(2000)
  @MultiLine()
  areaText?: string;

  @ApiPropertyOptional({ type: BoundingBoxDto })
  @IsOptional() @ValidateNested() @Type(() => BoundingBoxDto)
  boundingBox?: BoundingBoxDto;

  @ApiPropertyOptional({ example: 'AGI2019-03-2738', description: 'Quality-technical requirements: AGI spec number or a standard (GB/T 20560)' })
  @IsOptional() @IsString() @MaxLength(100)
  specReference?: string;

  @ApiPropertyOptional({ example: '农业农村部公告第208号' })
  @IsOptional() @IsString() @MaxLength(100)
  announcementNumber?: string;

  @ApiPropertyOptional({ example: '2019-09-04' })
  @IsOptional() @Matches(DATE, { message: 'announcedOn must be a date YYYY-MM-DD' }) @IsCalendarDate()
  announcedOn?: string;

  @ApiPropertyOptional({ default: false, description: 'On the China–EU agreement list' })
  @IsOptional() @IsBoolean()
  chinaEu?: boolean;
}

/** A GI's or an authorisation's revocation: the marks' revocation body. */
export class RevokeDto extends RevokeMarkDto {}

/** An authorised user (授权使用人): the marks' licence terms, for a platform organisation. */
export class CreateAuthorisationDto extends CreateLicenceDto {}

export class UpdateAuthorisationDto {
  @ApiPropertyOptional({ example: '2028-12-31', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(DATE, { message: 'validTo must be a date YYYY-MM-DD' }) @IsCalendarDate()
  validTo?: string | null;

  @ApiPropertyOptional({ type: QuantityDto, nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @ValidateNested() @Type(() => QuantityDto)
  yearlyQuota?: QuantityDto | null;
}

export class ListGiQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: GI_REGIMES })
  @IsOptional() @IsIn(GI_REGIMES)
  regime?: string;

  @ApiPropertyOptional({ enum: ['active', 'revoked'] })
  @IsOptional() @IsIn(['active', 'revoked'])
  status?: string;

  @ApiPropertyOptional({ example: '510131', description: 'GIs whose protected area covers or lies in this region' })
  @IsOptional() @Matches(/^\d{6}$/, { message: 'regionCode must be a 6-digit code' })
  regionCode?: string;

  @ApiPropertyOptional({ description: 'Registration number, exact' })
  @IsOptional() @IsString() @MaxLength(60)
  registrationNumber?: string;
}

export class UsageQueryDto {
  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' }) @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2026-12-31' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' }) @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ enum: ['month', 'quarter', 'year'], default: 'month' })
  @IsOptional() @IsIn(['month', 'quarter', 'year'])
  period?: 'month' | 'quarter' | 'year';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  giId?: string;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'Check every row and report, write nothing', default: false })
  @IsOptional() @IsIn(['true', 'false'])
  dryRun?: string;
}
