import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { assertNotFuture } from '../../common/dates';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { Actor, canRead, isAdmin, regulatorPrefix } from '../auth';
import { WorkingCalendarService } from '../calendar';
import { FileStore } from '../files';
import { IdempotencyService } from '../idempotency';
import { NotificationsService } from '../notifications';
import { OrganizationsService } from '../organizations';
import { SitesService } from '../sites';
import {
  DueState, FINDING_SEVERITIES, FindingSeverity, FrequencyGrade, inspectionDue, isOverdue, ITEM_RESULTS, ItemResult, PHOTO_TYPES, photoProblem, rectificationDeadline, resultsProblem,
} from './domain';
import { CreateInspectionDto, ListFindingsDto, PhotoDto } from './dto/inspection.dto';
import { InspectionTemplatesService } from './inspection-templates.service';
import { Inspection, InspectionCoverageMark, InspectionFinding, InspectionFrequencyRule, InspectionTemplate, PhotoFile } from './inspection.entity';
import { cursorCodec, keysetPage } from '../../common/pagination';
import { regionPrefix, requireRegion } from '../regions/domain';

/** Organisations inspected: producers, purchasers and markets (labs and regulators are not). */
export const INSPECTED_KINDS = ['cooperative', 'enterprise', 'family_farm', 'individual', 'purchaser', 'market'] as const;

export interface FindingView {
  id: string;
  inspectionId: string;
  organizationId: string;
  regionCode: string;
  itemKey: string | null;
  itemText: string | null;
  description: string;
  severity: FindingSeverity;
  severityName: string;
  deadline: string;
  status: 'open' | 'closed';
  overdue: boolean;
  closedByInspectionId: string | null;
  closedOn: string | null;
  createdAt: string;
}

export interface InspectionView {
  id: string;
  organizationId: string;
  organizationName: string | null;
  siteId: string | null;
  regionCode: string;
  template: { id: string; code: string; version: number; name: string };
  inspectedOn: string;
  inspectors: string[];
  results: { itemKey: string; itemText: string; result: ItemResult; resultName: string; note: string }[];
  findings: FindingView[];
  closedFindingIds: string[];
  /** `itemKey`: the finding's checklist item the photo shows, null for the inspection as a whole. */
  photos: { contentType: string; bytes: number; sha256: string; url: string; itemKey: string | null }[];
  note: string;
  reinspectionOf: string | null;
  createdAt: string;
}

interface DecodedPhoto { contentType: string; bytes: Buffer; itemKey?: string }

/** The published risk grade in force for each organisation on a day (registered by risk grades). */
export type PublishedGrades = (organizationIds: string[], on: string) => Promise<Map<string, 'high' | 'medium' | 'low'>>;

export interface DueInspectionView {
  organizationId: string;
  organizationName: string;
  regionCode: string;
  /** The published grade in force, or null (the `ungraded` interval applies). */
  grade: 'high' | 'medium' | 'low' | null;
  intervalMonths: number;
  lastInspectedOn: string | null;
  /** never_inspected, or interval_passed since dueOn. */
  reason: DueState['reason'];
  dueOn: string | null;
}

const DUE_CURSOR = cursorCodec('inspections-due', 'offset');

/**
 * Inspections (巡查检查, DOMAIN.md §11): a regulator's inspectors check an organisation of their
 * jurisdiction against a published checklist version, record each item's result, findings with a
 * rectification deadline and photos; a re-inspection closes the findings found corrected. The
 * organisation reads its findings; overdue ones alert the regulators (InspectionsOverdueProcessor).
 */
@Injectable()
export class InspectionsService {
  constructor(
    @InjectRepository(Inspection) private readonly inspections: Repository<Inspection>,
    @InjectRepository(InspectionFinding) private readonly findingsRepo: Repository<InspectionFinding>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: InspectionTemplatesService,
    private readonly organizations: OrganizationsService,
    private readonly sites: SitesService,
    private readonly calendar: WorkingCalendarService,
    private readonly files: FileStore,
    private readonly idempotency: IdempotencyService,
    private readonly notifications: NotificationsService,
    @InjectRepository(InspectionFrequencyRule) private readonly frequencyRules: Repository<InspectionFrequencyRule>,
  ) {}

  private publishedGrades: PublishedGrades | null = null;

  /** Risk grades register here: published grades then set each organisation's inspection interval. */
  useGrades(source: PublishedGrades): void {
    this.publishedGrades = source;
  }

  /** Months between inspections per risk grade (data, with source and verified flag). */
  async frequency(): Promise<InspectionFrequencyRule[]> {
    const rows = await this.frequencyRules.find();
    const order: FrequencyGrade[] = ['high', 'medium', 'low', 'ungraded'];
    return rows.sort((a, b) => order.indexOf(a.grade) - order.indexOf(b.grade));
  }

  /**
   * Inspections due in a region (default: the regulator's jurisdiction) on a day: inspected
   * organisations never inspected, or whose last inspection is older than their published grade's
   * interval (the `ungraded` one without a grade). Most overdue first: never inspected, then by the
   * day they fell due, high grades before lower ones on the same day.
   */
  async due(actor: Actor, query: { region?: string; limit?: number; cursor?: string }, today = chinaDate()): Promise<Page<DueInspectionView> & { total: number }> {
    const prefix = regulatorPrefix(actor);
    if (!prefix && !isAdmin(actor)) throw new DomainError('FORBIDDEN', 'Only a regulator reads the inspections due in its jurisdiction');
    const region = query.region ?? actor.regionCode;
    if (!region) throw new DomainError('VALIDATION_FAILED', 'region is required', { field: 'region', rule: 'required' });
    requireRegion(region, 'region');
    if (prefix && !region.startsWith(prefix)) throw new DomainError('NOT_FOUND', 'Region outside your jurisdiction', { field: 'region' });
    const position = DUE_CURSOR.decode(query.cursor)?.sort ?? 0;
    const scope = regionPrefix(region);
    const [orgs, last, rules] = await Promise.all([
      this.organizations.inRegion(scope, INSPECTED_KINDS),
      this.dataSource.query(
        'SELECT organization_id AS id, max(inspected_on)::text AS "lastOn" FROM inspections WHERE region_code LIKE $1 GROUP BY organization_id', [`${scope}%`],
      ) as Promise<{ id: string; lastOn: string }[]>,
      this.frequency(),
    ]);
    const grades = this.publishedGrades ? await this.publishedGrades(orgs.map((o) => o.id), today) : new Map<string, 'high' | 'medium' | 'low'>();
    const lastOn = new Map(last.map((r) => [r.id, r.lastOn]));
    const months = new Map(rules.map((r) => [r.grade, r.intervalMonths]));
    const rank = { high: 0, medium: 1, low: 2, ungraded: 3 } as const;
    const due = orgs.flatMap((o) => {
      const grade = grades.get(o.id) ?? null;
      const intervalMonths = months.get(grade ?? 'ungraded') ?? months.get('ungraded')!;
      const state = inspectionDue(lastOn.get(o.id) ?? null, intervalMonths, today);
      return state.due ? [{ o, grade, intervalMonths, state }] : [];
    }).sort((a, b) => (a.state.dueOn ?? '') < (b.state.dueOn ?? '') ? -1 : (a.state.dueOn ?? '') > (b.state.dueOn ?? '') ? 1
      : rank[a.grade ?? 'ungraded'] - rank[b.grade ?? 'ungraded'] || (a.o.id < b.o.id ? -1 : 1));
    const limit = query.limit ?? 50;
    const slice = due.slice(position, position + limit + 1);
    const names = await this.organizations.summaries(slice.map((d) => d.o.id));
    const page = keysetPage(DUE_CURSOR, slice.map((d, i) => ({ d, at: position + i + 1 })), limit, (r) => ({ sort: r.at }), ({ d }) => ({
      organizationId: d.o.id, organizationName: names.get(d.o.id)?.name ?? '', regionCode: d.o.regionCode, grade: d.grade, intervalMonths: d.intervalMonths,
      lastInspectedOn: lastOn.get(d.o.id) ?? null, reason: d.state.reason, dueOn: d.state.dueOn,
    }));
    return { ...page, total: due.length };
  }

  async create(actor: Actor, dto: CreateInspectionDto, key: string | undefined): Promise<{ view: InspectionView; replayed: boolean }> {
    const prefix = regulatorPrefix(actor);
    if (!prefix || !actor.organizationId) throw new DomainError('FORBIDDEN', "Only a regulator's inspectors record inspections");
    const org = await this.organizations.summary(dto.organizationId);
    // Another jurisdiction's organisation does not exist for this regulator.
    if (!org || !org.regionCode.startsWith(prefix)) throw new DomainError('NOT_FOUND', 'Organisation not found', { field: 'organizationId' });
    if (!(INSPECTED_KINDS as readonly string[]).includes(org.kind)) {
      throw new DomainError('NOT_INSPECTABLE', `A ${org.kind} organisation is not inspected`, { field: 'organizationId', rule: 'inspected_kind' });
    }
    if (dto.siteId !== undefined) {
      const site = await this.sites.byId(dto.siteId);
      if (!site || site.organizationId !== org.id) throw new DomainError('NOT_FOUND', "Site not found among the organisation's sites", { field: 'siteId' });
    }
    assertNotFuture(dto.inspectedOn, 'inspectedOn');
    const template = await this.templates.publishedVersion(dto.templateId);
    const findings = (dto.findings ?? []).map((f) => ({ ...f, itemKey: f.itemKey ?? null }));
    const problem = resultsProblem(template.items, dto.results, findings);
    if (problem) throw new DomainError('INVALID_INSPECTION', `${problem.field}: ${problem.message}`, { field: problem.field, rule: problem.rule });
    const calendar = await this.calendar.calendar();
    const deadlines = findings.map((f, i) => {
      const outcome = rectificationDeadline(dto.inspectedOn, f.severity as FindingSeverity, calendar, f.deadline);
      if (!outcome.ok) throw new DomainError('INVALID_INSPECTION', `findings[${i}].deadline: ${outcome.message}`, { field: `findings[${i}].deadline`, rule: outcome.rule });
      return outcome.deadline;
    });
    const photos = this.decodePhotos(dto.photos ?? [], new Set(findings.flatMap((f) => (f.itemKey ? [f.itemKey] : []))));

    // Photos are written before the transaction (the file store is no database); if it fails, or a
    // retry replays the first request's inspection, they are removed again: no orphan stays.
    const id = randomUUID();
    const stored = await this.storePhotos(id, photos);
    let outcome: { result: InspectionView; replayed: boolean };
    try {
      outcome = await this.idempotency.run(actor, key, 'POST /api/v1/inspections', dto, async (m) => {
        let reinspected: Inspection | null = null;
        if (dto.reinspectionOf !== undefined) {
          reinspected = await m.findOneBy(Inspection, { id: dto.reinspectionOf });
          if (!reinspected || reinspected.organizationId !== org.id) {
            throw new DomainError('NOT_FOUND', 'The re-inspected inspection is not one of this organisation', { field: 'reinspectionOf' });
          }
        }
        const inspection = await m.save(m.create(Inspection, {
          id, organizationId: org.id, siteId: dto.siteId ?? null, regionCode: org.regionCode, templateId: template.id, inspectedOn: dto.inspectedOn,
          inspectors: dto.inspectors.map((n) => n.trim()), inspectorOrganizationId: actor.organizationId!,
          itemResults: dto.results.map((r) => ({ itemKey: r.itemKey, result: r.result as ItemResult, note: r.note?.trim() ?? '' })),
          note: dto.note?.trim() ?? '', photos: stored, reinspectionOf: reinspected?.id ?? null,
        }));
        for (const [i, f] of findings.entries()) {
          await m.save(m.create(InspectionFinding, {
            inspectionId: id, organizationId: org.id, regionCode: org.regionCode, itemKey: f.itemKey, description: f.description.trim(),
            severity: f.severity as FindingSeverity, deadline: deadlines[i], status: 'open',
          }));
        }
        await this.closeFindings(m, org.id, dto.closeFindingIds ?? [], id, dto.inspectedOn);
        await this.markCoverage(m, org.id, org.regionCode, dto.inspectedOn);
        if (findings.length) {
          await this.notifications.notify(m, {
            organizationId: org.id, kind: 'inspection.findings', subject: { type: 'inspections', id },
            payload: { inspectionId: id, findings: findings.length, firstDeadline: [...deadlines].sort()[0] },
          });
        }
        return this.view(m, inspection, template, org.name);
      });
    } catch (error) {
      await this.removePhotos(stored);
      throw error;
    }
    if (outcome.result.id !== id) await this.removePhotos(stored);
    if (findings.length && !outcome.replayed) this.notifications.deliverSoon();
    return { view: outcome.result, replayed: outcome.replayed };
  }

  async get(actor: Actor, id: string): Promise<InspectionView> {
    const row = await this.findReadable(actor, id);
    return this.view(this.dataSource.manager, row);
  }

  async list(actor: Actor, limit = 50, cursor?: string, organizationId?: string): Promise<Page<InspectionView>> {
    const qb = this.inspections.createQueryBuilder('i');
    this.scope(actor, qb, 'i');
    if (organizationId !== undefined) qb.andWhere('i.organization_id = :organizationId', { organizationId });
    const page = await listPage(qb, 'i', limit, cursor, (row) => row);
    const names = await this.organizations.summaries([...new Set(page.items.map((r) => r.organizationId))]);
    const items = [];
    for (const row of page.items) items.push(await this.view(this.dataSource.manager, row, undefined, names.get(row.organizationId)?.name ?? null));
    return { ...page, items };
  }

  /** Findings the actor may read: an organisation its own, a regulator its jurisdiction's; open by default. */
  async findings(actor: Actor, query: ListFindingsDto, today = chinaDate()): Promise<Page<FindingView>> {
    const qb = this.findingsRepo.createQueryBuilder('f');
    this.scope(actor, qb, 'f');
    const status = query.status ?? 'open';
    if (status === 'overdue') qb.andWhere("f.status = 'open' AND f.deadline < :today", { today });
    else qb.andWhere('f.status = :status', { status });
    if (query.organizationId !== undefined) qb.andWhere('f.organization_id = :org', { org: query.organizationId });
    const page = await listPage(qb, 'f', query.limit ?? 50, query.cursor, (f) => f);
    const texts = await this.itemTexts(this.dataSource.manager, page.items.map((f) => f.inspectionId));
    return { ...page, items: page.items.map((f) => this.findingView(f, texts.get(f.inspectionId), today)) };
  }

  /** Photo `n` (1-based) of an inspection the actor may read. */
  async photo(actor: Actor, id: string, n: string): Promise<{ contentType: string; filename: string; body: Buffer }> {
    const row = await this.findReadable(actor, id);
    const file = /^[1-9]$/.test(n) ? row.photos[Number(n) - 1] : undefined;
    if (!file) throw new DomainError('NOT_FOUND', 'No such photo');
    return { contentType: file.contentType, filename: file.key.split('/').pop()!, body: await this.files.readAll(file.key) };
  }

  /**
   * Alerts each open finding past its deadline once: the organisation and the regulators of its
   * region (the daily job). Locked rows are skipped, so two workers never alert one twice.
   */
  async alertOverdue(now = new Date()): Promise<string[]> {
    const today = chinaDate(now);
    const alerted = await this.dataSource.transaction(async (m) => {
      const due = await m.createQueryBuilder(InspectionFinding, 'f').setLock('pessimistic_write').setOnLocked('skip_locked')
        .where("f.status = 'open' AND f.overdue_alerted_at IS NULL AND f.deadline < :today", { today })
        .orderBy('f.deadline').limit(500).getMany();
      if (due.length === 0) return [];
      await m.update(InspectionFinding, { id: In(due.map((f) => f.id)) }, { overdueAlertedAt: now });
      for (const f of due) {
        await this.notifications.notify(m, {
          organizationId: f.organizationId, regionCode: f.regionCode, kind: 'inspection.finding_overdue', subject: { type: 'inspection_findings', id: f.id },
          payload: { findingId: f.id, inspectionId: f.inspectionId, organizationId: f.organizationId, deadline: f.deadline, severity: f.severity },
        });
      }
      return due.map((f) => f.id);
    });
    if (alerted.length) this.notifications.deliverSoon();
    return alerted;
  }

  /** Open and overdue findings per organisation of a region (risk grading's evidence). */
  async openFindingCounts(regionPrefix: string, today: string): Promise<{ organizationId: string; open: number; overdue: number }[]> {
    return this.dataSource.query(
      `SELECT organization_id AS "organizationId", count(*)::int AS open, count(*) FILTER (WHERE deadline < $2)::int AS overdue
       FROM inspection_findings WHERE status = 'open' AND region_code LIKE $1 GROUP BY organization_id`,
      [`${regionPrefix}%`, today],
    ) as Promise<{ organizationId: string; open: number; overdue: number }[]>;
  }

  private async closeFindings(m: EntityManager, organizationId: string, ids: string[], inspectionId: string, on: string): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const rows = await m.createQueryBuilder(InspectionFinding, 'f').setLock('pessimistic_write')
      .where('f.id IN (:...ids)', { ids: unique }).getMany();
    for (const [i, id] of unique.entries()) {
      const row = rows.find((r) => r.id === id);
      if (!row || row.organizationId !== organizationId) throw new DomainError('NOT_FOUND', "Finding not found among the organisation's", { field: `closeFindingIds[${i}]` });
      if (row.status !== 'open') throw new DomainError('FINDING_NOT_OPEN', `Finding ${id} is already closed`, { field: `closeFindingIds[${i}]`, rule: 'open' });
      if (row.inspectionId === inspectionId) throw new DomainError('INVALID_INSPECTION', 'An inspection cannot close its own findings', { field: `closeFindingIds[${i}]`, rule: 'earlier_finding' });
    }
    await m.update(InspectionFinding, { id: In(unique) }, { status: 'closed', closedByInspectionId: inspectionId, closedOn: on });
  }

  /** The month of the organisation's first inspection of the year (inspection_coverage). */
  private async markCoverage(m: EntityManager, organizationId: string, regionCode: string, inspectedOn: string): Promise<void> {
    const year = Number(inspectedOn.slice(0, 4));
    const month = `${inspectedOn.slice(0, 7)}-01`;
    // One mark per organisation and year: concurrent inspections of one organisation take turns.
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`inspection_coverage:${organizationId}:${year}`]);
    const mark = await m.findOneBy(InspectionCoverageMark, { organizationId, year });
    if (!mark) await m.save(m.create(InspectionCoverageMark, { organizationId, year, regionCode, month }));
    else if (month < mark.month) await m.update(InspectionCoverageMark, { organizationId, year }, { month });
  }

  /** The photos' bytes, checked; a photo of a finding names the item of one of this inspection's findings. */
  private decodePhotos(photos: PhotoDto[], findingItems: Set<string>): DecodedPhoto[] {
    return photos.map((p, i) => {
      if (p.itemKey !== undefined && !findingItems.has(p.itemKey)) {
        throw new DomainError('INVALID_PHOTO', `photos[${i}].itemKey: ${p.itemKey} is not the item of one of this inspection's findings`, { field: `photos[${i}].itemKey`, rule: 'finding_item' });
      }
      const bytes = Buffer.from(p.data, 'base64');
      const problem = photoProblem(p.contentType, p.data, bytes);
      if (problem) throw new DomainError('INVALID_PHOTO', `photos[${i}]: ${problem.message}`, { field: `photos[${i}]`, rule: problem.rule });
      return { contentType: p.contentType, bytes, ...(p.itemKey !== undefined ? { itemKey: p.itemKey } : {}) };
    });
  }

  private async storePhotos(id: string, photos: DecodedPhoto[]): Promise<PhotoFile[]> {
    const stored: PhotoFile[] = [];
    try {
      for (const [i, p] of photos.entries()) {
        const key = `inspections/${id}/${i + 1}.${PHOTO_TYPES[p.contentType]}`;
        await this.files.write(key, p.bytes);
        stored.push({
          key, contentType: p.contentType, bytes: p.bytes.length, sha256: createHash('sha256').update(p.bytes).digest('hex'), ...(p.itemKey !== undefined ? { itemKey: p.itemKey } : {}),
        });
      }
    } catch (error) {
      await this.removePhotos(stored);
      throw error;
    }
    return stored;
  }

  private async removePhotos(stored: PhotoFile[]): Promise<void> {
    await this.files.remove(stored.map((file) => file.key));
  }

  private scope(actor: Actor, qb: { andWhere: (sql: string, params?: Record<string, unknown>) => unknown }, alias: string): void {
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere(`${alias}.region_code LIKE :prefix`, { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere(`${alias}.organization_id = :own`, { own: actor.organizationId });
  }

  private async findReadable(actor: Actor, id: string): Promise<Inspection> {
    const row = isUuid(id) ? await this.inspections.findOneBy({ id }) : null;
    if (row && canRead(actor, row.organizationId, [row.regionCode])) return row;
    throw new DomainError('NOT_FOUND', 'Inspection not found');
  }

  /** Item texts of the checklist versions of these inspections, by inspection id. */
  private async itemTexts(m: EntityManager, inspectionIds: string[]): Promise<Map<string, Map<string, string>>> {
    if (inspectionIds.length === 0) return new Map();
    const rows = await m.query(
      `SELECT i.id, t.items FROM inspections i JOIN inspection_templates t ON t.id = i.template_id WHERE i.id = ANY($1::uuid[])`,
      [[...new Set(inspectionIds)]],
    ) as { id: string; items: { key: string; text: string }[] }[];
    return new Map(rows.map((r) => [r.id, new Map(r.items.map((item) => [item.key, item.text]))]));
  }

  private findingView(f: InspectionFinding, texts: Map<string, string> | undefined, today = chinaDate()): FindingView {
    return {
      id: f.id, inspectionId: f.inspectionId, organizationId: f.organizationId, regionCode: f.regionCode, itemKey: f.itemKey,
      itemText: f.itemKey ? texts?.get(f.itemKey) ?? null : null, description: f.description, severity: f.severity, severityName: FINDING_SEVERITIES[f.severity],
      deadline: f.deadline, status: f.status, overdue: isOverdue(f.deadline, today, f.status === 'closed'),
      closedByInspectionId: f.closedByInspectionId, closedOn: f.closedOn, createdAt: f.createdAt.toISOString(),
    };
  }

  private async view(m: EntityManager, row: Inspection, template?: InspectionTemplate, organizationName?: string | null): Promise<InspectionView> {
    const t = template ?? await m.findOneByOrFail(InspectionTemplate, { id: row.templateId });
    const texts = new Map(t.items.map((i) => [i.key, i.text]));
    const [findings, closed] = await Promise.all([
      m.find(InspectionFinding, { where: { inspectionId: row.id }, order: { deadline: 'ASC', id: 'ASC' } }),
      m.find(InspectionFinding, { where: { closedByInspectionId: row.id }, select: { id: true } }),
    ]);
    const name = organizationName !== undefined ? organizationName : (await this.organizations.summary(row.organizationId))?.name ?? null;
    return {
      id: row.id, organizationId: row.organizationId, organizationName: name, siteId: row.siteId, regionCode: row.regionCode,
      template: { id: t.id, code: t.code, version: t.version, name: t.name }, inspectedOn: row.inspectedOn, inspectors: row.inspectors,
      results: row.itemResults.map((r) => ({ itemKey: r.itemKey, itemText: texts.get(r.itemKey) ?? r.itemKey, result: r.result, resultName: ITEM_RESULTS[r.result], note: r.note })),
      findings: findings.map((f) => this.findingView(f, texts)), closedFindingIds: closed.map((f) => f.id).sort(),
      photos: row.photos.map((p, i) => ({ contentType: p.contentType, bytes: p.bytes, sha256: p.sha256, url: `/api/v1/inspections/${row.id}/photos/${i + 1}`, itemKey: p.itemKey ?? null })),
      note: row.note, reinspectionOf: row.reinspectionOf, createdAt: row.createdAt.toISOString(),
    };
  }
}
