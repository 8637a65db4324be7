import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { QuantityDto } from '../../../common/dto/quantity.dto';

const OTHER_PROOF_KINDS = ['test_report', 'quarantine_certificate', 'origin_certificate', 'market_rapid_test', 'other'] as const;

class OtherProofDto {
  @ApiProperty({ enum: OTHER_PROOF_KINDS, description: 'Another proof of quality (其他质量安全合格证明)' })
  @IsIn(OTHER_PROOF_KINDS)
  kind: string;

  @ApiProperty({ example: 'JC2026-11-0087', description: 'Number of the report or certificate' })
  @IsString() @MinLength(2) @MaxLength(100)
  reference: string;

  @ApiPropertyOptional({ example: '蒲江县动物卫生监督所' })
  @IsOptional() @IsString() @MaxLength(200)
  issuer?: string;
}

export class CollectCertificateDto {
  @ApiPropertyOptional({ example: 'https://trace.example.cn/c/1a2B3c4D5e6F7g8H9i0J1k', description: 'What was scanned (the QR URL) or typed (the certificate number)' })
  @IsOptional() @IsString() @MaxLength(300)
  certificate?: string;

  @ApiPropertyOptional({
    type: QuantityDto,
    description: 'The quantity (数量（重量）) printed on the certificate. Required with a typed number: numbers are sequential, so a number alone proves nothing. Not needed with the scanned QR.',
  })
  @IsOptional() @ValidateNested() @Type(() => QuantityDto)
  certificateQuantity?: QuantityDto;

  @ApiProperty({ format: 'uuid', description: "The purchaser's own product the goods are bought as" })
  @IsUUID()
  productId: string;

  @ApiPropertyOptional({ type: QuantityDto })
  @IsOptional() @ValidateNested() @Type(() => QuantityDto)
  quantity?: QuantityDto;

  @ApiPropertyOptional({ example: '张三（散户）' })
  @IsOptional() @IsString() @MaxLength(200)
  supplierName?: string;

  @ApiPropertyOptional({ type: OtherProofDto, description: 'Required when no certificate is presented' })
  @IsOptional() @ValidateNested() @Type(() => OtherProofDto)
  otherProof?: OtherProofDto;
}
