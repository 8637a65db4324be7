import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { DomainError } from '../../../libs/errors';
import { formatDecimal } from '../../../libs/quantity';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { auditedQuery } from '../audit';
import { Actor, actorRef, canRead, isAdmin, regulatorPrefix } from '../auth';
import { BatchesService } from '../batches';
import { CertificateCollectionsService, CertificateGapsService } from '../certificates';
import { PhiGateService } from '../farm-inputs';
import { INSPECTED_KINDS, InspectionsService } from '../inspections';
import { MarketEntriesService } from '../markets';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { regionPrefix, requireRegion } from '../regions/domain';
import { SamplesService, SamplingPlansService } from '../sampling';
import { Evidence, Grade, GRADES, gradingPeriod, overrideProblem } from './domain';
import { ListRiskGradesDto, PublishedRiskGradesDto } from './dto/risk-grades.dto';
import { RiskGrade, RiskGradeRule } from './risk-grade.entity';

export interface RiskGradeView {
  id: string;
  organizationId: string;
  organizationName: string | null;
  regionCode: string;
  period: { key: string; from: string; to: string };
  category: string;
  ruleId: string;
  evidence: Evidence;
  score: string;
  computedGrade: Grade;
  grade: Grade;
  gradeName: string;
  override: { reason: string; by: string | null } | null;
  drawWeight: string;
  status: 'draft' | 'published';
  publishedAt: string | null;
  computedAt: string;
}

export interface ComputeSummary {
  regionCode: string;
  period: string;
  /** Organisations whose draft grade was computed now (published grades are left as published). */
  graded: number;
  byGrade: Record<Grade, number>;
}

/** The grading statement's input, one element per organisation (arrays of equal length). */
interface GradingInput {
  ids: string[];
  regions: string[];
  categories: string[];
  failed: number[];
  gaps: number[];
  phi: number[];
  open: number[];
  overdue: number[];
  refusals: number[];
}

/** Every organisation graded at once: its evidence weighed by the rule of its product group. */
const GRADED = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::char(6)[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[])
      AS i (organization_id, region_code, category, failed, gaps, phi, open, overdue, refusals)),
  scored AS (
    SELECT i.*, r.id AS rule_id, r.high_at, r.medium_at, r.draw_weight_high, r.draw_weight_medium, r.draw_weight_low,
      i.failed * r.weight_failed_samples + i.gaps * r.weight_certificate_gaps + i.phi * r.weight_phi_violations
        + i.open * r.weight_open_findings + i.overdue * r.weight_overdue_findings + i.refusals * r.weight_refusals AS score
    FROM input i CROSS JOIN LATERAL (
      SELECT * FROM risk_grade_rules r
      WHERE r.product_group = '' OR i.category = r.product_group OR left(i.category, length(r.product_group) + 1) = r.product_group || '>'
      ORDER BY length(r.product_group) DESC LIMIT 1) r),
  graded AS (
    SELECT s.*, CASE WHEN s.score >= s.high_at THEN 'high' WHEN s.score >= s.medium_at THEN 'medium' ELSE 'low' END AS grade,
      jsonb_build_object('failedSamples', s.failed, 'certificateGaps', s.gaps, 'phiViolations', s.phi, 'openFindings', s.open,
        'overdueFindings', s.overdue, 'refusals', s.refusals) AS evidence
    FROM scored s)`;

const WEIGHT_OF = (grade: string) => `CASE ${grade} WHEN 'high' THEN g.draw_weight_high WHEN 'medium' THEN g.draw_weight_medium ELSE g.draw_weight_low END`;

/**
 * Risk grades (风险分级): computed per organisation and period from the evidence other features
 * hold — standing failed samples, batches without a certificate, PHI violations, open and overdue
 * inspection findings, lots refused at collection or market gates — each read once per region
 * through that feature's service, then weighed and graded for every organisation in one statement
 * against the rules (data, per product group). Regulators review (an override needs a reason and
 * is audited) and publish; published grades are public per region and set the sampling draw weight.
 */
@Injectable()
export class RiskGradesService implements OnModuleInit {
  constructor(
    @InjectRepository(RiskGrade) private readonly grades: Repository<RiskGrade>,
    @InjectRepository(RiskGradeRule) private readonly rules: Repository<RiskGradeRule>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly products: ProductsService,
    private readonly samples: SamplesService,
    private readonly plans: SamplingPlansService,
    private readonly gapsService: CertificateGapsService,
    private readonly collections: CertificateCollectionsService,
    private readonly phi: PhiGateService,
    private readonly inspections: InspectionsService,
    private readonly markets: MarketEntriesService,
    private readonly batches: BatchesService,
  ) {}

  onModuleInit(): void {
    this.plans.useDrawWeights((ids, on) => this.drawWeights(ids, on));
    this.inspections.useGrades((ids, on) => this.publishedGrades(ids, on));
  }

  async listRules(): Promise<RiskGradeRule[]> {
    return this.rules.find({ order: { productGroup: 'ASC' } });
  }

  /** Grades every organisation of a region for a period (drafts; published grades stay as published). */
  async compute(actor: Actor, regionCode: string, periodKey: string, today = chinaDate()): Promise<ComputeSummary> {
    const scope = this.jurisdiction(actor, regionCode);
    const period = this.period(periodKey);
    const input = await this.evidence(scope, period.from, period.to, today);
    const params = [input.ids, input.regions, input.categories, input.failed, input.gaps, input.phi, input.open, input.overdue, input.refusals, period.key, period.from, period.to];
    const graded = await this.dataSource.transaction(async (m) => {
      // Grading a region twice at once would insert the same rows: one at a time per period.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`risk_grades:${period.key}`]);
      const updated = await auditedQuery<{ id: string }>(m, `${GRADED}
        UPDATE risk_grades t SET region_code = g.region_code, category = g.category, rule_id = g.rule_id, evidence = g.evidence, score = g.score,
          computed_grade = g.grade, grade = CASE WHEN t.override_reason IS NULL THEN g.grade ELSE t.grade END,
          draw_weight = ${WEIGHT_OF('CASE WHEN t.override_reason IS NULL THEN g.grade ELSE t.grade END')}, computed_at = now()
        FROM graded g WHERE t.organization_id = g.organization_id AND t.period_key = $10::varchar AND t.status = 'draft'
        RETURNING t.id`, params.slice(0, 10), { target: RiskGrade, verb: 'update', details: { period: period.key, regionCode } });
      // New ones (drafts were updated above, published ones stay): ON CONFLICT rather than NOT EXISTS on
      // the table being filled, which the planner may turn into a rescan per row of a table it thinks empty.
      const inserted = await auditedQuery<{ id: string }>(m, `${GRADED}
        INSERT INTO risk_grades (organization_id, region_code, period_key, period_from, period_to, category, rule_id, evidence, score,
          computed_grade, grade, draw_weight, status, computed_at)
        SELECT g.organization_id, g.region_code, $10::varchar, $11::date, $12::date, g.category, g.rule_id, g.evidence, g.score, g.grade, g.grade, ${WEIGHT_OF('g.grade')}, 'draft', now()
        FROM graded g
        ON CONFLICT ON CONSTRAINT uq_risk_grades_org_period DO NOTHING
        RETURNING id`, params, { target: RiskGrade, verb: 'insert', details: { period: period.key, regionCode } });
      return updated.length + inserted.length;
    });
    return { regionCode, period: period.key, graded, byGrade: await this.counts(scope, period.key) };
  }

  async list(actor: Actor, query: ListRiskGradesDto): Promise<Page<RiskGradeView>> {
    const qb = this.grades.createQueryBuilder('g');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('g.region_code LIKE :prefix', { prefix: `${prefix}%` });
    // An organisation reads its own grades once published.
    else if (!isAdmin(actor)) qb.andWhere("g.organization_id = :own AND g.status = 'published'", { own: actor.organizationId });
    if (query.period !== undefined) qb.andWhere('g.period_key = :period', { period: query.period });
    if (query.grade !== undefined) qb.andWhere('g.grade = :grade', { grade: query.grade });
    if (query.status !== undefined) qb.andWhere('g.status = :status', { status: query.status });
    if (query.organizationId !== undefined) qb.andWhere('g.organization_id = :org', { org: query.organizationId });
    return this.page(await listPage(qb, 'g', query.limit ?? 50, query.cursor, (g) => g));
  }

  async get(actor: Actor, id: string): Promise<RiskGradeView> {
    return (await this.page({ items: [await this.findReadable(actor, id)], nextCursor: null })).items[0];
  }

  /** A reviewer's grade instead of the computed one, with the reason (audited; drafts only). */
  async override(actor: Actor, id: string, grade: string, reason: string): Promise<RiskGradeView> {
    const row = await this.findReadable(actor, id);
    const prefix = regulatorPrefix(actor);
    if (!prefix || !row.regionCode.startsWith(prefix)) throw new DomainError('FORBIDDEN', 'Only a regulator of the organisation\'s region reviews its grade');
    if (row.status === 'published') throw new DomainError('GRADE_PUBLISHED', 'This grade is published and no longer changes', { field: 'grade', rule: 'draft' });
    const problem = overrideProblem(grade, reason);
    if (problem) throw new DomainError('INVALID_OVERRIDE', problem, { field: problem.startsWith('grade') ? 'grade' : 'reason', rule: problem.startsWith('grade') ? 'enum' : 'reason_required' });
    const rule = await this.rules.findOneByOrFail({ id: row.ruleId });
    const weights: Record<Grade, string> = { high: rule.drawWeightHigh, medium: rule.drawWeightMedium, low: rule.drawWeightLow };
    Object.assign(row, { grade: grade as Grade, overrideReason: reason.trim(), reviewedBy: actorRef(actor) ?? 'admin', drawWeight: weights[grade as Grade] });
    return this.get(actor, (await this.grades.save(row)).id);
  }

  /** Publishes the region's draft grades of a period (the 分级结果 made public; they then feed the sampling draw). */
  async publish(actor: Actor, regionCode: string, periodKey: string): Promise<{ published: number }> {
    const scope = this.jurisdiction(actor, regionCode);
    const period = this.period(periodKey);
    const rows = await auditedQuery<{ id: string }>(this.dataSource.manager,
      `UPDATE risk_grades SET status = 'published', published_at = now() WHERE period_key = $1 AND region_code LIKE $2 AND status = 'draft' RETURNING id`,
      [period.key, `${scope}%`], { target: RiskGrade, verb: 'update', details: { period: period.key, regionCode } });
    return { published: rows.length };
  }

  /** The published grades of a region and period, for the public (names, region, grade; no evidence). */
  async published(query: PublishedRiskGradesDto): Promise<Page<{ organizationName: string; regionCode: string; period: string; grade: Grade; gradeName: string; publishedAt: string }>> {
    requireRegion(query.region, 'region');
    const period = this.period(query.period);
    const qb = this.grades.createQueryBuilder('g').where("g.status = 'published' AND g.period_key = :period AND g.region_code LIKE :prefix", { period: period.key, prefix: `${regionPrefix(query.region)}%` });
    if (query.grade !== undefined) qb.andWhere('g.grade = :grade', { grade: query.grade });
    const page = await listPage(qb, 'g', query.limit ?? 100, query.cursor, (g) => g);
    const names = await this.organizations.summaries(page.items.map((g) => g.organizationId));
    return {
      ...page,
      items: page.items.map((g) => ({
        organizationName: names.get(g.organizationId)?.name ?? '', regionCode: g.regionCode, period: g.periodKey, grade: g.grade, gradeName: GRADES[g.grade],
        publishedAt: g.publishedAt!.toISOString(),
      })),
    };
  }

  /** The published grade's draw weight of each organisation on a day (its latest period begun by then). */
  async drawWeights(organizationIds: string[], on: string): Promise<Map<string, number>> {
    if (organizationIds.length === 0) return new Map();
    const rows = await this.dataSource.query(
      `SELECT DISTINCT ON (organization_id) organization_id AS id, draw_weight AS weight FROM risk_grades
       WHERE organization_id = ANY($1::uuid[]) AND status = 'published' AND period_from <= $2 ORDER BY organization_id, period_from DESC`,
      [organizationIds, on],
    ) as { id: string; weight: string }[];
    return new Map(rows.map((r) => [r.id, Number(r.weight)]));
  }

  /** The published grade in force of each organisation on a day (its latest period begun by then): sets its inspection interval. */
  async publishedGrades(organizationIds: string[], on: string): Promise<Map<string, Grade>> {
    if (organizationIds.length === 0) return new Map();
    const rows = await this.dataSource.query(
      `SELECT DISTINCT ON (organization_id) organization_id AS id, grade FROM risk_grades
       WHERE organization_id = ANY($1::uuid[]) AND status = 'published' AND period_from <= $2 ORDER BY organization_id, period_from DESC`,
      [organizationIds, on],
    ) as { id: string; grade: Grade }[];
    return new Map(rows.map((r) => [r.id, r.grade]));
  }

  /** Each organisation's evidence for the period, read once per feature for the whole region. */
  private async evidence(scope: string, from: string, to: string, today: string): Promise<GradingInput> {
    const [orgs, failures, gaps, phi, findings, lots, refusedCertificates] = await Promise.all([
      this.organizations.inRegion(scope, INSPECTED_KINDS),
      this.samples.failuresByOrganization(scope, from, to),
      this.gapsService.countsByOrganization(scope, from, to),
      this.phi.violationsByOrganization(scope, from, to),
      this.inspections.openFindingCounts(scope, today),
      this.markets.refusedLots(from, to),
      this.collections.refusedCertificateIds(from, to),
    ]);
    const categories = await this.products.mainCategories(orgs.map((o) => o.id));
    // A refused lot concerns the producer its batch or certificate names.
    const refusals = new Map<string, number>();
    const batchOwners = new Map((await this.batches.byIds(lots.flatMap((l) => (l.batchId ? [l.batchId] : [])))).map((b) => [b.id, b.organizationId]));
    const certificateIds = [...lots.flatMap((l) => (!l.batchId && l.certificateId ? [l.certificateId] : [])), ...refusedCertificates];
    const certificateOwners = new Map([...(await this.collections.factsOf([...new Set(certificateIds)])).values()].map((c) => [c.id, c.organizationId]));
    const count = (org: string | undefined) => org && refusals.set(org, (refusals.get(org) ?? 0) + 1);
    for (const l of lots) count(l.batchId ? batchOwners.get(l.batchId) : certificateOwners.get(l.certificateId!));
    for (const id of refusedCertificates) count(certificateOwners.get(id));

    const byOrg = (rows: { organizationId: string; n: number }[]) => new Map(rows.map((r) => [r.organizationId, r.n]));
    const [f, g, p] = [byOrg(failures), byOrg(gaps), byOrg(phi)];
    const open = new Map(findings.map((r) => [r.organizationId, r]));
    return {
      ids: orgs.map((o) => o.id), regions: orgs.map((o) => o.regionCode), categories: orgs.map((o) => categories.get(o.id) ?? ''),
      failed: orgs.map((o) => f.get(o.id) ?? 0), gaps: orgs.map((o) => g.get(o.id) ?? 0), phi: orgs.map((o) => p.get(o.id) ?? 0),
      open: orgs.map((o) => open.get(o.id)?.open ?? 0), overdue: orgs.map((o) => open.get(o.id)?.overdue ?? 0), refusals: orgs.map((o) => refusals.get(o.id) ?? 0),
    };
  }

  private async counts(scope: string, periodKey: string): Promise<Record<Grade, number>> {
    const rows = await this.dataSource.query(
      'SELECT grade, count(*)::int AS n FROM risk_grades WHERE period_key = $1 AND region_code LIKE $2 GROUP BY grade', [periodKey, `${scope}%`],
    ) as { grade: Grade; n: number }[];
    return { high: 0, medium: 0, low: 0, ...Object.fromEntries(rows.map((r) => [r.grade, r.n])) };
  }

  /** The region's prefix, if the actor is its regulator (or the admin). */
  private jurisdiction(actor: Actor, regionCode: string): string {
    requireRegion(regionCode, 'regionCode');
    const prefix = regulatorPrefix(actor);
    if (!isAdmin(actor) && !prefix) throw new DomainError('FORBIDDEN', 'Only a regulator grades the organisations of its jurisdiction');
    if (prefix && !regionCode.startsWith(prefix)) {
      throw new DomainError('REGION_OUTSIDE_JURISDICTION', 'regionCode is outside your jurisdiction', { field: 'regionCode', rule: 'within_jurisdiction' });
    }
    return regionPrefix(regionCode);
  }

  private period(key: string): { key: string; from: string; to: string } {
    const period = gradingPeriod(key);
    if (!period) throw new DomainError('INVALID_PERIOD', 'period must be a year (2026) or a quarter (2026-Q3)', { field: 'period', rule: 'format' });
    return period;
  }

  private async findReadable(actor: Actor, id: string): Promise<RiskGrade> {
    const row = isUuid(id) ? await this.grades.findOneBy({ id }) : null;
    if (row && canRead(actor, row.organizationId, [row.regionCode]) && (row.status === 'published' || regulatorPrefix(actor) || isAdmin(actor))) return row;
    throw new DomainError('NOT_FOUND', 'Risk grade not found');
  }

  private async page(page: Page<RiskGrade>): Promise<Page<RiskGradeView>> {
    const names = await this.organizations.summaries([...new Set(page.items.map((g) => g.organizationId))]);
    return {
      ...page,
      items: page.items.map((g) => ({
        id: g.id, organizationId: g.organizationId, organizationName: names.get(g.organizationId)?.name ?? null, regionCode: g.regionCode,
        period: { key: g.periodKey, from: g.periodFrom, to: g.periodTo }, category: g.category, ruleId: g.ruleId, evidence: g.evidence,
        score: formatDecimal(g.score), computedGrade: g.computedGrade, grade: g.grade, gradeName: GRADES[g.grade],
        override: g.overrideReason ? { reason: g.overrideReason, by: g.reviewedBy } : null, drawWeight: formatDecimal(g.drawWeight),
        status: g.status, publishedAt: g.publishedAt?.toISOString() ?? null, computedAt: g.computedAt.toISOString(),
      })),
    };
  }
}
