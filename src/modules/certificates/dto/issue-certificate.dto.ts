import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { TEMPLATE_VERSIONS } from '../domain/templates';
import { MultiLine } from '../../../common/validation';
import { IsCalendarDate } from '../../../common/dates';

class EvidenceDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Passing test records of the batch (self-test / entrusted test bases)' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true })
  testRecordIds?: string[];

  @ApiPropertyOptional({ example: '按《猕猴桃标准化生产技术规程》生产，落实农药安全间隔期，生产记录见2026年田间档案第12页', description: 'The controls behind 质量安全控制符合要求' })
  @IsOptional() @IsString() @MaxLength(500)
  @MultiLine()
  qualityControl?: string;

  @ApiPropertyOptional({ type: [String], example: ['吡虫啉'], description: 'Pesticides / veterinary drugs actually used: linked tests must cover them (用什么药、检什么药)' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true })
  inputsUsed?: string[];
}

/** Fields shared by a first issue and a re-issue. */
export class CertificateContentDto {
  @ApiPropertyOptional({ type: QuantityDto, description: "Defaults to what the batch has left uncertified; never more than that" })
  @IsOptional() @ValidateNested() @Type(() => QuantityDto)
  quantity?: QuantityDto;

  @ApiPropertyOptional({ type: [String], example: ['quality_control', 'self_test'], description: '承诺依据 codes of the template (2026: quality_control, self_test, entrusted_test)' })
  @IsOptional() @IsArray() @ArrayMaxSize(5) @IsString({ each: true })
  basis?: string[];

  @ApiPropertyOptional({ type: EvidenceDto })
  @IsOptional() @ValidateNested() @Type(() => EvidenceDto)
  evidence?: EvidenceDto;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Purchaser style: the collections (查验) of the upstream certificates this batch was made from' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsUUID('all', { each: true })
  upstreamCollectionIds?: string[];

  @ApiPropertyOptional({ example: '13800001234', description: "Contact printed on the certificate; defaults to the organisation's phone" })
  @IsOptional() @IsString() @MaxLength(100)
  contact?: string;

  @ApiPropertyOptional({ example: '张三', description: 'Who signs for the issuer (签名)' })
  @IsOptional() @IsString() @MaxLength(50)
  signedBy?: string;
}

export class IssueCertificateDto extends CertificateContentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  batchId: string;

  @ApiPropertyOptional({ enum: ['producer', 'purchaser'], description: 'Defaults to purchaser for purchaser and market organisations, producer otherwise' })
  @IsOptional() @IsIn(['producer', 'purchaser'])
  style?: 'producer' | 'purchaser';

  @ApiPropertyOptional({ enum: TEMPLATE_VERSIONS, description: "Defaults to 2026. Older templates only for recording certificates issued while they were in force" })
  @IsOptional() @IsIn(TEMPLATE_VERSIONS)
  templateVersion?: string;

  @ApiPropertyOptional({ example: '2026-11-27', description: 'Defaults to today (China Standard Time)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'issuedOn must be a date YYYY-MM-DD' })
  @IsCalendarDate({ message: 'issuedOn must be a real calendar date' })
  issuedOn?: string;
}

export class ReissueCertificateDto extends CertificateContentDto {}

export class VoidCertificateDto {
  @ApiProperty({ example: '数量填写错误', minLength: 2, maxLength: 500 })
  @IsString() @MinLength(2) @MaxLength(500)
  @MultiLine()
  reason: string;
}
