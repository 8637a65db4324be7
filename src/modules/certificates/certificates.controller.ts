import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, type ErrorCode } from '../../../libs/errors';
import type { CertificateLayout } from '../../../libs/labels';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles, PRODUCER_WRITERS } from '../auth';
import type { Actor } from '../auth';
import { CertificateDocuments } from './certificate-documents';
import { CertificateGapsService } from './certificate-gaps.service';
import { CertificatesService } from './certificates.service';
import { IssueCertificateDto, ReissueCertificateDto, VoidCertificateDto } from './dto/issue-certificate.dto';
import { CertificatePdfQueryDto, GapsQueryDto, ListCertificatesDto } from './dto/list-certificates.dto';

/** What issuing (and re-issuing) may refuse: the basis and evidence rules, quantities, upstream certificates. */
const ISSUING_ERRORS: ErrorCode[] = [
  'BASIS_DUPLICATE', 'BASIS_NOT_APPLICABLE', 'BASIS_REQUIRED', 'BASIS_UNKNOWN', 'BATCH_NOT_ACTIVE', 'COLLECTION_NOT_FOUND',
  'EVIDENCE_REQUIRED', 'IDEMPOTENCY_IN_PROGRESS', 'INPUT_BANNED', 'IDEMPOTENCY_KEY_REUSED', 'INVALID_QUANTITY', 'ISSUED_BEFORE_PRODUCTION',
  'NOT_FOUND', 'PHI_NOT_ELAPSED', 'QUANTITY_EXCEEDS_BATCH', 'QUANTITY_UNIT_MISMATCH', 'STYLE_NOT_IN_TEMPLATE', 'TEMPLATE_NOT_IN_FORCE',
  'TESTS_DO_NOT_COVER_INPUTS', 'TEST_RECORD_AFTER_ISSUE', 'TEST_RECORD_FAILED', 'TEST_RECORD_NOT_FOUND',
  'TEST_RECORD_WRONG_BATCH', 'TEST_RECORD_WRONG_KIND', 'UPSTREAM_CERTIFICATE_MISSING', 'UPSTREAM_CERTIFICATE_VOIDED',
  'UPSTREAM_NOT_APPLICABLE', 'UPSTREAM_PRODUCT_MISMATCH', 'UPSTREAM_REQUIRED',
];

@ApiTags('certificates')
@ApiBearerAuth()
@Controller('api/v1/certificates')
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly documents: CertificateDocuments,
    private readonly gapsReport: CertificateGapsService,
  ) {}

  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first certificate' })
  @ApiErrorCodes(...ISSUING_ERRORS)
  async issue(
    @CurrentActor() actor: Actor, @Body() dto: IssueCertificateDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view, replayed } = await this.certificates.issue(actor, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: ListCertificatesDto) {
    return this.certificates.list(actor, query);
  }

  /** Batches in mandatory categories without a valid certificate, per organisation and region. */
  @Get('gaps')
  @ApiErrorCodes('INVALID_CURSOR', 'INVALID_REGION_CODE', 'NOT_FOUND')
  gaps(@CurrentActor() actor: Actor, @Query() query: GapsQueryDto) {
    return this.gapsReport.gaps(actor, query);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.certificates.get(actor, id);
  }

  @Get(':id/certificate.pdf')
  @ApiProduces('application/pdf')
  @ApiErrorCodes('NOT_FOUND')
  async pdf(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: CertificatePdfQueryDto, @Res() reply: FastifyReply) {
    const layout = (query.layout ?? 'label-60x80') as CertificateLayout;
    const pdf = await this.documents.pdf(actor, id, layout);
    return reply.type('application/pdf').header('Content-Disposition', `inline; filename="certificate-${layout}.pdf"`).send(pdf);
  }

  /** Certificates are immutable: a wrong one is voided and re-issued, never edited. */
  @Patch(':id')
  @ApiTags('certificates')
  @ApiErrorCodes('CERTIFICATE_IMMUTABLE', 'NOT_FOUND')
  async patch(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<never> {
    return this.refuseEdit(actor, id);
  }

  @Put(':id')
  @ApiErrorCodes('CERTIFICATE_IMMUTABLE', 'NOT_FOUND')
  async put(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<never> {
    return this.refuseEdit(actor, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiErrorCodes('FORBIDDEN', 'NOT_FOUND', 'RETENTION_PERIOD')
  async delete(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.certificates.delete(actor, id);
  }

  @Post(':id/void')
  @HttpCode(200)
  @Roles('admin', 'org_admin', 'operator', 'regulator')
  @ApiErrorCodes('CERTIFICATE_ALREADY_VOIDED', 'NOT_FOUND')
  void(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: VoidCertificateDto) {
    return this.certificates.void(actor, id, dto.reason);
  }

  @Post(':id/reissue')
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiErrorCodes(...ISSUING_ERRORS, 'CERTIFICATE_ALREADY_REISSUED', 'CERTIFICATE_NOT_VOIDED')
  async reissue(
    @CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReissueCertificateDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view, replayed } = await this.certificates.reissue(actor, id, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  private async refuseEdit(actor: Actor, id: string): Promise<never> {
    await this.certificates.findReadable(actor, id);
    throw new DomainError('CERTIFICATE_IMMUTABLE', 'A certificate cannot be edited after issue: void it with a reason and re-issue', { rule: 'immutable' });
  }
}
