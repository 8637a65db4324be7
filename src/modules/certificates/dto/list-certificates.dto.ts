import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { CERTIFICATE_LAYOUTS } from '../../../../libs/labels';
import { COLLECTION_OUTCOMES } from '../certificate-collection.entity';
import { IsCalendarDate } from '../../../common/dates';

export class ListCertificatesDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID()
  batchId?: string;

  @ApiPropertyOptional({ enum: ['valid', 'voided'] })
  @IsOptional() @IsIn(['valid', 'voided'])
  status?: string;
}

export class ListCollectionsDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COLLECTION_OUTCOMES })
  @IsOptional() @IsIn(COLLECTION_OUTCOMES)
  outcome?: string;
}

export class GapsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '510131', description: 'GB/T 2260 code (province, 市(州) or county); a regulator may only narrow its own region' })
  @IsOptional() @IsString()
  region?: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'Batches produced on or after' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Batches produced on or before' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) @IsCalendarDate()
  to?: string;
}

export class CertificatePdfQueryDto {
  @ApiPropertyOptional({ enum: CERTIFICATE_LAYOUTS, default: 'label-60x80', description: 'combined-60x80 = 证码合一 (the QR opens the batch trace page)' })
  @IsOptional() @IsIn(CERTIFICATE_LAYOUTS)
  layout?: string;
}
