import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** EPCIS 2.0 REST binding query parameters (SimpleEventQuery subset) plus our paging names. */
export class QueryEventsDto {
  @ApiPropertyOptional({ description: 'ObjectEvent, AggregationEvent, TransformationEvent, AssociationEvent, TransactionEvent; several separated by |' })
  @IsOptional() @IsString() @MaxLength(200)
  eventType?: string;

  @ApiPropertyOptional({ description: 'eventTime ≥ this instant (ISO 8601 with offset)' })
  @IsOptional() @IsString() @MaxLength(40)
  GE_eventTime?: string;

  @ApiPropertyOptional({ description: 'eventTime < this instant' })
  @IsOptional() @IsString() @MaxLength(40)
  LT_eventTime?: string;

  @ApiPropertyOptional({ description: 'bizStep: a CBV word (`shipping`) or URI; several separated by |' })
  @IsOptional() @IsString() @MaxLength(500)
  EQ_bizStep?: string;

  @ApiPropertyOptional({ description: 'An instance EPC the event mentions (epcList, parentID, childEPCs, input/output lists); several separated by |' })
  @IsOptional() @IsString() @MaxLength(2000)
  MATCH_epc?: string;

  @ApiPropertyOptional({ description: 'A class-level EPC (lot, e.g. https://host/01/{GTIN}/10/{lot}) in any quantity list; several separated by |' })
  @IsOptional() @IsString() @MaxLength(2000)
  MATCH_epcClass?: string;

  @ApiPropertyOptional({ description: 'bizLocation id; several separated by |' })
  @IsOptional() @IsString() @MaxLength(2000)
  EQ_bizLocation?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 50, description: 'Page size (`limit` is the same)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  perPage?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque token from the previous page (`cursor` is the same)' })
  @IsOptional() @IsString() @MaxLength(200)
  nextPageToken?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['json', 'epcis'], description: '`epcis`: the page as an EPCIS 2.0 JSON-LD document (also with Accept: application/ld+json)' })
  @IsOptional() @IsIn(['json', 'epcis'])
  format?: 'json' | 'epcis';
}
