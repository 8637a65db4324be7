import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildSscc, normalizeSscc, ssccCapacity } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { auditedQuery } from '../audit';
import { Actor, requireOwnOrganization } from '../auth';
import { OrganizationsService } from '../organizations';
import { AllocateSsccsDto } from './dto/allocate-ssccs.dto';
import { Sscc, SsccCounter } from './sscc.entity';

export interface SsccView {
  sscc: string;
  allocatedAt: string;
}

/**
 * SSCC allocation for logistic units (pallets, cases): an organisation with a GS1 company prefix
 * allocates extension digit + prefix + serial reference + check digit. The counter row is bumped in
 * the same statement that reads it, so concurrent allocations never overlap, and it only grows, so an
 * SSCC is never handed out twice (GS1: not reused for at least a year; here never).
 */
@Injectable()
export class LogisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
  ) {}

  async allocate(actor: Actor, dto: AllocateSsccsDto): Promise<{ ssccs: string[] }> {
    const organizationId = requireOwnOrganization(actor);
    const prefix = await this.organizations.companyPrefix(organizationId);
    if (!prefix) {
      throw new DomainError('NO_COMPANY_PREFIX', 'The organisation has no GS1 company prefix on record: SSCCs need one', { field: 'gs1CompanyPrefix', rule: 'required' });
    }
    const count = dto.count ?? 1;
    const extension = dto.extensionDigit ?? 0;
    return this.dataSource.transaction(async (m) => {
      const [row] = await auditedQuery<{ next: string }>(m,
        `INSERT INTO sscc_counters (organization_id, company_prefix, extension_digit, next_serial) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id, company_prefix, extension_digit) DO UPDATE SET next_serial = sscc_counters.next_serial + $4
         RETURNING organization_id, company_prefix, extension_digit, next_serial::text AS next`,
        [organizationId, prefix, extension, count], { target: SsccCounter, verb: 'update' });
      const end = BigInt(row.next);
      if (end > ssccCapacity(prefix)) {
        throw new DomainError('SSCC_EXHAUSTED', `Extension digit ${extension} has no serial references left for this company prefix`, { field: 'extensionDigit', rule: 'capacity' });
      }
      const ssccs = Array.from({ length: count }, (_, i) => buildSscc(extension, prefix, end - BigInt(count) + BigInt(i)));
      await auditedQuery(m,
        'INSERT INTO ssccs (sscc, organization_id) SELECT unnest($1::char(18)[]), $2 RETURNING sscc',
        [ssccs, organizationId], { target: Sscc, verb: 'insert' });
      return { ssccs };
    });
  }

  /** One of the caller's SSCCs (another organisation's answers 404, as if it did not exist). */
  async get(actor: Actor, raw: string): Promise<SsccView> {
    const organizationId = requireOwnOrganization(actor);
    const sscc = normalizeSscc(raw);
    const found = await this.dataSource.getRepository(Sscc).findOneBy({ sscc, organizationId });
    if (!found) throw new DomainError('NOT_FOUND', 'SSCC not found');
    return { sscc: found.sscc, allocatedAt: found.allocatedAt.toISOString() };
  }
}
