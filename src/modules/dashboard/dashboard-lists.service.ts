import { Injectable } from '@nestjs/common';
import { ReadReplica } from '../../common/read-replica';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { CursorCodec, cursorCodec, keysetPage, Page } from '../../common/pagination';
import { Actor, isAdmin } from '../auth';
import type { KdeFactsData } from '../console';
import { isWithinRegion } from '../regions/domain';
import type { SampleVerdict } from '../sampling/domain';
import type { TestStream } from '../test-records/domain';
import { regionRange } from './domain/jurisdiction';
import { descendantsPattern } from '../../common/sql-like';

/** The slice a list reads: dates are `YYYY-MM-DD`, both ends included. */
export interface ListScope {
  region: string | null;
  from: string;
  to: string;
  category: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface OrganizationHead {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
}

export interface BatchRow {
  id: string;
  lotCode: string;
  productName: string;
  categoryPath: string;
  producedOn: string;
  status: string;
  traceCode: string | null;
  regionCode: string;
  certificates: { valid: number; voided: number };
  samples: { total: number; passed: number; failed: number };
}

export interface BatchHead extends BatchRow {
  organizationId: string;
  organizationName: string;
  /** FSMA 204 key data elements, with site names. */
  kdes: KdeFactsData;
}

export interface SampleRow {
  id: string;
  sampleNo: string;
  stream: TestStream;
  status: string;
  verdict: SampleVerdict | null;
  collectedAt: Date | null;
  judgedOn: string | null;
  recheckOf: string | null;
  failedAnalytes: string[];
}

export interface FailedSampleRow {
  id: string;
  sampleNo: string;
  stream: TestStream;
  judgedOn: string;
  sampledOn: string;
  regionCode: string;
  batchId: string;
  lotCode: string;
  productName: string;
  organizationId: string;
  organizationName: string;
  failedAnalytes: string[];
}

/** Who may read what: a code range (regulators, or a region asked for) and/or one organisation. */
interface Reach {
  range: { lo: string; hi: string } | null;
  organizationId: string | null;
}

/** Positional parameters for hand-written SQL: `p(value)` adds one and returns its `$n`. */
class Params {
  readonly values: unknown[] = [];

  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

type Raw = Record<string, unknown>;

/** A category node and everything under it. */
function categoryClause(column: string, category: string, q: Params): string {
  return `(${column} = ${q.p(category)} OR ${column} LIKE ${q.p(descendantsPattern(category))})`;
}

/** The drill-down lists' cursors: newest first by (created_at, id), failed samples by (judged_on, id). */
const BATCHES_CURSOR = cursorCodec('dashboard-batches', 'instant');
const SAMPLES_CURSOR = cursorCodec('dashboard-samples', 'instant');
const FAILED_CURSOR = cursorCodec('dashboard-failed-samples', 'date');

/** Keyset continuation after the cursor's (sort value, id), newest first. */
function afterCursor(codec: CursorCodec<'instant' | 'date'>, sortColumn: string, idColumn: string, cursor: string | undefined, q: Params): string | null {
  const position = codec.decode(cursor);
  return position ? `(${sortColumn}, ${idColumn}) < (${q.p(position.sort)}, ${q.p(position.id)})` : null;
}

const createdAtPosition = (row: Raw) => ({ sort: (row.created_at as Date).toISOString(), id: row.id as string });

/**
 * The dashboard's drill-down lists: an organisation's batches, a batch's samples, failed samples of
 * a region. Read-only reports across batches, products, certificates, samples and organisations,
 * so they are direct SQL (as CertificateGapsService is) rather than calls through each feature.
 * Scoped like every read: a regulator inside its jurisdiction (region ranges, which use the
 * region_code indexes under any collation), an organisation its own records, others 404.
 */
@Injectable()
export class DashboardListsService {
  /** Lists for regulators' reports: read from the replica when there is one (bounded lag, see ReadReplica). */
  constructor(private readonly db: ReadReplica) {}

  /** The organisation a drill-down opens; 404 unless the actor may see some of its records. */
  async organization(actor: Actor, id: string): Promise<OrganizationHead> {
    const reach = this.reach(actor, null);
    const [org] = isUuid(id) ? await this.db.query(
      'SELECT id, name, kind, region_code FROM organizations WHERE id = $1', [id]) as Raw[] : [];
    if (!org || (reach.organizationId && reach.organizationId !== id) || !(await this.orgWithin(id, org.region_code as string, reach))) {
      throw new DomainError('NOT_FOUND', 'Organisation not found');
    }
    return { id, name: org.name as string, kind: org.kind as string, regionCode: org.region_code as string };
  }

  /** An organisation's batches produced in the window, with certificate and sampling status. */
  async batchesOf(actor: Actor, organizationId: string, scope: ListScope, page: PageRequest): Promise<Page<BatchRow>> {
    await this.organization(actor, organizationId);
    const reach = this.reach(actor, scope.region);
    const q = new Params();
    const where = [`b.organization_id = ${q.p(organizationId)}`, `b.produced_on BETWEEN ${q.p(scope.from)} AND ${q.p(scope.to)}`];
    if (reach.range) where.push(`b.region_code BETWEEN ${q.p(reach.range.lo)} AND ${q.p(reach.range.hi)}`);
    if (scope.category) where.push(categoryClause('p.category_path', scope.category, q));
    const after = afterCursor(BATCHES_CURSOR, 'b.created_at', 'b.id', page.cursor, q);
    if (after) where.push(after);
    const rows = await this.db.query(batchesWithStatus(`SELECT b.* FROM batches b JOIN products p ON p.id = b.product_id
      WHERE ${where.join(' AND ')} ORDER BY b.created_at DESC, b.id DESC LIMIT ${q.p(page.limit + 1)}`, false), q.values) as Raw[];
    return keysetPage(BATCHES_CURSOR, rows, page.limit, createdAtPosition, batchRow);
  }

  /** One batch with its producer, certificate and sampling status; 404 outside the actor's reach. */
  async batch(actor: Actor, id: string): Promise<BatchHead> {
    const reach = this.reach(actor, null);
    const [row] = isUuid(id) ? await this.db.query(batchesWithStatus('SELECT * FROM batches WHERE id = $1', true), [id]) as Raw[] : [];
    if (!row || !this.reaches(reach, row.organization_id as string, row.region_code as string)) {
      throw new DomainError('NOT_FOUND', 'Batch not found');
    }
    const [k] = await this.db.query(`SELECT b.harvested_on::text AS harvested_on, b.variety, b.growing_area, b.harvester_name, b.harvester_phone,
        b.cooled_at, cs.name AS cooling_site, coalesce(ts.name, bs.name) AS tlc_source
      FROM batches b JOIN sites bs ON bs.id = b.site_id
      LEFT JOIN sites cs ON cs.id = coalesce(b.cooling_site_id, b.site_id) AND b.cooled_at IS NOT NULL
      LEFT JOIN sites ts ON ts.id = b.tlc_source_site_id
      WHERE b.id = $1`, [row.id]) as Raw[];
    const kdes: KdeFactsData = {
      harvestedOn: k.harvested_on as string | null, variety: k.variety as string | null, growingArea: k.growing_area as string | null,
      harvesterName: k.harvester_name as string | null, harvesterPhone: k.harvester_phone as string | null,
      cooledAt: k.cooled_at ? (k.cooled_at as Date).toISOString() : null, coolingSite: k.cooling_site as string | null,
      packedOn: row.produced_on as string, tlcSource: k.tlc_source as string | null,
    };
    return { ...batchRow(row), organizationId: row.organization_id as string, organizationName: row.org_name as string, kdes };
  }

  /** Every sample taken from a batch (rechecks included), newest first, with the analytes that failed. */
  async samplesOf(actor: Actor, batchId: string, page: PageRequest): Promise<Page<SampleRow>> {
    await this.batch(actor, batchId);
    const q = new Params();
    const where = [`s.batch_id = ${q.p(batchId)}`];
    const after = afterCursor(SAMPLES_CURSOR, 's.created_at', 's.id', page.cursor, q);
    if (after) where.push(after);
    const rows = await this.db.query(`SELECT s.id, s.sample_no, s.stream, s.status, s.verdict, s.collected_at, s.judged_on::text AS judged_on,
        s.recheck_of, s.created_at, ${FAILED_ANALYTES} AS failed_analytes
      FROM samples s WHERE ${where.join(' AND ')} ORDER BY s.created_at DESC, s.id DESC LIMIT ${q.p(page.limit + 1)}`, q.values) as Raw[];
    return keysetPage(SAMPLES_CURSOR, rows, page.limit, createdAtPosition, (r) => ({
      id: r.id as string, sampleNo: r.sample_no as string, stream: r.stream as TestStream, status: r.status as string,
      verdict: r.verdict as SampleVerdict | null, collectedAt: r.collected_at as Date | null, judgedOn: r.judged_on as string | null,
      recheckOf: r.recheck_of as string | null, failedAnalytes: (r.failed_analytes as string[] | null) ?? [],
    }));
  }

  /**
   * Failed samples sampled in the window, newest verdict first. The window is the indicators': the
   * month sampled (China time), or judged when no sampling time was recorded, so the list matches the
   * failures the KPI tiles count. A recheck is not listed on its own: once accepted its verdict
   * replaces the original's, which is the sample that counts.
   */
  async failedSamples(actor: Actor, scope: ListScope, page: PageRequest): Promise<Page<FailedSampleRow>> {
    const q = new Params();
    const where = this.failedWhere(actor, scope, q);
    const after = afterCursor(FAILED_CURSOR, 's.judged_on', 's.id', page.cursor, q);
    if (after) where.push(after);
    const rows = await this.db.query(`SELECT s.id, s.sample_no, s.stream, s.judged_on::text AS judged_on, ${SAMPLED_ON}::text AS sampled_on,
        s.region_code, s.batch_id, s.organization_id, b.lot_code, p.name AS product_name, o.name AS org_name, ${FAILED_ANALYTES} AS failed_analytes
      FROM (SELECT * FROM samples s WHERE ${where.join(' AND ')} ORDER BY s.judged_on DESC, s.id DESC LIMIT ${q.p(page.limit + 1)}) s
      JOIN batches b ON b.id = s.batch_id JOIN products p ON p.id = b.product_id JOIN organizations o ON o.id = s.organization_id
      ORDER BY s.judged_on DESC, s.id DESC`, q.values) as Raw[];
    return keysetPage(FAILED_CURSOR, rows, page.limit, (r) => ({ sort: r.judged_on as string, id: r.id as string }), (r) => ({
      id: r.id as string, sampleNo: r.sample_no as string, stream: r.stream as TestStream, judgedOn: r.judged_on as string, sampledOn: r.sampled_on as string,
      regionCode: r.region_code as string, batchId: r.batch_id as string, lotCode: r.lot_code as string, productName: r.product_name as string,
      organizationId: r.organization_id as string, organizationName: r.org_name as string, failedAnalytes: (r.failed_analytes as string[] | null) ?? [],
    }));
  }

  /** How many samples the failed-samples list holds in all its pages. */
  async countFailedSamples(actor: Actor, scope: ListScope): Promise<number> {
    const q = new Params();
    const where = this.failedWhere(actor, scope, q);
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM samples s WHERE ${where.join(' AND ')}`, q.values) as Raw[];
    return row.n as number;
  }

  /** Failed first verdicts (a recheck counts through the sample it replaced) sampled in the window, within reach. */
  private failedWhere(actor: Actor, scope: ListScope, q: Params): string[] {
    const reach = this.reach(actor, scope.region);
    const from = q.p(scope.from);
    const where = ["s.verdict = 'fail'", 's.recheck_of IS NULL', `${SAMPLED_ON} BETWEEN ${from} AND ${q.p(scope.to)}`,
      // A verdict comes after sampling, so this bound is implied; it lets ix_samples_failed start at the window.
      `s.judged_on >= ${from}`];
    if (reach.range) where.push(`s.region_code BETWEEN ${q.p(reach.range.lo)} AND ${q.p(reach.range.hi)}`);
    if (reach.organizationId) where.push(`s.organization_id = ${q.p(reach.organizationId)}`);
    if (scope.category) where.push(categoryClause('s.category_path', scope.category, q));
    return where;
  }

  /**
   * A regulator reads inside its jurisdiction (a region asked outside it is 404, as elsewhere);
   * an organisation reads its own records (within the region asked, if any); the admin reads all.
   */
  private reach(actor: Actor, asked: string | null): Reach {
    if (isAdmin(actor)) return { range: asked ? regionRange(asked) : null, organizationId: null };
    if (actor.role === 'regulator') {
      if (!actor.regionCode) throw new DomainError('FORBIDDEN', 'A regulator without a jurisdiction reads nothing');
      if (asked && !isWithinRegion(asked, actor.regionCode)) throw new DomainError('NOT_FOUND', 'Region outside your jurisdiction', { field: 'region' });
      return { range: regionRange(asked ?? actor.regionCode), organizationId: null };
    }
    if (!actor.organizationId) throw new DomainError('FORBIDDEN', 'No organisation');
    return { range: asked ? regionRange(asked) : null, organizationId: actor.organizationId };
  }

  private reaches(reach: Reach, organizationId: string, regionCode: string): boolean {
    if (reach.organizationId && reach.organizationId !== organizationId) return false;
    return !reach.range || (regionCode >= reach.range.lo && regionCode <= reach.range.hi);
  }

  /** Registered inside the range, or producing there (a site in the region), like canRead on batches. */
  private async orgWithin(id: string, regionCode: string, reach: Reach): Promise<boolean> {
    if (!reach.range || (regionCode >= reach.range.lo && regionCode <= reach.range.hi)) return true;
    const [hit] = await this.db.query('SELECT 1 FROM batches WHERE organization_id = $1 AND region_code BETWEEN $2 AND $3 LIMIT 1',
      [id, reach.range.lo, reach.range.hi]) as Raw[];
    return !!hit;
  }
}

/** The day a sample counts for in the indicators: sampled (China time), else judged. */
const SAMPLED_ON = "coalesce((s.collected_at AT TIME ZONE 'Asia/Shanghai')::date, s.judged_on)";

const FAILED_ANALYTES = `(SELECT array_agg(r.analyte ORDER BY r.analyte) FROM sample_results r WHERE r.sample_id = s.id AND r.verdict = 'fail')`;

/**
 * Batches (chosen, ordered and limited by `source` first, so the counts run for one page only)
 * with their product, valid/voided certificates and sample verdicts (counts by the batch_id indexes).
 */
function batchesWithStatus(source: string, withOwner: boolean): string {
  return `SELECT b.id, b.lot_code, b.produced_on::text AS produced_on, b.status, b.trace_code, b.region_code, b.created_at,
      p.name AS product_name, p.category_path, c.valid, c.voided, s.total, s.passed, s.failed
      ${withOwner ? ', b.organization_id, o.name AS org_name' : ''}
    FROM (${source}) b
    JOIN products p ON p.id = b.product_id
    ${withOwner ? 'JOIN organizations o ON o.id = b.organization_id' : ''}
    CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE status = 'valid')::int AS valid, count(*) FILTER (WHERE status = 'voided')::int AS voided
      FROM certificates WHERE batch_id = b.id) c
    CROSS JOIN LATERAL (SELECT count(*)::int AS total, count(*) FILTER (WHERE verdict = 'pass')::int AS passed,
      count(*) FILTER (WHERE verdict = 'fail')::int AS failed FROM samples WHERE batch_id = b.id) s
    ORDER BY b.created_at DESC, b.id DESC`;
}

function batchRow(r: Raw): BatchRow {
  return {
    id: r.id as string, lotCode: r.lot_code as string, productName: r.product_name as string, categoryPath: r.category_path as string,
    producedOn: r.produced_on as string, status: r.status as string, traceCode: r.trace_code as string | null, regionCode: r.region_code as string,
    certificates: { valid: r.valid as number, voided: r.voided as number },
    samples: { total: r.total as number, passed: r.passed as number, failed: r.failed as number },
  };
}
