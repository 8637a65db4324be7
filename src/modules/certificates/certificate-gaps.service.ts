import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { createdAtCursor, keysetPage, Page } from '../../common/pagination';
import { descendantsPattern } from '../../common/sql-like';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { findRegion, regionPrefix, requireRegion } from '../regions/domain';

export interface GapsQuery {
  region?: string;
  /** A node of the category tree (normalised, known): the batches of its products and those below it. */
  category?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface GapBatch {
  batchId: string;
  lotCode: string;
  productName: string;
  category: string;
  producedOn: string;
  status: string;
  organizationId: string;
  organizationName: string;
  regionCode: string;
  regionName: string;
}

export interface GapSummaryRow {
  organizationId: string;
  organizationName: string;
  regionCode: string;
  regionName: string;
  /** Batches in mandatory categories. */
  batches: number;
  withoutCertificate: number;
}

/**
 * Batches in mandatory categories with no valid certificate (个人农户 excluded: for them it is
 * encouraged, not required), per organisation and region — the regulator's list for follow-up and
 * the producer's own to-do list. A read-only report over batches, products, organisations and
 * certificates, so it is one SQL query rather than calls through each feature's service.
 */
const GAPS_CURSOR = createdAtCursor('certificate-gaps');

@Injectable()
export class CertificateGapsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * `summary: false` skips the per-organisation totals (an aggregate over every batch of the region,
   * about a second for a province): the dashboard takes them from the certificate_issuance indicator,
   * which counts the same batches.
   */
  async gaps(actor: Actor, query: GapsQuery, options: { summary?: boolean } = {}): Promise<Page<GapBatch> & { summary: GapSummaryRow[] }> {
    const { where, params } = this.scope(actor, query);
    const limit = query.limit ?? 50;
    const position = GAPS_CURSOR.decode(query.cursor);
    const pageParams = [...params];
    let pageWhere = `${where} AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.batch_id = b.id AND c.status = 'valid')`;
    if (position) {
      pageParams.push(position.sort, position.id);
      pageWhere += ` AND (b.created_at, b.id) < ($${pageParams.length - 1}, $${pageParams.length})`;
    }
    pageParams.push(limit + 1);
    const rows = await this.dataSource.query(
      `SELECT b.id, b.lot_code, b.produced_on, b.status, b.region_code, b.organization_id, b.created_at,
              o.name AS org_name, p.name AS product_name, p.category_path
       FROM batches b JOIN products p ON p.id = b.product_id JOIN organizations o ON o.id = b.organization_id
       WHERE ${pageWhere} ORDER BY b.created_at DESC, b.id DESC LIMIT $${pageParams.length}`,
      pageParams,
    ) as Record<string, string | Date>[];
    const summary = options.summary === false ? [] : await this.dataSource.query(
      `SELECT b.organization_id, o.name AS org_name, b.region_code, count(*)::int AS batches,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM certificates c WHERE c.batch_id = b.id AND c.status = 'valid'))::int AS without
       FROM batches b JOIN products p ON p.id = b.product_id JOIN organizations o ON o.id = b.organization_id
       WHERE ${where} GROUP BY b.organization_id, o.name, b.region_code ORDER BY without DESC, org_name LIMIT 500`,
      params,
    ) as { organization_id: string; org_name: string; region_code: string; batches: number; without: number }[];
    const page = keysetPage(GAPS_CURSOR, rows, limit, (r) => ({ sort: (r.created_at as Date).toISOString(), id: r.id as string }), (r) => ({
      batchId: r.id as string, lotCode: r.lot_code as string, productName: r.product_name as string, category: r.category_path as string,
      producedOn: r.produced_on as string, status: r.status as string, organizationId: r.organization_id as string,
      organizationName: r.org_name as string, regionCode: r.region_code as string,
      regionName: findRegion(r.region_code as string)?.fullName ?? (r.region_code as string),
    }));
    return {
      summary: summary.map((s) => ({
        organizationId: s.organization_id, organizationName: s.org_name, regionCode: s.region_code,
        regionName: findRegion(s.region_code)?.fullName ?? s.region_code, batches: s.batches, withoutCertificate: s.without,
      })),
      ...page,
    };
  }

  /** Batches of mandatory categories without a valid certificate per organisation of a region, produced in [from, to] (risk grading). */
  async countsByOrganization(regionPrefix: string, from: string, to: string): Promise<{ organizationId: string; n: number }[]> {
    return this.dataSource.query(
      `SELECT b.organization_id AS "organizationId", count(*)::int AS n
       FROM batches b JOIN products p ON p.id = b.product_id JOIN organizations o ON o.id = b.organization_id
       WHERE b.region_code LIKE $1 AND b.produced_on BETWEEN $2 AND $3 AND o.kind <> 'individual'
         AND EXISTS (SELECT 1 FROM food_categories fc WHERE fc.path = p.category_path AND fc.certificate_required)
         AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.batch_id = b.id AND c.status = 'valid')
       GROUP BY b.organization_id`,
      [`${regionPrefix}%`, from, to],
    ) as Promise<{ organizationId: string; n: number }[]>;
  }

  private scope(actor: Actor, query: GapsQuery): { where: string; params: unknown[] } {
    const params: unknown[] = [];
    // The categories the certificate-scope rules mark (food_categories.certificate_required is derived from them).
    const clauses = ["o.kind <> 'individual'", 'EXISTS (SELECT 1 FROM food_categories fc WHERE fc.path = p.category_path AND fc.certificate_required)'];
    const own = regulatorPrefix(actor);
    let prefix: string | null = own;
    if (query.region !== undefined) {
      const asked = regionPrefix(requireRegion(query.region, 'region').code);
      if (own && !asked.startsWith(own)) throw new DomainError('NOT_FOUND', 'Region outside your jurisdiction', { field: 'region' });
      prefix = asked;
    }
    if (!own && !isAdmin(actor)) {
      params.push(actor.organizationId);
      clauses.push(`b.organization_id = $${params.length}`);
    }
    if (prefix) {
      params.push(`${prefix}%`);
      clauses.push(`b.region_code LIKE $${params.length}`);
    }
    if (query.category) {
      params.push(query.category, descendantsPattern(query.category));
      clauses.push(`(p.category_path = $${params.length - 1} OR p.category_path LIKE $${params.length})`);
    }
    if (query.from) {
      params.push(query.from);
      clauses.push(`b.produced_on >= $${params.length}`);
    }
    if (query.to) {
      params.push(query.to);
      clauses.push(`b.produced_on <= $${params.length}`);
    }
    return { where: clauses.join(' AND '), params };
  }
}
