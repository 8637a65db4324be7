import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsInstant } from '../../../common/dates';
import { QuantityDto } from '../../../common/dto/quantity.dto';
import { PageQueryDto } from '../../../common/pagination';
import { MultiLine } from '../../../common/validation';

export class SellerContactDto {
  @ApiPropertyOptional({ example: '张三' }) @IsOptional() @IsString() @MaxLength(50)
  name?: string;

  @ApiPropertyOptional({ example: '13800000000' }) @IsOptional() @Matches(/^[0-9+\-() ]{5,20}$/, { message: 'phone must be 5–20 digits, spaces, +, -, ( or )' })
  phone?: string;
}

export class CreateSellerDto {
  @ApiProperty({ example: '张三（蒲江猕猴桃）' }) @IsString() @IsNotEmpty() @MaxLength(200)
  name: string;

  @ApiProperty({ enum: ['business', 'individual'], description: 'business: has a USCC · individual: identified by ID number (stored only as a keyed hash and a masked form)' })
  @IsIn(['business', 'individual'])
  kind: 'business' | 'individual';

  @ApiPropertyOptional({ example: '92510104MA6CXXXXXX', description: 'GB 32100 code; required for a business' }) @IsOptional() @IsString() @MaxLength(40)
  uscc?: string;

  @ApiPropertyOptional({ description: 'Resident ID number (GB 11643) of an individual; never stored or shown in full' }) @IsOptional() @IsString() @MaxLength(40)
  idNumber?: string;

  @ApiPropertyOptional({ type: SellerContactDto }) @IsOptional() @ValidateNested() @Type(() => SellerContactDto)
  contact?: SellerContactDto;

  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ type: [String], example: ['猕猴桃', '柑橘'], description: 'Kinds of products sold' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(50, { each: true })
  products?: string[];

  @ApiPropertyOptional({ type: [String], example: ['自产', '蒲江县绿源猕猴桃专业合作社'], description: '进货渠道' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(200, { each: true })
  supplyChannels?: string[];

  @ApiPropertyOptional({ type: [String], example: ['四川省成都市蒲江县'], description: '产地' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(200, { each: true })
  origins?: string[];

  @ApiPropertyOptional({ example: '510131', description: 'GB/T 2260 county of the main origin' }) @IsOptional() @IsString() @MaxLength(6)
  originRegionCode?: string;

  @ApiPropertyOptional({ type: [String], example: ['川A12345'] })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(20, { each: true })
  vehiclePlates?: string[];
}

export class StopSellerDto {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'Last day of selling; default today' }) @IsOptional() @IsCalendarDate()
  stoppedOn?: string;
}

export class ListSellersDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Name (part of it) or vehicle plate: the gate picks the seller' }) @IsOptional() @IsString() @MaxLength(50)
  q?: string;
}

export class CreateStallDto {
  @ApiProperty({ example: 'A-12' }) @Matches(/^[0-9A-Za-z\u4e00-\u9fff-]{1,20}$/, { message: 'number must be 1–20 letters, digits, hyphens or Chinese characters' })
  number: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  sellerId?: string;
}

export const ENTRY_PROOF_KINDS = ['purchase_voucher', 'quarantine_certificate', 'test_report', 'origin_certificate', 'other'] as const;

export class EntryOtherProofDto {
  @ApiProperty({ enum: ENTRY_PROOF_KINDS, description: '购货凭证, 检疫合格证明, 检测报告, 产地证明 …' }) @IsIn(ENTRY_PROOF_KINDS)
  kind: string;

  @ApiProperty({ example: 'JC2026-11-0087' }) @IsString() @MinLength(2) @MaxLength(100)
  reference: string;

  @ApiPropertyOptional({ example: '蒲江县动物卫生监督所' }) @IsOptional() @IsString() @MaxLength(200)
  issuer?: string;
}

export class EntryRapidTestDto {
  @ApiProperty({ example: '有机磷和氨基甲酸酯类农药', description: 'What the screening tested for' }) @IsString() @IsNotEmpty() @MaxLength(100)
  analyte: string;

  @ApiProperty({ enum: ['pass', 'fail'] }) @IsIn(['pass', 'fail'])
  result: 'pass' | 'fail';

  @ApiPropertyOptional({ example: 'GB/T 5009.199 酶抑制率法' }) @IsOptional() @IsString() @MaxLength(100)
  method?: string;
}

export class EntryItemDto {
  @ApiPropertyOptional({ description: 'Scanned trace code (the /t/ URL of a label) or the code typed' }) @IsOptional() @IsString() @MaxLength(300)
  traceCode?: string;

  @ApiPropertyOptional({ description: 'Certificate QR (…/c/{token}) or its typed number (then with certificateQuantity)' }) @IsOptional() @IsString() @MaxLength(300)
  certificate?: string;

  @ApiPropertyOptional({ type: QuantityDto, description: 'The quantity printed on the certificate; required with a typed number' })
  @IsOptional() @ValidateNested() @Type(() => QuantityDto)
  certificateQuantity?: QuantityDto;

  @ApiPropertyOptional({ type: EntryOtherProofDto, description: 'Another proof when there is no certificate or trace code' })
  @IsOptional() @ValidateNested() @Type(() => EntryOtherProofDto)
  otherProof?: EntryOtherProofDto;

  @ApiProperty({ example: '水果>浆果和其他小型水果>皮不可食小型攀缘类水果>猕猴桃', description: 'Food category the goods are declared as' })
  @IsString() @IsNotEmpty() @MaxLength(300)
  category: string;

  @ApiPropertyOptional({ example: '猕猴桃', description: 'Default: the last part of the category' }) @IsOptional() @IsString() @MaxLength(100)
  productName?: string;

  @ApiProperty({ type: QuantityDto }) @ValidateNested() @Type(() => QuantityDto)
  quantity: QuantityDto;

  @ApiPropertyOptional({ type: EntryRapidTestDto, description: 'Entry rapid test (入场快检); a failure keeps the lot out' })
  @IsOptional() @ValidateNested() @Type(() => EntryRapidTestDto)
  rapidTest?: EntryRapidTestDto;
}

export class CreateEntryDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID()
  sellerId: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Default: the seller's stall" }) @IsOptional() @IsUUID()
  stallId?: string;

  @ApiPropertyOptional({ example: '2026-12-04T05:30:00+08:00', description: 'Default: now' }) @IsOptional() @IsInstant()
  enteredAt?: string;

  @ApiPropertyOptional({ example: '川A12345' }) @IsOptional() @IsString() @MaxLength(20)
  vehiclePlate?: string;

  @ApiProperty({ type: [EntryItemDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => EntryItemDto)
  items: EntryItemDto[];
}

export class ListEntriesDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['accepted', 'partially_refused', 'refused'] }) @IsOptional() @IsIn(['accepted', 'partially_refused', 'refused'])
  status?: string;

  @ApiPropertyOptional({ example: '2026-12-04' }) @IsOptional() @IsCalendarDate()
  on?: string;
}

export const DISPOSAL_METHODS = ['销毁', '无害化处理', '退货', '退市', '召回'] as const;

export class DisposeItemDto {
  @ApiProperty({ enum: DISPOSAL_METHODS }) @IsIn(DISPOSAL_METHODS)
  method: string;

  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) @MultiLine()
  note?: string;
}

export class StallQrQueryDto {
  @ApiPropertyOptional({ enum: ['a4-40', 'roll-60x40', 'roll-60x80'], default: 'a4-40' }) @IsOptional() @IsIn(['a4-40', 'roll-60x40', 'roll-60x80'])
  layout?: string;
}
