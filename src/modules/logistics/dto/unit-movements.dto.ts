import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested,
} from 'class-validator';
import { IsInstant } from '../../../common/dates';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { REFERENCE_DOCUMENT_TYPES } from '../../events';

class PackedLotDto {
  @ApiProperty({ format: 'uuid', description: 'One of the caller\'s lots' })
  @IsUUID()
  batchId: string;

  @ApiProperty({ type: QuantityDto, description: 'How much of the lot goes on the unit' })
  @IsDefined() @ValidateNested() @Type(() => QuantityDto)
  quantity: QuantityDto;
}

export class PackSsccDto {
  @ApiProperty({ type: [PackedLotDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => PackedLotDto)
  lots: PackedLotDto[];

  @ApiPropertyOptional({ description: 'When it was packed (ISO 8601 instant); now by default' })
  @IsOptional() @IsInstant()
  packedAt?: string;
}


export class ShipSsccDto {
  @ApiProperty({ format: 'uuid', description: 'The receiving organisation' })
  @IsUUID()
  toOrganizationId: string;

  @ApiPropertyOptional({ description: 'Despatch advice / waybill number', maxLength: 100 })
  @IsOptional() @IsString() @MaxLength(100)
  referenceDocument?: string;

  @ApiPropertyOptional({ enum: REFERENCE_DOCUMENT_TYPES, description: 'What kind of document referenceDocument is (FSMA 204)' })
  @IsOptional() @IsIn(REFERENCE_DOCUMENT_TYPES)
  referenceDocumentType?: (typeof REFERENCE_DOCUMENT_TYPES)[number];

  @ApiPropertyOptional({ description: 'When it left (ISO 8601 instant); now by default' })
  @IsOptional() @IsInstant()
  shippedAt?: string;
}

class ReceivedProductDto {
  @ApiProperty({ format: 'uuid', description: 'A shipped lot on the unit' })
  @IsUUID()
  batchId: string;

  @ApiProperty({ format: 'uuid', description: 'The receiver\'s product it is booked as' })
  @IsUUID()
  productId: string;
}

export class ReceiveSsccDto {
  @ApiProperty({ format: 'uuid', description: 'The receiver\'s site where the unit arrived' })
  @IsUUID()
  siteId: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The receiver\'s product every lot is booked as when neither products[] names one nor the receiver has a product with the lot\'s GTIN',
  })
  @IsOptional() @IsUUID()
  productId?: string;

  @ApiPropertyOptional({ type: [ReceivedProductDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ReceivedProductDto)
  products?: ReceivedProductDto[];

  @ApiPropertyOptional({ description: 'When it arrived (ISO 8601 instant); now by default' })
  @IsOptional() @IsInstant()
  receivedAt?: string;

  @ApiPropertyOptional({ description: 'The receiver\'s own document for this receipt (receiving note, invoice …; FSMA 204 reference document number)', maxLength: 100 })
  @IsOptional() @IsString() @MaxLength(100)
  referenceDocument?: string;

  @ApiPropertyOptional({ enum: REFERENCE_DOCUMENT_TYPES, description: 'What kind of document referenceDocument is (FSMA 204)' })
  @IsOptional() @IsIn(REFERENCE_DOCUMENT_TYPES)
  referenceDocumentType?: (typeof REFERENCE_DOCUMENT_TYPES)[number];
}
