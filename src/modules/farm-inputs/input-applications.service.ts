import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { epcisDocument } from '../../../libs/epcis';
import { DomainError } from '../../../libs/errors';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { isUuid } from '../../common/ids';
import { Page, pageRows, toPage } from '../../common/pagination';
import { isUniqueViolation } from '../../common/db-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, canRead, canWriteAs, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { CategoriesService } from '../categories';
import { findRegion } from '../regions/domain';
import { SitesService } from '../sites';
import { applicationEvent } from './domain/application-events';
import { ruleFor } from './domain/crop-rules';
import { doseExcess, parseArea, parseDose, parseMaxDose } from './domain/dose';
import { parseEarTag } from './domain/ear-tag';
import { INPUT_KIND_NAMES, InputKind } from './domain/input-kinds';
import { assertLabelMatches, parseLabelCode } from './domain/label-code';
import { isSeedUnitCode } from './domain/seed-label';
import { CreateInputApplicationDto } from './dto/input-application.dto';
import { FarmInput } from './farm-input.entity';
import { FarmInputsService } from './farm-inputs.service';
import { ApplicationStatus, ApplicationWarning, InputApplication } from './input-application.entity';
import { PhiGateRecord } from './phi-gate-record.entity';
import { JUDGED_BY, PhiGateService } from './phi-gate.service';
import { PhiOverride } from './phi-override.entity';
import type { FarmRecordFacts } from './domain/farm-record-facts';

export interface InputApplicationView {
  id: string;
  organizationId: string;
  siteId: string;
  regionCode: string;
  input: { id: string; name: string; kind: InputKind; kindName: string; registrationNumber: string | null };
  crop: string;
  animalGroup: string | null;
  earTags: string[];
  appliedAt: string;
  appliedOn: string;
  dose: { value: string; unit: string };
  area: { value: string; unit: string };
  target: string;
  operator: string;
  labelCode: string | null;
  /** A seed sown from a bag: the bag's 单元识别代码 (seed bag QR). */
  seedUnitCode: string | null;
  flags: { lowRisk: boolean; organic: boolean };
  warnings: ApplicationWarning[];
  status: ApplicationStatus;
  voidReason: string | null;
  voidedAt: string | null;
  replacesId: string | null;
  retainUntil: string;
  createdAt: string;
}

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

const isCounty = (code: string) => findRegion(code)?.level === 'county';

/** A regulator's override of an application's interval: who (the regulator organisation), when and why. */
export interface OverrideView {
  id: string;
  applicationId: string;
  crop: string;
  reason: string;
  regulatorOrganizationId: string;
  createdAt: string;
}

/** A gate judgement of a batch (passed, or passed by an override), when it was made. */
export interface GateJudgementView {
  outcome: 'passed' | 'refused' | 'overridden';
  harvestedOn: string;
  crop: string;
  at: string;
}

/** What stands behind a batch in the farm records: every application its gate found (voided ones too), the judgements, the overrides. */
export interface BatchFarmRecord {
  applications: InputApplicationView[];
  judgements: GateJudgementView[];
  overrides: OverrideView[];
}

/**
 * Farm records (农事记录 / 农药使用记录): one row per use of an input on a site's crop or animals.
 * Immutable: a wrong record is voided with a reason and entered again (`replacesId`); kept at least
 * INPUT_RECORD_RETENTION_MONTHS (24) after the application.
 */
@Injectable()
export class InputApplicationsService {
  constructor(
    @InjectRepository(InputApplication) private readonly applications: Repository<InputApplication>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inputs: FarmInputsService,
    private readonly sites: SitesService,
    private readonly categories: CategoriesService,
    private readonly gate: PhiGateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Whether an actor may read a batch. The batches feature builds on this one (its gate runs on
   * batch creation), so it hands its check in at start (BatchesModule); until then no batch is readable.
   */
  private batchReadable: (actor: Actor, batchId: string) => Promise<boolean> = () => Promise.resolve(false);

  useBatchReadCheck(check: (actor: Actor, batchId: string) => Promise<boolean>): void {
    this.batchReadable = check;
  }

  /**
   * `seasonOnRecord`: the demo seed's fixed past season, entered whenever the demo first runs, is not
   * held to the "not before the site was registered" window (nothing else passes it).
   */
  async create(actor: Actor, dto: CreateInputApplicationDto, options: { seasonOnRecord?: boolean } = {}): Promise<InputApplicationView> {
    const organizationId = requireOwnOrganization(actor);
    const site = await this.sites.findReadable(actor, dto.siteId);
    if (site.organizationId !== organizationId) throw new DomainError('NOT_FOUND', 'Site not found', { field: 'siteId' });
    const { input, labelCode } = await this.resolveInput(dto);
    const seedUnitCode = seedUnitCodeOf(dto.seedUnitCode, input);
    const crop = (await this.categories.requireCategory(dto.crop, 'crop')).path;
    const earTags = (dto.earTags ?? []).map((tag, i) => parseEarTag(tag, isCounty, `earTags[${i}]`).tag);
    const appliedAt = this.checkAppliedAt(dto.appliedAt, options.seasonOnRecord ? new Date(0) : site.createdAt);
    const dose = parseDose(dto.dose, 'dose');
    const area = parseArea(dto.area, 'area');
    const replaces = dto.replacesId ? await this.replaced(organizationId, dto.replacesId) : null;

    const rule = ruleFor(input.cropRules, crop);
    const warnings: ApplicationWarning[] = [];
    if (rule?.maxDose) {
      const excess = doseExcess(dose, area, parseMaxDose(rule.maxDose));
      if (excess) {
        warnings.push({ rule: 'max_dose', category: rule.category, ...excess, message: `施用量 ${excess.applied} 超过标签最大用量 ${excess.limit}` });
      }
    }
    const saved = await this.applications.save(this.applications.create({
      organizationId, siteId: site.id, regionCode: site.regionCode, inputId: input.id, inputKind: input.kind, cropCategory: crop,
      animalGroup: dto.animalGroup?.trim() || null, earTags, appliedAt, appliedOn: chinaDate(appliedAt),
      doseValue: dose.value, doseUnit: dose.unit, areaValue: area.value, areaUnit: area.unit,
      target: dto.target.trim(), operatorName: dto.operator.trim(), labelCode, seedUnitCode,
      lowRisk: input.lowRisk, organic: input.organic, warnings, status: 'recorded', replacesId: replaces?.id ?? null,
    }));
    return this.toView(saved, input);
  }

  async get(actor: Actor, id: string): Promise<InputApplicationView> {
    const row = await this.findReadable(actor, id);
    const inputs = await this.inputs.byIds([row.inputId]);
    return this.toView(row, inputs.get(row.inputId)!);
  }

  async list(actor: Actor, query: { siteId?: string; batchId?: string; limit?: number; cursor?: string }): Promise<Page<InputApplicationView> & { gate?: unknown[] }> {
    const limit = query.limit ?? 50;
    const qb = this.applications.createQueryBuilder('a');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('a.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('a.organization_id = :org', { org: actor.organizationId });
    if (query.siteId) qb.andWhere('a.site_id = :site', { site: query.siteId });
    let gate: PhiGateRecord[] | undefined;
    if (query.batchId) {
      gate = (await this.gate.recordsOf(query.batchId)).filter((r) => canRead(actor, r.organizationId, [r.regionCode]));
      // Most batches have no gate record (only a batch the records concern gets one): an empty list, not a 404.
      if (gate.length === 0) {
        if (!await this.batchReadable(actor, query.batchId)) throw new DomainError('NOT_FOUND', 'Batch not found', { field: 'batchId' });
        return { items: [], nextCursor: null, gate: [] };
      }
      qb.andWhere(`EXISTS (SELECT 1 FROM phi_gate_records g WHERE g.id = ANY(:gateIds) AND ${JUDGED_BY('a', 'g')})`, { gateIds: gate.map((r) => r.id) });
    }
    const rows = await pageRows(qb, 'a', limit, query.cursor);
    const inputs = await this.inputs.byIds(rows.map((r) => r.inputId));
    const page = toPage(rows, limit, (r) => this.toView(r, inputs.get(r.inputId)!));
    return gate ? { ...page, gate: gate.map((r) => ({ outcome: r.outcome, harvestedOn: r.harvestedOn, crop: r.categoryPath, findings: r.findings, at: r.createdAt.toISOString() })) } : page;
  }

  /**
   * Everything the farm records hold behind a batch, for its regulator's page: the applications
   * its gate judgements found (newest first, voided ones with their reason), those judgements, and
   * the regulators' overrides of those applications for the batch's crop (or a category above it).
   * The caller has checked that the actor may read the batch; the rows are filtered again by it.
   */
  async batchRecord(actor: Actor, batchId: string): Promise<BatchFarmRecord> {
    const gate = (await this.gate.recordsOf(batchId)).filter((r) => canRead(actor, r.organizationId, [r.regionCode]));
    if (!gate.some((r) => r.applicationCount > 0)) return { applications: [], judgements: gate.map(judgementView), overrides: [] };
    const rows = await this.judged(gate).orderBy('a.applied_at', 'DESC').addOrderBy('a.id', 'DESC').getMany();
    const ids = rows.map((r) => r.id);
    const crops = new Set(gate.map((r) => r.categoryPath));
    const covers = (category: string) => [...crops].some((crop) => crop === category || crop.startsWith(`${category}>`));
    const overrides = (await this.dataSource.manager.find(PhiOverride, { where: { applicationId: In(ids) }, order: { createdAt: 'ASC' } }))
      .filter((o) => covers(o.categoryPath));
    const inputs = await this.inputs.byIds(rows.map((r) => r.inputId));
    return {
      applications: rows.map((r) => this.toView(r, inputs.get(r.inputId)!)),
      judgements: gate.map(judgementView),
      overrides: overrides.map((o) => ({
        id: o.id, applicationId: o.applicationId, crop: o.categoryPath, reason: o.reason, regulatorOrganizationId: o.regulatorOrganizationId,
        createdAt: o.createdAt.toISOString(),
      })),
    };
  }

  /**
   * What the consumer page shows of a batch's farm records (the applications its gate found):
   * inputs by common name and kind, how often and when last, and whether the intervals were kept.
   * No ids, no operators, no doses.
   */
  async publicFacts(batchId: string): Promise<FarmRecordFacts | null> {
    const [record] = await this.gate.recordsOf(batchId);
    if (!record || record.applicationCount === 0) return null;
    // Counted per input in the database: a crop sprayed all season is one row per input, not one per spray.
    const rows = await this.judged([record]).andWhere("a.status = 'recorded'")
      .select('a.input_id', 'inputId').addSelect('count(*)::int', 'applications').addSelect("to_char(max(a.applied_on), 'YYYY-MM-DD')", 'lastAppliedOn')
      .addSelect('bool_or(a.low_risk)', 'lowRisk').addSelect('bool_or(a.organic)', 'organic')
      .groupBy('a.input_id').getRawMany<{ inputId: string; applications: number; lastAppliedOn: string; lowRisk: boolean; organic: boolean }>();
    if (rows.length === 0) return null;
    const inputs = await this.inputs.byIds(rows.map((r) => r.inputId));
    const list = rows.map((r): FarmRecordFacts['inputs'][number] => {
      const input = inputs.get(r.inputId)!;
      return { name: input.name, kind: INPUT_KIND_NAMES[input.kind], applications: r.applications, lastAppliedOn: r.lastAppliedOn, lowRisk: r.lowRisk, organic: r.organic };
    }).sort((a, b) => (a.lastAppliedOn < b.lastAppliedOn ? 1 : a.lastAppliedOn > b.lastAppliedOn ? -1 : a.name.localeCompare(b.name)));
    return { inputs: list, lastAppliedOn: list[0].lastAppliedOn, harvestedOn: record.harvestedOn, interval: record.outcome === 'overridden' ? 'overridden' : 'satisfied' };
  }

  /** The same list as an EPCIS 2.0 document of ObjectEvents (one per application). */
  async epcis(actor: Actor, query: { siteId?: string; limit?: number; cursor?: string }): Promise<{ document: Record<string, unknown>; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const qb = this.applications.createQueryBuilder('a');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('a.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('a.organization_id = :org', { org: actor.organizationId });
    if (query.siteId) qb.andWhere('a.site_id = :site', { site: query.siteId });
    const rows = await pageRows(qb, 'a', limit, query.cursor);
    const inputs = await this.inputs.byIds(rows.map((r) => r.inputId));
    const base = this.config.publicBaseUrl;
    const page = toPage(rows, limit, (a) => {
      const input = inputs.get(a.inputId)!;
      return applicationEvent(base, {
        id: a.id, siteId: a.siteId, crop: a.cropCategory, earTags: a.earTags, appliedAt: a.appliedAt,
        input: { name: input.name, kind: input.kind, registrationNumber: input.registrationNumber, activeIngredients: input.activeIngredients.map((i) => i.analyte) },
        dose: { value: formatNumeric(a.doseValue), unit: a.doseUnit }, area: { value: formatNumeric(a.areaValue), unit: a.areaUnit },
        target: a.target, labelCode: a.labelCode, seedUnitCode: a.seedUnitCode, voided: a.voidedAt ? { at: a.voidedAt, reason: a.voidReason ?? '' } : null,
      });
    });
    return { document: epcisDocument(page.items, { tianfu: `${base}/ns/epcis/` }), nextCursor: page.nextCursor };
  }

  /** Voids a recorded application with a reason (its organisation's org_admin or operator); twice → 409. */
  async void(actor: Actor, id: string, reason: string): Promise<InputApplicationView> {
    const row = await this.findReadable(actor, id);
    if (!canWriteAs(actor, row.organizationId)) throw new DomainError('FORBIDDEN', "Only the organisation's org_admin or operator can void its records");
    if (row.status === 'voided') throw new DomainError('APPLICATION_VOIDED', 'This record is already voided', { rule: 'void_once' });
    row.status = 'voided';
    row.voidReason = reason.trim();
    row.voidedAt = new Date();
    await this.applications.save(row);
    return this.get(actor, id);
  }

  /** Deletion: refused within the retention period; afterwards the organisation's org_admin may delete. */
  async delete(actor: Actor, id: string): Promise<void> {
    const row = await this.findReadable(actor, id);
    if (actor.role !== 'org_admin' || actor.organizationId !== row.organizationId) {
      throw new DomainError('FORBIDDEN', "Only the organisation's org_admin can delete its records");
    }
    const until = addMonths(row.appliedOn, this.config.inputRecordRetentionMonths);
    if (chinaDate() < until) {
      throw new DomainError('RECORD_RETAINED', `Farm records are kept until ${until}; this one cannot be deleted before`, { rule: 'retention', retainUntil: until });
    }
    await this.applications.remove(row);
  }

  /** A regulator of the application's region lets its interval pass for a crop, with a reason (audited). */
  async override(actor: Actor, id: string, dto: { crop: string; reason: string }): Promise<{ id: string; applicationId: string; crop: string; reason: string; createdAt: string }> {
    const row = await this.findReadable(actor, id);
    const prefix = regulatorPrefix(actor);
    if (!prefix || !actor.organizationId) throw new DomainError('FORBIDDEN', 'Only a regulator of the region can override an interval');
    const crop = (await this.categories.requireCategory(dto.crop, 'crop')).path;
    try {
      const saved = await this.dataSource.manager.save(this.dataSource.manager.create(PhiOverride, {
        applicationId: row.id, categoryPath: crop, reason: dto.reason.trim(), regulatorOrganizationId: actor.organizationId, regionCode: row.regionCode,
      }));
      return { id: saved.id, applicationId: row.id, crop, reason: saved.reason, createdAt: saved.createdAt.toISOString() };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', 'This application already has an override for that crop', { field: 'crop', rule: 'unique' });
      throw error;
    }
  }

  /** The applications some gate records judged (a record counts them and names a few: JUDGED_BY finds them all). */
  private judged(records: readonly PhiGateRecord[]) {
    return this.applications.createQueryBuilder('a')
      .where(`EXISTS (SELECT 1 FROM phi_gate_records g WHERE g.id = ANY(:gateIds) AND ${JUDGED_BY('a', 'g')})`, { gateIds: records.map((r) => r.id) });
  }

  async findReadable(actor: Actor, id: string): Promise<InputApplication> {
    const row = isUuid(id) ? await this.applications.findOneBy({ id }) : null;
    if (row && canRead(actor, row.organizationId, [row.regionCode])) return row;
    throw new DomainError('NOT_FOUND', 'Input application not found');
  }

  /** The catalogue input: by id, or by a scanned label code (digits 2–7 = the registration number's last six). */
  private async resolveInput(dto: CreateInputApplicationDto): Promise<{ input: FarmInput; labelCode: string | null }> {
    const label = dto.labelCode !== undefined ? parseLabelCode(dto.labelCode) : null;
    if (dto.inputId) {
      const input = await this.inputs.get(dto.inputId, 'inputId');
      if (label) assertLabelMatches(label, input.registrationNumber);
      return { input, labelCode: label?.code ?? null };
    }
    if (!label) throw new DomainError('VALIDATION_FAILED', 'inputId or labelCode is required', { field: 'inputId', rule: 'required' });
    const candidates = await this.inputs.byLabelDigits(label.registrationDigits);
    if (candidates.length !== 1) {
      throw new DomainError('NOT_FOUND', candidates.length === 0
        ? `No pesticide in the catalogue has a registration number ending in ${label.registrationDigits}`
        : `Several pesticides have registration numbers ending in ${label.registrationDigits}: choose inputId`, { field: 'labelCode', rule: 'known_input' });
    }
    return { input: candidates[0], labelCode: label.code };
  }

  private checkAppliedAt(value: string, siteCreatedAt: Date): Date {
    const at = new Date(value);
    if (at.getTime() > Date.now() + 5 * 60_000) throw new DomainError('VALIDATION_FAILED', 'appliedAt cannot be in the future', { field: 'appliedAt', rule: 'not_future' });
    const earliest = siteCreatedAt.getTime() - this.config.inputRecordBackfillDays * 86_400_000;
    if (at.getTime() < earliest) {
      throw new DomainError('VALIDATION_FAILED', `appliedAt is before the site existed on the platform (at most ${this.config.inputRecordBackfillDays} days before it was registered)`, {
        field: 'appliedAt', rule: 'after_site_created',
      });
    }
    return at;
  }

  private async replaced(organizationId: string, id: string): Promise<InputApplication> {
    const row = isUuid(id) ? await this.applications.findOneBy({ id, organizationId }) : null;
    if (!row) throw new DomainError('NOT_FOUND', 'The record to replace was not found', { field: 'replacesId' });
    if (row.status !== 'voided') throw new DomainError('APPLICATION_IMMUTABLE', 'Void the wrong record first, then enter it again', { field: 'replacesId', rule: 'voided_first' });
    return row;
  }

  toView(a: InputApplication, input: FarmInput): InputApplicationView {
    return {
      id: a.id, organizationId: a.organizationId, siteId: a.siteId, regionCode: a.regionCode,
      input: { id: input.id, name: input.name, kind: input.kind, kindName: INPUT_KIND_NAMES[input.kind], registrationNumber: input.registrationNumber },
      crop: a.cropCategory, animalGroup: a.animalGroup, earTags: a.earTags, appliedAt: a.appliedAt.toISOString(), appliedOn: a.appliedOn,
      dose: { value: formatNumeric(a.doseValue), unit: a.doseUnit }, area: { value: formatNumeric(a.areaValue), unit: a.areaUnit },
      target: a.target, operator: a.operatorName, labelCode: a.labelCode, seedUnitCode: a.seedUnitCode, flags: { lowRisk: a.lowRisk, organic: a.organic },
      warnings: a.warnings, status: a.status, voidReason: a.voidReason, voidedAt: a.voidedAt?.toISOString() ?? null, replacesId: a.replacesId,
      retainUntil: addMonths(a.appliedOn, this.config.inputRecordRetentionMonths), createdAt: a.createdAt.toISOString(),
    };
  }
}

/** The seed bag's unit code, when given: only on a seed, in the bag QR's form (1 to 20 digits or Latin letters). */
function seedUnitCodeOf(value: string | undefined, input: FarmInput): string | null {
  if (value === undefined || value.trim() === '') return null;
  const code = value.trim();
  if (input.kind !== 'seed') {
    throw new DomainError('VALIDATION_FAILED', 'seedUnitCode is the unit code of a seed bag: the input is not a seed', { field: 'seedUnitCode', rule: 'seed_only' });
  }
  if (!isSeedUnitCode(code)) {
    throw new DomainError('VALIDATION_FAILED', 'seedUnitCode (单元识别代码) must be 1 to 20 digits or Latin letters', { field: 'seedUnitCode', rule: 'unit_code' });
  }
  return code;
}

function judgementView(r: PhiGateRecord): GateJudgementView {
  return { outcome: r.outcome, harvestedOn: r.harvestedOn, crop: r.categoryPath, at: r.createdAt.toISOString() };
}

function formatNumeric(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}
