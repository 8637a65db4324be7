import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { TRANSFORMATION_KINDS } from '../domain/platform-events';
import { IsInstant } from '../../../common/dates';
import { REFERENCE_DOCUMENT_TYPES } from '../domain/platform-events';

export class CreateShipmentDto {
  @ApiProperty({ format: 'uuid', description: 'The lot shipped (one of the caller\'s batches)' })
  @IsUUID()
  batchId: string;

  @ApiProperty({ format: 'uuid', description: 'The receiving organisation' })
  @IsUUID()
  toOrganizationId: string;

  @ApiProperty({ type: QuantityDto })
  @IsDefined() @ValidateNested() @Type(() => QuantityDto)
  quantity: QuantityDto;

  @ApiPropertyOptional({ description: 'Despatch advice / waybill number', maxLength: 100 })
  @IsOptional() @IsString() @MaxLength(100)
  referenceDocument?: string;

  @ApiPropertyOptional({ enum: REFERENCE_DOCUMENT_TYPES, description: 'What kind of document referenceDocument is (FSMA 204 reference document type)' })
  @IsOptional() @IsIn(REFERENCE_DOCUMENT_TYPES)
  referenceDocumentType?: (typeof REFERENCE_DOCUMENT_TYPES)[number];

  @ApiPropertyOptional({ description: 'When it left (ISO 8601 instant); now by default' })
  @IsOptional() @IsInstant()
  shippedAt?: string;
}

export class ReceiveShipmentDto {
  @ApiProperty({ format: 'uuid', description: 'The receiver\'s product the inbound lot is booked as' })
  @IsUUID()
  productId: string;

  @ApiProperty({ format: 'uuid', description: 'The receiver\'s site (warehouse, market stall) where it arrived' })
  @IsUUID()
  siteId: string;

  @ApiPropertyOptional({ description: 'Lot code of the inbound lot; generated when absent' })
  @IsOptional() @IsString() @MaxLength(20)
  lotCode?: string;

  @ApiPropertyOptional({ type: QuantityDto, description: 'Quantity received (≤ shipped); the shipped quantity by default' })
  @IsOptional() @ValidateNested() @Type(() => QuantityDto)
  quantity?: QuantityDto;

  @ApiPropertyOptional({ description: 'When it arrived (ISO 8601 instant); now by default' })
  @IsOptional() @IsInstant()
  receivedAt?: string;

  @ApiPropertyOptional({ description: 'The receiver\'s own document for this receipt (receiving note, invoice …; FSMA 204 reference document number)', maxLength: 100 })
  @IsOptional() @IsString() @MaxLength(100)
  referenceDocument?: string;

  @ApiPropertyOptional({ enum: REFERENCE_DOCUMENT_TYPES, description: 'What kind of document referenceDocument is (FSMA 204 reference document type)' })
  @IsOptional() @IsIn(REFERENCE_DOCUMENT_TYPES)
  referenceDocumentType?: (typeof REFERENCE_DOCUMENT_TYPES)[number];
}

class TransformationInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  batchId: string;

  @ApiProperty({ type: QuantityDto, description: 'How much of the lot went in' })
  @IsDefined() @ValidateNested() @Type(() => QuantityDto)
  quantity: QuantityDto;
}

class TransformationOutputDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An existing lot of the caller that receives the output (else a new lot is created)' })
  @IsOptional() @IsUUID()
  batchId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Product of the new lot' })
  @IsOptional() @IsUUID()
  productId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Site of the new lot' })
  @IsOptional() @IsUUID()
  siteId?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(20)
  lotCode?: string;

  @ApiProperty({ type: QuantityDto })
  @IsDefined() @ValidateNested() @Type(() => QuantityDto)
  quantity: QuantityDto;
}

export class CreateTransformationDto {
  @ApiProperty({ enum: TRANSFORMATION_KINDS })
  @IsIn(TRANSFORMATION_KINDS)
  kind: (typeof TRANSFORMATION_KINDS)[number];

  @ApiProperty({ type: [TransformationInputDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => TransformationInputDto)
  inputs: TransformationInputDto[];

  @ApiProperty({ type: [TransformationOutputDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => TransformationOutputDto)
  outputs: TransformationOutputDto[];

  @ApiPropertyOptional({ description: 'When it happened (ISO 8601 instant); now by default' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}

export class TraceQueryDto {
  @ApiPropertyOptional({ enum: ['up', 'down', 'both'], default: 'both' })
  @IsOptional() @IsIn(['up', 'down', 'both'])
  direction?: 'up' | 'down' | 'both';

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(50)
  depth?: number;
}
