import { ReadReplica } from '../../common/read-replica';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { BatchesService } from '../batches';
import { CategoriesService } from '../categories';
import { GiService } from '../gi';
import { type MarkScheme, SCHEME_DEFINITIONS } from '../marks/domain';
import { OrganizationsService } from '../organizations';
import { findRegion, regionPrefix, requireRegion } from '../regions/domain';
import { formatMicros } from './domain/fixed';
import { INDICATORS } from './domain/indicator-definitions';
import { buckets, fetchStart, Figure, figures, MonthRow, segmentEnds } from './domain/indicator-figures';
import { IndicatorSpec, parseIndicatorQuery, RawIndicatorQuery } from './domain/indicator-query';
import { monthRowsQuery } from './domain/indicator-sql';
import { IndicatorQuery, IndicatorResult, IndicatorRow } from './domain/indicator-types';
import { isoFirstDay, lastDayOf } from './domain/months';
import { thisMonthInChina } from '../../common/dates';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConsumerReportsService } from '../consumer-reports';
import { SamplesService } from '../sampling';
import { COMPUTED_INDICATORS, ComputedFigure, computedFigures, ComputedQuery, ComputedRecord, isComputed } from './domain/computed-figures';
import { RegionPopulation } from './population.entity';

/** The organisation GI records (and marks whose holder is not on the platform) are counted under. */
const OUTSIDE_PLATFORM = '00000000-0000-0000-0000-000000000000';

interface Names {
  organizations: Map<string, { name: string; regionCode: string }>;
  gis: Map<string, string>;
}

/**
 * The plan's indicators for a region, category, organisation and window, from the maintained
 * aggregates. Scoping: a regulator reads its jurisdiction (anything outside answers 404, like every
 * other read); an organisation reads only its own figures; the platform admin reads everything.
 */
@Injectable()
export class IndicatorsService {
  constructor(
    private readonly reads: ReadReplica,
    private readonly categories: CategoriesService,
    private readonly organizations: OrganizationsService,
    private readonly batches: BatchesService,
    private readonly gi: GiService,
    private readonly samples: SamplesService,
    private readonly consumerReports: ConsumerReportsService,
    @InjectRepository(RegionPopulation) private readonly populations: Repository<RegionPopulation>,
  ) {}

  /** The population table (data, with source and verified flag per row). */
  async populationTable(): Promise<RegionPopulation[]> {
    return this.populations.find({ order: { regionCode: 'ASC' } });
  }

  /** For callers inside the app (the dashboard). */
  query(actor: Actor, q: IndicatorQuery): Promise<IndicatorResult> {
    return this.queryRaw(actor, {
      indicator: q.indicators.join(','), region: q.region, category: q.category, organization: q.organizationId,
      from: q.from, to: q.to, groupBy: q.groupBy.join(','),
    });
  }

  async queryRaw(actor: Actor, raw: RawIndicatorQuery): Promise<IndicatorResult> {
    const spec = await this.scoped(actor, parseIndicatorQuery(raw, thisMonthInChina()));
    const aggregated = { ...spec, indicators: spec.indicators.filter((k) => !isComputed(k)) };
    let found: ComputedFigure[] = [];
    if (aggregated.indicators.length) {
      const { sql, params } = monthRowsQuery(aggregated, fetchStart(aggregated), segmentEnds(aggregated));
      // Reporting reads may be a little stale: the replica answers when there is one (bounded lag).
      const rows = await this.reads.query<MonthRow[]>(sql, params);
      // Records no platform organisation holds (GI registrations) count in their region's figures but are no organisation's row.
      found = figures(aggregated, spec.split === 'organization' ? rows.filter((r) => r.key !== OUTSIDE_PLATFORM) : rows);
    }
    found.push(...await this.computed(spec));
    const names = await this.names(found);
    return {
      window: { from: isoFirstDay(spec.from), to: lastDayOf(spec.to) },
      scope: {
        region: spec.region ? { code: spec.region.code, name: spec.region.fullName } : null,
        category: spec.category || null,
        organizationId: spec.organizationId,
      },
      groupBy: [...(spec.period ? [spec.period] : []), ...(spec.split ? [spec.split] : [])],
      rows: sortRows(found.map((f) => this.row(spec, f, names))),
    };
  }

  /** The indicators computed from their records at query time (medians, populations): computed-figures.ts. */
  private async computed(spec: IndicatorSpec): Promise<ComputedFigure[]> {
    const wanted = COMPUTED_INDICATORS.filter((k) => spec.indicators.includes(k));
    if (wanted.length === 0 || spec.split === 'gi') return [];
    const periods = buckets(spec);
    const q: ComputedQuery = {
      from: isoFirstDay(periods[0].first), to: lastDayOf(periods[periods.length - 1].last),
      regionPrefix: spec.region ? regionPrefix(spec.region.code) : null, categoryPath: spec.category, organizationId: spec.organizationId,
    };
    const out: ComputedFigure[] = [];
    for (const indicator of wanted) {
      if (indicator === 'consumer_report_reply_hours') {
        out.push(...computedFigures(spec, indicator, await this.consumerReports.replyRecords(q) as ComputedRecord[]));
      } else {
        const [records, people] = await Promise.all([
          this.samples.collectedCounts({ ...q, byOrganization: spec.split === 'organization' }) as Promise<ComputedRecord[]>, this.populationTable(),
        ]);
        const byCode = new Map(people.map((p) => [p.regionCode, p.population]));
        out.push(...computedFigures(spec, indicator, records, (code) => byCode.get(code)));
      }
    }
    return out;
  }

  private async scoped(actor: Actor, spec: IndicatorSpec): Promise<IndicatorSpec> {
    if (spec.category) spec.category = (await this.categories.requireCategory(spec.category, 'category')).path;
    if (spec.organizationId !== null && !isUuid(spec.organizationId)) {
      throw new DomainError('VALIDATION_FAILED', 'organization must be an organisation id (UUID)', { field: 'organization', rule: 'uuid' });
    }
    if (isAdmin(actor)) return spec;
    const prefix = regulatorPrefix(actor);
    if (prefix) {
      if (!spec.region) spec.region = requireRegion(actor.regionCode, 'region');
      if (!spec.region.code.startsWith(prefix)) throw new DomainError('NOT_FOUND', 'Region outside your jurisdiction', { field: 'region' });
      if (spec.organizationId) await this.requireOrganizationWithin(spec.organizationId, prefix);
      return spec;
    }
    if (!actor.organizationId || (spec.organizationId && spec.organizationId !== actor.organizationId)) {
      throw new DomainError('NOT_FOUND', 'Organisation not found', { field: 'organization' });
    }
    return { ...spec, organizationId: actor.organizationId };
  }

  /**
   * A regulator may look at an organisation registered in its jurisdiction or producing there (a
   * county's organisation list is by where batches are produced); the figures themselves are always
   * limited to the jurisdiction.
   */
  private async requireOrganizationWithin(id: string, prefix: string): Promise<void> {
    const org = await this.organizations.summary(id);
    const within = org && (org.regionCode.startsWith(prefix) || await this.batches.producesIn(id, prefix));
    if (!within) throw new DomainError('NOT_FOUND', 'Organisation not found', { field: 'organization' });
  }

  private async names(found: Figure[]): Promise<Names> {
    const orgIds = found.filter((f) => isUuid(f.key)).map((f) => f.key);
    const giIds = [...new Set(found.filter((f) => f.detail && INDICATORS[f.indicator].detail === 'gi').map((f) => f.detail.split('|')[0]))];
    const [orgs, gis] = await Promise.all([this.organizations.summaries(orgIds), this.gi.productNames(giIds)]);
    return { organizations: orgs, gis };
  }

  private row(spec: IndicatorSpec, f: ComputedFigure, names: Names): IndicatorRow {
    const definition = INDICATORS[f.indicator];
    const row: IndicatorRow = {
      indicator: f.indicator, name: definition.name,
      numerator: formatMicros(f.numerator), denominator: formatMicros(f.denominator), rate: f.rate, target: definition.target, met: f.met,
    };
    if (definition.description) row.description = definition.description;
    if (definition.unit) row.unit = definition.unit;
    if (f.populationMissing) row.populationMissing = true;
    if (definition.target?.kind === 'rising') row.previousRate = f.previousRate;
    if (f.period) row.period = { key: f.period.key, from: isoFirstDay(f.period.first), to: lastDayOf(f.period.last) };
    if (spec.split === 'region') {
      const region = findRegion(f.key);
      const self = f.key === spec.region?.code;
      row.region = { code: f.key, name: `${region?.name ?? f.key}${self ? '(本级)' : ''}`, level: region?.level ?? 'county', ...(self ? { self } : {}) };
    }
    if (spec.split === 'category' && definition.dimensions.category) {
      const self = f.key === spec.category;
      row.category = { path: f.key, name: f.key === '' ? '(未分类)' : `${f.key.split('>').pop()!}${self ? '(本级)' : ''}`, ...(self ? { self } : {}) };
    }
    if (spec.split === 'organization') {
      const org = names.organizations.get(f.key);
      row.organization = { id: f.key, name: org?.name ?? f.key, regionCode: org?.regionCode ?? '' };
    }
    if (f.detail && definition.detail === 'scheme') {
      const [id, unit] = f.detail.split('|');
      row.scheme = { id, name: SCHEME_DEFINITIONS[id as MarkScheme]?.name ?? id, ...(unit ? { unit } : {}) };
    } else if (f.detail) {
      const [id, unit] = f.detail.split('|');
      row.gi = { id, name: names.gis.get(id) ?? id, unit };
    }
    return row;
  }
}

function splitKey(row: IndicatorRow): string {
  if (row.region) return `${row.region.self ? 0 : 1}${row.region.code}`;
  if (row.category) return `${row.category.self ? 0 : 1}${row.category.path}`;
  if (row.organization) return row.organization.name;
  return '';
}

/** One collator for every comparison: `localeCompare(…, 'zh-CN')` builds one per call and dominated large answers. */
const zh = new Intl.Collator('zh-CN');
const INDICATOR_ORDER = new Map(Object.keys(INDICATORS).map((k, i) => [k, i]));

/** Indicator order, then the split (own figures first), then GI, then period. */
function sortRows(rows: IndicatorRow[]): IndicatorRow[] {
  const keyed = rows.map((row) => ({ row, order: INDICATOR_ORDER.get(row.indicator)!, split: splitKey(row), gi: `${row.gi?.name ?? row.scheme?.name ?? ''}\u0000${row.gi?.unit ?? row.scheme?.unit ?? ''}`, period: row.period?.from ?? '' }));
  keyed.sort((a, b) => a.order - b.order || zh.compare(a.split, b.split) || zh.compare(a.gi, b.gi) || (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  return keyed.map((k) => k.row);
}
