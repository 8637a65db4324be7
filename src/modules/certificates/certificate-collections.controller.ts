import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles, PRODUCER_WRITERS } from '../auth';
import type { Actor } from '../auth';
import { CertificateCollectionsService } from './certificate-collections.service';
import { CollectCertificateDto } from './dto/collect-certificate.dto';
import { ListCollectionsDto } from './dto/list-certificates.dto';

@ApiTags('certificates')
@ApiBearerAuth()
@Controller('api/v1/certificate-collections')
export class CertificateCollectionsController {
  constructor(private readonly collections: CertificateCollectionsService) {}

  /** 查验: record an incoming certificate (scanned QR or typed number), or another proof of quality. */
  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes(
    'CERTIFICATE_LOOKUP_LIMITED', 'CERTIFICATE_NOT_FOUND', 'CERTIFICATE_PRODUCT_MISMATCH', 'CERTIFICATE_QUANTITY_EXHAUSTED', 'QUANTITY_UNIT_MISMATCH',
    'CERTIFICATE_REQUIRED', 'CERTIFICATE_VOIDED', 'INVALID_QUANTITY', 'NOT_FOUND',
  )
  collect(@CurrentActor() actor: Actor, @Body() dto: CollectCertificateDto) {
    return this.collections.collect(actor, dto);
  }

  /** Own collections; regulators: their region's (filter outcome=mismatch|voided|unknown for the refused). */
  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: ListCollectionsDto) {
    return this.collections.list(actor, query);
  }
}
