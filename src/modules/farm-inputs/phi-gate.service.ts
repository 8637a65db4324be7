import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, isDomainError } from '../../../libs/errors';
import { auditedQuery } from '../audit';
import { preparedSql } from '../../common/prepared-statements';
import { addDays, cropsOverlap } from './domain/crop-rules';
import { MAX_INTERVAL_DAYS } from './domain/input-row';
import { BannedFinding, checkGate, GateInput, GateResult, harvestAllowedFrom, IntervalFinding } from './domain/phi-gate';
import { FarmInput } from './farm-input.entity';
import { PhiGateRecord } from './phi-gate-record.entity';

/** What the gate judges: a batch (to be) harvested on a site, of a crop. */
export interface GateSubject {
  organizationId: string;
  siteId: string;
  regionCode: string;
  crop: string;
  harvestedOn: string;
}

export const GATE_CODES = ['PHI_NOT_ELAPSED', 'INPUT_BANNED'] as const;

/** A crop of a site seen from a day: from when it may be harvested, and what holds it back. */
export interface HarvestOutlook {
  crop: string;
  /** The first day a harvest passes the gate; null: today (no interval open). */
  firstAllowedDate: string | null;
  /** The interval that ends last (the one setting firstAllowedDate). */
  blocking: IntervalFinding | null;
  /** Banned inputs on the crop: no date lets a harvest pass. */
  banned: BannedFinding[];
  /** Open intervals a regulator's override lets pass. */
  overridden: IntervalFinding[];
  /** Recorded applications on the crop that can still hold a harvest back (inside their interval, or of a banned input). */
  applications: number;
}

interface SiteApplicationRow { id: string; input_id: string; crop_category: string; applied_on: string; overrides: string[] }
interface DecidingRow { id: string; crop: string; appliedOn: string; overrides: string[] }

/**
 * The gate's verdict on a subject: the findings of `checkGate` on the applications that may decide,
 * with how many recorded applications on the crop it found in all and, per input they used, how
 * many and the latest. `applicationIds` names the applications that decide or justify the verdict
 * (those in the findings, and each input's latest), not all of them: `applicationCount` counts
 * those, and `JUDGED_BY` finds them again.
 */
export interface GateVerdict extends GateResult {
  applicationCount: number;
  inputs: { id: string; name: string; applications: number; lastApplicationId: string; lastAppliedOn: string }[];
}

/**
 * SQL: the application (alias `a`) is one a gate record (alias `g`) judged: recorded on its site, on
 * an overlapping crop, in its window up to the harvest date, before the judgement and not voided
 * then. Applications are immutable (a void only sets status and voided_at), so this finds the same
 * rows the gate read, and `g.application_count` says how many (a record written before that column
 * holds them all in `application_ids`, and this finds the same ones).
 */
export const JUDGED_BY = (a: string, g: string): string =>
  `${a}.site_id = ${g}.site_id AND ${a}.applied_on BETWEEN ${g}.harvested_on - ${MAX_INTERVAL_DAYS} AND ${g}.harvested_on`
  + ` AND (${a}.crop_category = ${g}.category_path OR starts_with(${a}.crop_category, ${g}.category_path || '>') OR starts_with(${g}.category_path, ${a}.crop_category || '>'))`
  + ` AND ${a}.created_at <= ${g}.created_at AND (${a}.status = 'recorded' OR ${a}.voided_at > ${g}.created_at)`;
interface InputRow { id: string; name: string; kind: FarmInput['kind']; registration_number: string | null; banned: boolean; crop_rules: FarmInput['cropRules'] }

function gateInputOf(i: InputRow): GateInput {
  return { id: i.id, name: i.name, kind: i.kind, registrationNumber: i.registration_number, banned: i.banned, rules: i.crop_rules };
}

/** The gate on rows read from the database: an override for a category covers that category's batches and the foods under it. */
function judge(crop: string, harvestedOn: string, concerned: readonly SiteApplicationRow[], inputs: ReadonlyMap<string, GateInput>): GateResult {
  const covers = (category: string) => crop === category || crop.startsWith(`${category}>`);
  const overridden = new Set(concerned.filter((a) => a.overrides.some(covers)).map((a) => a.id));
  return checkGate(
    { crop, harvestedOn },
    concerned.map((a) => ({ id: a.id, inputId: a.input_id, crop: a.crop_category, appliedOn: a.applied_on })),
    inputs, overridden,
  );
}

/** The refusal for a gate result: a banned input first (no override lets it pass), then the latest open interval. */
function refusal(result: GateVerdict): DomainError {
  if (result.banned.length) {
    const first = result.banned[0];
    return new DomainError('INPUT_BANNED', `${first.input.name} is a banned input (禁用) and was applied on this crop on ${first.appliedOn}`, {
      field: 'siteId', rule: 'no_banned_inputs', application: { id: first.applicationId, appliedOn: first.appliedOn }, input: first.input,
      banned: result.banned, applicationCount: result.applicationCount,
    });
  }
  const open = result.intervals.filter((f) => !f.overridden);
  const first = open[0];
  return new DomainError('PHI_NOT_ELAPSED',
    `Harvest is allowed from ${first.firstAllowedDate}: ${first.input.name} was applied on ${first.appliedOn} with a ${first.intervalDays}-day interval (安全间隔期/休药期)`, {
      field: 'harvestedOn', rule: 'phi_elapsed',
      application: { id: first.applicationId, appliedOn: first.appliedOn },
      input: first.input, intervalDays: first.intervalDays, intervalCategory: first.intervalCategory, firstAllowedDate: first.firstAllowedDate,
      applications: open, applicationCount: result.applicationCount,
    });
}

/** The applications a refusal names (its details: `application`, `applications`, `banned`). */
function refusedApplicationIds(details: Record<string, unknown> | undefined): string[] {
  const listed = [...((details?.applications ?? []) as { applicationId: string }[]), ...((details?.banned ?? []) as { applicationId: string }[])];
  return [...new Set(listed.map((a) => a.applicationId))];
}

/**
 * The safe-interval gate on a site's records: batch creation calls `check` in its transaction
 * (refused → the batch is not written), certificate issue calls it again, and refusals are kept
 * (`recordRefusal`, outside the rolled-back transaction) for regulators and `phi_violations`.
 */
@Injectable()
export class PhiGateService {
  private readonly logger = new Logger(PhiGateService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The gate's findings for a subject, without judging, in one round trip. PostgreSQL does the
   * per-row work: it finds the site's recorded applications on an overlapping crop up to the harvest
   * date, counts them per input, and sends back one row per input used with only the applications
   * that may decide (`mayDecide`: a banned input's, or one inside the input's longest interval on the
   * crop), each with its overrides. A crop sprayed 1,000 times in the season sends one row.
   */
  async evaluate(manager: EntityManager, subject: GateSubject): Promise<GateVerdict> {
    // Prepared: planning this statement cost PostgreSQL 30× its execution (issue 21).
    const rows = await manager.query(preparedSql(
      `WITH concerned AS MATERIALIZED (
         SELECT a.id, a.input_id, a.crop_category, a.applied_on FROM input_applications a
         WHERE a.site_id = $1 AND a.applied_on BETWEEN $2 AND $3 AND a.status = 'recorded'
           AND (a.crop_category = $4 OR starts_with(a.crop_category, $4 || '>') OR starts_with($4, a.crop_category || '>'))
       ), used AS (
         SELECT i.id, i.name, i.kind, i.registration_number, i.banned, i.crop_rules, u.n,
           (SELECT COALESCE(max((r->>'intervalDays')::int), 0) FROM jsonb_array_elements(i.crop_rules) r
             WHERE r->>'category' = $4 OR starts_with($4, (r->>'category') || '>')) AS longest
         FROM (SELECT input_id, count(*)::int AS n FROM concerned GROUP BY input_id) u JOIN farm_inputs i ON i.id = u.input_id
       )
       SELECT u.id, u.name, u.kind, u.registration_number, u.banned, u.crop_rules, u.n,
         (SELECT json_build_object('id', c.id, 'appliedOn', c.applied_on) FROM concerned c WHERE c.input_id = u.id
           ORDER BY c.applied_on DESC, c.id DESC LIMIT 1) AS last,
         (SELECT json_agg(json_build_object('id', c.id, 'crop', c.crop_category, 'appliedOn', c.applied_on,
             'overrides', ARRAY(SELECT o.category_path FROM phi_overrides o WHERE o.application_id = c.id)) ORDER BY c.applied_on, c.id)
           FROM concerned c WHERE c.input_id = u.id AND (u.banned OR c.applied_on > $3::date - u.longest)) AS deciding
       FROM used u ORDER BY u.id`),
      [subject.siteId, addDays(subject.harvestedOn, -MAX_INTERVAL_DAYS), subject.harvestedOn, subject.crop],
    ) as (InputRow & { n: number; last: { id: string; appliedOn: string }; deciding: DecidingRow[] | null })[];
    const inputs = new Map(rows.map((r): [string, GateInput] => [r.id, gateInputOf(r)]));
    const deciding = rows.flatMap((r) => (r.deciding ?? []).map((a): SiteApplicationRow => ({
      id: a.id, input_id: r.id, crop_category: a.crop, applied_on: a.appliedOn, overrides: a.overrides,
    })));
    const result = judge(subject.crop, subject.harvestedOn, deciding.filter((a) => cropsOverlap(a.crop_category, subject.crop)), inputs);
    return {
      ...result,
      applicationIds: [...new Set([...result.applicationIds, ...rows.map((r) => r.last.id)])],
      applicationCount: rows.reduce((n, r) => n + r.n, 0),
      inputs: rows.map((r) => ({ id: r.id, name: r.name, applications: r.n, lastApplicationId: r.last.id, lastAppliedOn: r.last.appliedOn })),
    };
  }

  /**
   * When each crop of a site may be harvested, seen from `today` (the console's 农事 page): the
   * site's recorded applications of the last MAX_INTERVAL_DAYS read once, then the gate judged per
   * crop as a batch harvested today would be. `firstAllowedDate` null: harvest is allowed today
   * (unless a banned input was used, which no date lets pass).
   */
  async harvestOutlook(siteId: string, crops: readonly string[], today: string): Promise<HarvestOutlook[]> {
    const manager = this.dataSource.manager;
    // Only applications that can still hold a harvest back: a banned input's (any date in the window),
    // or one applied within its input's longest interval (applied + interval > today). The others
    // cannot open an interval today, so the outlook is the same without them.
    const applications = await manager.query(
      `SELECT a.id, a.input_id, a.crop_category, to_char(a.applied_on, 'YYYY-MM-DD') AS applied_on,
         ARRAY(SELECT o.category_path FROM phi_overrides o WHERE o.application_id = a.id) AS overrides
       FROM input_applications a JOIN farm_inputs i ON i.id = a.input_id
       WHERE a.site_id = $1 AND a.applied_on BETWEEN $2 AND $3 AND a.status = 'recorded'
         AND (i.banned OR a.applied_on > $3::date - COALESCE((SELECT max((r->>'intervalDays')::int) FROM jsonb_array_elements(i.crop_rules) r), 0))`,
      [siteId, addDays(today, -MAX_INTERVAL_DAYS), today],
    ) as SiteApplicationRow[];
    const inputs = applications.length ? await this.gateInputs(manager, applications) : new Map<string, GateInput>();
    return [...new Set(crops)].map((crop) => {
      const concerned = applications.filter((a) => cropsOverlap(a.crop_category, crop));
      const result = judge(crop, today, concerned, inputs);
      const blocking = result.intervals.find((f) => !f.overridden) ?? null;
      return {
        crop, firstAllowedDate: harvestAllowedFrom(result), blocking, banned: result.banned,
        overridden: result.intervals.filter((f) => f.overridden), applications: concerned.length,
      };
    });
  }

  /** The few inputs some applications used, as the gate reads them. */
  private async gateInputs(manager: EntityManager, applications: readonly SiteApplicationRow[]): Promise<Map<string, GateInput>> {
    const inputs = await manager.query(
      'SELECT id, name, kind, registration_number, banned, crop_rules FROM farm_inputs WHERE id = ANY($1::uuid[])',
      [[...new Set(applications.map((a) => a.input_id))]],
    ) as InputRow[];
    return new Map(inputs.map((i): [string, GateInput] => [i.id, gateInputOf(i)]));
  }

  /**
   * Judges a batch in the caller's transaction: refused → DomainError (PHI_NOT_ELAPSED or
   * INPUT_BANNED, with the application, input, interval and first allowed date). With a batch id
   * and applications on its crop, the outcome (passed or overridden, how many applications it found
   * and those that decided) is recorded with the batch (input_record_coverage counts it).
   */
  async check(manager: EntityManager, subject: GateSubject, batchId: string | null): Promise<GateVerdict> {
    const result = await this.evaluate(manager, subject);
    if (result.refused) throw refusal(result);
    // Only a batch the records concern gets a record: most batches need no extra write.
    if (batchId && result.applicationCount > 0) {
      // One statement, audited from the row it returns (RETURNING *: the audit entry needs no read-back).
      // What an auditor needs, whatever the number of records: how many the gate found, per input how
      // many and the latest, the intervals it judged (overridden ones), and the ids of those
      // applications; JUDGED_BY lists all of them again. created_at is taken after the read, so every
      // application the read saw was recorded before it.
      await auditedQuery(manager,
        `INSERT INTO phi_gate_records (outcome, batch_id, organization_id, site_id, region_code, category_path, harvested_on, application_ids, application_count, findings, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9, $10::jsonb, clock_timestamp()) RETURNING *`,
        [result.overridden ? 'overridden' : 'passed', batchId, subject.organizationId, subject.siteId, subject.regionCode, subject.crop, subject.harvestedOn,
          result.applicationIds, result.applicationCount,
          JSON.stringify({ inputs: result.inputs, ...(result.intervals.length ? { intervals: result.intervals } : {}) })],
        { target: PhiGateRecord, verb: 'insert' });
    }
    return result;
  }

  /** Keeps a refused batch (the error of `check`) for regulators and the indicators; other errors are ignored. */
  async recordRefusal(error: unknown, subject: GateSubject): Promise<void> {
    if (!isDomainError(error) || !(GATE_CODES as readonly string[]).includes(error.code)) return;
    try {
      await this.dataSource.manager.save(this.dataSource.manager.create(PhiGateRecord, {
        outcome: 'refused', batchId: null, ...this.columns(subject),
        applicationIds: refusedApplicationIds(error.details), applicationCount: Number(error.details?.applicationCount ?? 0),
        findings: { code: error.code, ...(error.details ?? {}) },
      }));
    } catch (failure) {
      this.logger.error({ err: failure }, 'could not record a gate refusal');
    }
  }

  /**
   * The active ingredients (analytes of the limits catalogue) of the pesticides and veterinary drugs
   * the records concerning a subject used: what a certificate's tests must cover (用什么药、检什么药)
   * and what a sample's panel should hold. `verdict`: the gate's, when the caller has it.
   */
  async analytesUsed(manager: EntityManager, subject: GateSubject, verdict?: GateVerdict): Promise<string[]> {
    const ids = (verdict ?? await this.evaluate(manager, subject)).inputs.map((i) => i.id);
    if (ids.length === 0) return [];
    const rows = await manager.query(
      `SELECT DISTINCT ingredient->>'analyte' AS analyte FROM farm_inputs i
       CROSS JOIN LATERAL jsonb_array_elements(i.active_ingredients) ingredient
       WHERE i.id = ANY($1::uuid[]) AND i.kind IN ('pesticide', 'veterinary_drug') ORDER BY 1`, [ids],
    ) as { analyte: string }[];
    return rows.map((r) => r.analyte);
  }

  /** Harvests inside a safe interval (refused by the gate, or passed by a regulator's override) per organisation of a region, harvested in [from, to]. */
  async violationsByOrganization(regionPrefix: string, from: string, to: string): Promise<{ organizationId: string; n: number }[]> {
    return this.dataSource.query(
      `SELECT organization_id AS "organizationId", count(*)::int AS n FROM phi_gate_records
       WHERE outcome IN ('refused', 'overridden') AND region_code LIKE $1 AND harvested_on BETWEEN $2 AND $3 GROUP BY organization_id`,
      [`${regionPrefix}%`, from, to],
    ) as Promise<{ organizationId: string; n: number }[]>;
  }

  /** The gate records of a batch, newest first. */
  async recordsOf(batchId: string): Promise<PhiGateRecord[]> {
    return this.dataSource.manager.find(PhiGateRecord, { where: { batchId }, order: { createdAt: 'DESC' } });
  }

  private columns(subject: GateSubject) {
    return {
      organizationId: subject.organizationId, siteId: subject.siteId, regionCode: subject.regionCode,
      categoryPath: subject.crop, harvestedOn: subject.harvestedOn,
    };
  }
}
