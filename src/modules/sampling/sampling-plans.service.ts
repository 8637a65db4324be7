import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError, type ErrorCode } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { Page, listPage } from '../../common/pagination';
import { auditedQuery } from '../audit';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { BatchesService } from '../batches';
import { normalizeCategoryPath } from '../categories/domain';
import { LimitsService } from '../limits';
import { OrganizationsService } from '../organizations';
import { regionPrefix, requireRegion } from '../regions/domain';
import type { TestStream } from '../test-records/domain';
import { Cadence, assertPlanDates, periodContaining } from './domain/periods';
import { failureWeight, hashSeed, weightedSample } from './domain/selection';
import { CreatePlanDto } from './dto/sampling.dto';
import { SampleCustodyEvent, Sample } from './sample.entity';
import { SamplingPlan, SamplingRound } from './sampling-plan.entity';
import { todayInChina } from '../../common/dates';

/** Batches produced this many days before a period starts are still on sale and may be drawn. */
const PRODUCED_BEFORE_PERIOD_DAYS = 90;

export interface RoundView {
  id: string;
  planId: string;
  periodKey: string;
  periodFrom: string;
  periodTo: string;
  seed: string;
  taskCount: number;
  draws: SamplingRound['draws'];
  createdAt: string;
}

/**
 * The sampling draw weight of organisations on a day, from a feature that grades them (risk grades
 * register theirs: the published grade's weight). Organisations it leaves out keep the failure weight.
 */
export type DrawWeights = (organizationIds: string[], on: string) => Promise<Map<string, number>>;

const shiftDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
function field(fieldName: string, rule: string, message: string, code: ErrorCode = 'VALIDATION_FAILED'): DomainError {
  return new DomainError(code, `${fieldName}: ${message}`, code === 'VALIDATION_FAILED' ? { fields: [{ field: fieldName, rule, message }] } : { field: fieldName, rule });
}

@Injectable()
export class SamplingPlansService {
  constructor(
    @InjectRepository(SamplingPlan) private readonly plans: Repository<SamplingPlan>,
    @InjectRepository(SamplingRound) private readonly rounds: Repository<SamplingRound>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly limits: LimitsService,
    private readonly organizations: OrganizationsService,
    private readonly batches: BatchesService,
  ) {}

  private drawWeights: DrawWeights | null = null;

  /** Replaces the fixed failure weight for the organisations `source` weighs (risk grades, once published). */
  useDrawWeights(source: DrawWeights): void {
    this.drawWeights = source;
  }

  async create(actor: Actor, dto: CreatePlanDto): Promise<SamplingPlan> {
    const prefix = regulatorPrefix(actor);
    if (!prefix || !actor.organizationId) throw new DomainError('FORBIDDEN', 'Only a regulator issues sampling plans');
    return this.plans.save(this.plans.create({ ...await this.checkedPlan(prefix, dto), issuerOrganizationId: actor.organizationId }));
  }

  /**
   * The issuing regulator changes its plan (name, dates, panel, quotas, labs) by the same rules as
   * creating it. Rounds already drawn keep their tasks (their seed and draws are the record); the
   * change applies to the rounds drawn from now on.
   */
  async update(actor: Actor, id: string, dto: CreatePlanDto): Promise<SamplingPlan> {
    const plan = await this.get(actor, id);
    const prefix = regulatorPrefix(actor);
    if (!prefix || actor.organizationId !== plan.issuerOrganizationId) throw new DomainError('FORBIDDEN', 'Only the issuing regulator changes its plan');
    Object.assign(plan, await this.checkedPlan(prefix, dto));
    return this.plans.save(plan);
  }

  /** A plan's fields checked against the jurisdiction, the catalogues and the labs (422 naming the field). */
  private async checkedPlan(prefix: string, dto: CreatePlanDto): Promise<Omit<SamplingPlan, 'id' | 'issuerOrganizationId' | 'createdAt'>> {
    requireRegion(dto.regionCode, 'regionCode');
    if (!dto.regionCode.startsWith(prefix)) throw field('regionCode', 'within_jurisdiction', 'the plan region is outside your jurisdiction', 'REGION_OUTSIDE_JURISDICTION');
    assertPlanDates(dto.periodFrom, dto.periodTo);
    const index = await this.limits.currentIndex();
    const categories = dto.categories.map((c, i) => {
      const path = normalizeCategoryPath(c);
      if (!index.hasFood(path)) throw new DomainError('UNKNOWN_FOOD', `categories[${i}]: "${c.slice(0, 100)}" is not in the food-category tree`, { field: `categories[${i}]`, rule: 'known_category' });
      return path;
    });
    const analytes = dto.analytes.map((a, i) => {
      const found = index.findAnalyte(a);
      if (!found) throw new DomainError('UNKNOWN_ANALYTE', `analytes[${i}]: "${a.slice(0, 100)}" is not in the analyte catalogue`, { field: `analytes[${i}]`, rule: 'known_analyte' });
      return found.name;
    });
    const quotas = dto.quotas.map((q, i) => {
      requireRegion(q.county, `quotas[${i}].county`);
      if (!q.county.startsWith(regionPrefix(dto.regionCode))) throw field(`quotas[${i}].county`, 'within_plan_region', 'the county is outside the plan region');
      const category = normalizeCategoryPath(q.category);
      if (!categories.some((c) => category === c || category.startsWith(`${c}>`))) {
        throw new DomainError('UNKNOWN_FOOD', `quotas[${i}].category: "${q.category.slice(0, 100)}" is not one of the plan categories (or below one)`, { field: `quotas[${i}].category`, rule: 'plan_category' });
      }
      return { county: q.county, category, count: q.count };
    });
    await this.requireLabs(dto.labOrganizationIds, 'labOrganizationIds');
    return {
      name: dto.name.trim(), stream: dto.stream as TestStream, regionCode: dto.regionCode,
      cadence: dto.cadence as Cadence, periodFrom: dto.periodFrom, periodTo: dto.periodTo, categories, analytes, quotas,
      labOrganizationIds: [...new Set(dto.labOrganizationIds)], failureLookbackDays: dto.failureLookbackDays ?? 365, failureWeight: dto.failureWeight ?? 2,
    };
  }

  /** Checks every id is an organisation of kind `lab`; answers 422 naming the field otherwise. */
  async requireLabs(ids: string[], fieldName: string): Promise<void> {
    for (const [i, id] of ids.entries()) {
      const org = await this.organizations.summary(id);
      if (!org || org.kind !== 'lab') throw new DomainError('LAB_NOT_FOUND', `${fieldName}[${i}]: not a laboratory on the platform`, { field: `${fieldName}[${i}]`, rule: 'lab' });
    }
  }

  async get(actor: Actor, id: string): Promise<SamplingPlan> {
    const plan = isUuid(id) ? await this.plans.findOneBy({ id }) : null;
    if (!plan || !canReadPlan(actor, plan)) throw new DomainError('NOT_FOUND', 'Sampling plan not found');
    return plan;
  }

  async list(actor: Actor, limit = 50, cursor?: string): Promise<Page<SamplingPlan>> {
    const qb = this.plans.createQueryBuilder('p');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.where('(p.region_code LIKE :prefix OR p.issuer_organization_id = :org)', { prefix: `${prefix}%`, org: actor.organizationId });
    else if (!isAdmin(actor)) qb.where('p.lab_organization_ids @> ARRAY[:org]::uuid[]', { org: actor.organizationId });
    return listPage(qb, 'p', limit, cursor, (p) => p);
  }

  async listRounds(actor: Actor, planId: string): Promise<{ items: RoundView[] }> {
    const plan = await this.get(actor, planId);
    const rows = await this.rounds.find({ where: { planId: plan.id }, order: { periodFrom: 'ASC' } });
    return { items: rows.map(roundView) };
  }

  /** A regulator generates a period's tasks now (the scheduler does it when a period starts). */
  async generateFor(actor: Actor, planId: string, on: string | undefined): Promise<{ round: RoundView; created: boolean }> {
    const plan = await this.get(actor, planId);
    if (!isAdmin(actor) && actor.organizationId !== plan.issuerOrganizationId) throw new DomainError('FORBIDDEN', 'Only the issuing regulator generates its plan tasks');
    return this.generate(plan, on ?? todayInChina());
  }

  /** Scheduler: every plan whose period contains `on` gets that period's tasks (once). */
  async generateDue(on: string): Promise<number> {
    const due = await this.plans.createQueryBuilder('p').where('p.period_from <= :on AND p.period_to >= :on', { on }).getMany();
    let created = 0;
    for (const plan of due) if ((await this.generate(plan, on)).created) created++;
    return created;
  }

  /**
   * Draws a period's tasks: per quota, batches of the county and category produced in the period
   * (or up to 90 days before), weighted by the organisation's published risk grade (else towards
   * organisations with recent failures), picked with a
   * recorded random seed; each assigned to one of the plan's labs. Idempotent per (plan, period).
   */
  async generate(plan: SamplingPlan, on: string): Promise<{ round: RoundView; created: boolean }> {
    const period = periodContaining(plan.cadence, plan.periodFrom, plan.periodTo, on);
    if (!period) throw new DomainError('PERIOD_OUTSIDE_PLAN', `${on} is outside the plan (${plan.periodFrom} – ${plan.periodTo})`, { field: 'on', rule: 'within_plan' });
    const existing = await this.rounds.findOneBy({ planId: plan.id, periodKey: period.key });
    if (existing) return { round: roundView(existing), created: false };

    const seed = randomBytes(12).toString('hex');
    const failures = await this.recentFailures(plan.failureLookbackDays, on);
    const chosen = new Set<string>();
    const draws: SamplingRound['draws'] = [];
    const picks: { batch: Awaited<ReturnType<BatchesService['samplingCandidates']>>[number] }[] = [];
    for (const [i, quota] of plan.quotas.entries()) {
      const found = (await this.batches.samplingCandidates(regionPrefix(quota.county), quota.category, shiftDays(period.from, -PRODUCED_BEFORE_PERIOD_DAYS), period.to))
        .filter((c) => !chosen.has(c.id));
      // A published risk grade's weight where there is one; else more weight for recent failures.
      const graded = this.drawWeights ? await this.drawWeights([...new Set(found.map((c) => c.organizationId))], on) : new Map<string, number>();
      const candidates = found.map((c) => ({ ...c, weight: graded.get(c.organizationId) ?? failureWeight(failures.get(c.organizationId) ?? 0, plan.failureWeight) }));
      const drawn = weightedSample(candidates, quota.count, `${seed}:${i}`);
      for (const batch of drawn) {
        chosen.add(batch.id);
        picks.push({ batch });
      }
      draws.push({ county: quota.county, category: quota.category, wanted: quota.count, candidates: candidates.length, drawn: drawn.length });
    }

    return this.dataSource.transaction(async (manager) => {
      const [inserted] = await auditedQuery<{ id: string }>(manager,
        `INSERT INTO sampling_rounds (plan_id, period_key, period_from, period_to, seed, task_count, draws) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ON CONSTRAINT uq_sampling_rounds_plan_period DO NOTHING RETURNING id`,
        [plan.id, period.key, period.from, period.to, seed, picks.length, JSON.stringify(draws)], { target: SamplingRound, verb: 'insert' });
      if (!inserted) {
        // Another process generated this period first: its draw stands.
        return { round: roundView((await manager.findOneByOrFail(SamplingRound, { planId: plan.id, periodKey: period.key }))), created: false };
      }
      const labs = [...plan.labOrganizationIds].sort();
      for (const { batch } of picks) {
        const sampleNo = await nextSampleNo(manager, batch.regionCode, period.from.slice(0, 4));
        const sample = await manager.save(manager.create(Sample, {
          sampleNo, planId: plan.id, roundId: inserted.id, recheckOf: null, stream: plan.stream, batchId: batch.id, organizationId: batch.organizationId,
          siteId: batch.siteId, regionCode: batch.regionCode, categoryPath: batch.categoryPath, issuerOrganizationId: plan.issuerOrganizationId,
          labOrganizationId: labs[hashSeed(`${seed}:${batch.id}`) % labs.length], analytes: plan.analytes, status: 'planned',
        }));
        await manager.insert(SampleCustodyEvent, { sampleId: sample.id, status: 'planned', by: plan.issuerOrganizationId, note: `plan period ${period.key}` });
      }
      return { round: roundView(await manager.findOneByOrFail(SamplingRound, { id: inserted.id })), created: true };
    });
  }

  /** Failed samples per organisation judged in the look-back window. */
  private async recentFailures(days: number, on: string): Promise<Map<string, number>> {
    const rows = await this.dataSource.query(
      `SELECT organization_id AS "organizationId", count(*)::int AS n FROM samples WHERE verdict = 'fail' AND judged_on >= $1 GROUP BY organization_id`,
      [shiftDays(on, -days)],
    ) as { organizationId: string; n: number }[];
    return new Map(rows.map((r) => [r.organizationId, r.n]));
  }
}

/** Consecutive sample numbers per region and year: `510131` + `2026` + 6 digits. */
export async function nextSampleNo(manager: EntityManager, regionCode: string, year: string): Promise<string> {
  const key = `${regionCode}${year}`;
  const [row] = await manager.query(
    `INSERT INTO sampling_counters (key, value) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET value = sampling_counters.value + 1 RETURNING value`,
    [key],
  ) as { value: number }[];
  return `${key}${String(row.value).padStart(6, '0')}`;
}

function canReadPlan(actor: Actor, plan: SamplingPlan): boolean {
  if (isAdmin(actor)) return true;
  if (actor.organizationId === plan.issuerOrganizationId) return true;
  const prefix = regulatorPrefix(actor);
  if (prefix) return plan.regionCode.startsWith(prefix);
  return actor.role === 'lab' && !!actor.organizationId && plan.labOrganizationIds.includes(actor.organizationId);
}

function roundView(r: SamplingRound): RoundView {
  return {
    id: r.id, planId: r.planId, periodKey: r.periodKey, periodFrom: r.periodFrom, periodTo: r.periodTo, seed: r.seed,
    taskCount: r.taskCount, draws: r.draws, createdAt: r.createdAt.toISOString(),
  };
}
