import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { IsInstant } from '../../../common/dates';
import { LISTING_PLATFORMS } from '../domain/badge';

export class ListingSessionDto {
  @ApiProperty({ example: '蒲江猕猴桃小王' }) @IsString() @IsNotEmpty() @MaxLength(100)
  host: string;

  @ApiProperty({ example: '2026-12-04T19:00:00+08:00' }) @IsInstant()
  startsAt: string;

  @ApiProperty({ example: '2026-12-04T22:00:00+08:00' }) @IsInstant()
  endsAt: string;

  @ApiProperty({ type: [String], description: 'Batches on sale in the session' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsUUID('all', { each: true })
  batchIds: string[];
}

export class CreateListingDto {
  @ApiProperty({ enum: LISTING_PLATFORMS, description: 'douyin 抖音 · kuaishou 快手 · taobao 淘宝 · pinduoduo 拼多多 · weixin 微信小店 · jd 京东 · other' })
  @IsIn(LISTING_PLATFORMS)
  platform: string;

  @ApiProperty({ example: 'https://haohuo.jinritemai.com/views/product/item2?id=3612345678901', description: 'The listing URL or its id on the platform' })
  @IsString() @IsNotEmpty() @MaxLength(500)
  platformRef: string;

  @ApiProperty({ format: 'uuid' }) @IsUUID()
  productId: string;

  @ApiProperty({ type: [String], description: 'The batches shipped under the listing now (own batches of the product)' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsUUID('all', { each: true })
  batchIds: string[];

  @ApiPropertyOptional({ type: [ListingSessionDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ListingSessionDto)
  sessions?: ListingSessionDto[];
}

export class ShipBatchesDto {
  @ApiProperty({ type: [String], description: 'The batches shipped from now on (replaces the current ones)' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsUUID('all', { each: true })
  batchIds: string[];
}
