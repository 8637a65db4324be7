import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { cursorCodec, Page } from '../../common/pagination';
import { CATEGORY_SEED_FILE, CategoriesService } from '../categories';
import { normalizeCategoryPath, parseCategoryCsv, selfAndAncestors } from '../categories/domain';
import { formatDecimal, parseDecimal } from '../../../libs/decimal';
import { LimitKind, parseLimitCsv, standardFamily } from './domain/limit-csv';
import { AnalyteInfo, LimitEntry, LimitIndex } from './domain/limit-index';
import { Evaluation, EvaluationInput, evaluate, isCalendarDate } from './domain/verdict';
import { CANONICAL_UNIT } from './domain/units';
import { LimitAnalyte } from './limit-analyte.entity';
import { LimitRow } from './limit-row.entity';
import { ImportCounts, rejected, storableLimitProblems, writeLimitTable } from './limit-table-writer';

const LIMITS_SEED_FILE = join(__dirname, '..', '..', 'database', 'seed', 'limits-starter.csv');

/** How often a process checks whether another process imported limits (the index is per process). */
const FRESHNESS_CHECK_MS = 30_000;

/** The limits list is sorted in memory (Chinese collation): its cursor is the next entry's index. */
const LIMITS_CURSOR = cursorCodec('limits', 'offset');

export interface LimitView {
  id: string;
  standard: string;
  edition: string;
  citation: string;
  effectiveFrom: string;
  analyte: string;
  analyteEn: string;
  kind: LimitKind;
  food: string;
  limit: string | null;
  unit: typeof CANONICAL_UNIT;
  verified: boolean;
  note: string;
}

export interface LimitListQuery {
  analyte?: string;
  food?: string;
  standard?: string;
  on?: string;
  limit?: number;
  cursor?: string;
}

function unknownFood(input: string, field = 'food'): DomainError {
  return new DomainError('UNKNOWN_FOOD', `${field} "${input.slice(0, 200)}" is not in the food-category tree`, { field, rule: 'known_category' });
}

/**
 * Limit tables and judgement. Resolution runs on an in-memory index of every row, loaded on first
 * use, rebuilt after an import in this process and, for imports by other processes, when a cheap
 * check (at most every 30 s) sees the stored table changed.
 */
@Injectable()
export class LimitsService {
  private index: LimitIndex | null = null;
  private stamp = '';
  private checkedAt = 0;
  private loading: Promise<LimitIndex> | null = null;
  /** Loads are numbered: a slow load that started earlier never replaces a newer index. */
  private loadsStarted = 0;
  private installedLoad = 0;

  constructor(
    @InjectRepository(LimitRow) private readonly rows: Repository<LimitRow>,
    @InjectRepository(LimitAnalyte) private readonly analytes: Repository<LimitAnalyte>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly categories: CategoriesService,
  ) {}

  /** Judges a sample's results (the sampling module calls this). Throws DomainError on bad input. */
  async judge(input: EvaluationInput): Promise<Evaluation> {
    return evaluate(await this.currentIndex(), input);
  }

  /** The index as loaded now (for callers that judge many samples in a loop). */
  currentIndex(): Promise<LimitIndex> {
    if (this.index && Date.now() - this.checkedAt < FRESHNESS_CHECK_MS) return Promise.resolve(this.index);
    this.loading ??= this.refresh().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  async importCsv(csv: string): Promise<ImportCounts> {
    const foods = new Set((await this.categories.list()).map((c) => c.path));
    const { rows, problems, total } = parseLimitCsv(csv, (path) => foods.has(path));
    const all = [...problems, ...storableLimitProblems(rows)];
    if (all.length) throw rejected(all, total);
    if (rows.length === 0) throw new DomainError('INVALID_LIMIT_FILE', 'The limit table has a header but no rows', { rule: 'rows' });
    const counts = await this.dataSource.transaction((manager) => writeLimitTable(manager, rows, 'upsert'));
    this.checkedAt = 0;
    await this.load();
    return counts;
  }

  async list(query: LimitListQuery): Promise<Page<LimitView>> {
    const index = await this.currentIndex();
    const analyte = query.analyte !== undefined ? this.requireAnalyte(index, query.analyte, 'analyte') : undefined;
    const food = query.food !== undefined ? normalizeCategoryPath(query.food) : undefined;
    if (food !== undefined && !index.hasFood(food)) throw unknownFood(query.food!);
    if (query.on !== undefined && !isCalendarDate(query.on)) {
      throw new DomainError('VALIDATION_FAILED', 'on: must be a date YYYY-MM-DD', { fields: [{ field: 'on', rule: 'date', message: 'on must be a date YYYY-MM-DD' }] });
    }
    const standard = query.standard?.trim();
    const citation = standard ? /^(.*)-(\d{4})$/.exec(standard) : null;
    const matchesStandard = (e: LimitEntry) => !standard
      || (citation ? e.standard === citation[1] && e.edition === citation[2] : e.standard === standard || standardFamily(e.standard) === standard);

    let entries: LimitEntry[];
    if (query.on && food) {
      // What evaluate would use for this food on that date: the most specific row per standard.
      const names = analyte ? [analyte.name] : index.listAnalytes().map((a) => a.name);
      entries = names.flatMap((name) => index.resolve(name, food, query.on!).map((a) => a.entry));
    } else {
      const levels = food ? new Set(selfAndAncestors(food)) : null;
      entries = index.entries.filter((e) => (!analyte || e.analyte === analyte.name) && (!levels || levels.has(e.food)));
      if (query.on) {
        const on = query.on;
        const live = new Set<LimitEntry>();
        for (const e of entries) for (const r of index.inForceAt(e.analyte, e.food, on)) live.add(r);
        entries = entries.filter((e) => live.has(e));
      }
    }
    entries = entries.filter(matchesStandard).sort(compareEntries);

    const limit = query.limit ?? 50;
    const offset = LIMITS_CURSOR.decode(query.cursor)?.sort ?? 0;
    const items = entries.slice(offset, offset + limit).map((e) => this.view(index, e));
    return { items, nextCursor: offset + limit < entries.length ? LIMITS_CURSOR.encode({ sort: offset + limit }) : null };
  }

  async listAnalytes(): Promise<{ items: AnalyteInfo[] }> {
    const index = await this.currentIndex();
    return { items: index.listAnalytes().sort((a, b) => (a.name < b.name ? -1 : 1)) };
  }

  private requireAnalyte(index: LimitIndex, name: string, field: string): AnalyteInfo {
    const found = index.findAnalyte(name);
    if (!found) throw new DomainError('UNKNOWN_ANALYTE', `${field}: "${name.slice(0, 100)}" is not in the analyte catalogue`, { field, rule: 'known_analyte' });
    return found;
  }

  private view(index: LimitIndex, e: LimitEntry): LimitView {
    return {
      id: e.id, standard: e.standard, edition: e.edition, citation: `${e.standard}-${e.edition}`, effectiveFrom: e.effectiveFrom,
      analyte: e.analyte, analyteEn: index.findAnalyte(e.analyte)?.nameEn ?? '', kind: e.kind, food: e.food,
      limit: e.limit ? formatDecimal(e.limit) : null, unit: CANONICAL_UNIT, verified: e.verified, note: e.note,
    };
  }

  /** Rebuilds the index if the stored table changed (another process imported); else keeps it. */
  async refresh(): Promise<LimitIndex> {
    const stamp = await this.currentStamp();
    if (!this.index || stamp !== this.stamp) await this.load(stamp);
    this.checkedAt = Date.now();
    return this.index!;
  }

  private async currentStamp(): Promise<string> {
    const [row] = await this.dataSource.query<{ n: string; m: string | null; a: string; am: string | null }[]>(
      `SELECT (SELECT count(*) FROM limit_rows) AS n, (SELECT max(updated_at)::text FROM limit_rows) AS m,
              (SELECT count(*) FROM limit_analytes) AS a, (SELECT max(updated_at)::text FROM limit_analytes) AS am`);
    return `${row.n}|${row.m}|${row.a}|${row.am}`;
  }

  /** Reads the stored table into a new index and installs it unless a later load got there first. */
  private async load(stamp?: string): Promise<void> {
    const seq = ++this.loadsStarted;
    const currentStamp = stamp ?? (await this.currentStamp());
    // Raw rows: hydrating tens of thousands of entities through the ORM costs seconds.
    const [rows, analytes, categories] = await Promise.all([
      this.rows.query(`SELECT id, standard, edition, effective_from::text AS "effectiveFrom", analyte, kind, food_path AS "foodPath",
                              limit_mg_per_kg::text AS "limitMgPerKg", verified, note FROM limit_rows`) as Promise<LimitRow[]>,
      this.analytes.find(),
      this.categories.list(),
    ]);
    const index = new LimitIndex(
      rows.map((r) => ({
        id: r.id, standard: r.standard, edition: r.edition, effectiveFrom: r.effectiveFrom, analyte: r.analyte, kind: r.kind,
        food: r.foodPath, limit: r.limitMgPerKg === null ? null : parseDecimal(r.limitMgPerKg), verified: r.verified, note: r.note,
      })),
      analytes.map((a) => ({ name: a.name, nameEn: a.nameEn, banned: a.banned, mustNotDetect: a.mustNotDetect })),
      categories.map((c) => c.path),
    );
    if (seq < this.installedLoad) return;
    this.installedLoad = seq;
    this.index = index;
    this.stamp = currentStamp;
    this.checkedAt = Date.now();
  }
}

function compareEntries(a: LimitEntry, b: LimitEntry): number {
  return a.analyte.localeCompare(b.analyte, 'zh') || a.food.localeCompare(b.food, 'zh') || a.standard.localeCompare(b.standard)
    || b.effectiveFrom.localeCompare(a.effectiveFrom) || a.id.localeCompare(b.id);
}


/**
 * Loads the starter limit table (src/database/seed/limits-starter.csv) when its rows are missing;
 * never overwrites rows an import corrected. Run by `seed` after the category tree.
 */
export async function seedLimits(manager: EntityManager, file = LIMITS_SEED_FILE, categoryFile = CATEGORY_SEED_FILE): Promise<number> {
  const foods = new Set(parseCategoryCsv(readFileSync(categoryFile, 'utf8')).map((c) => c.path));
  const { rows, problems, total } = parseLimitCsv(readFileSync(file, 'utf8'), (path) => foods.has(path));
  if (problems.length) throw rejected(problems, total);
  await manager.transaction((tx) => writeLimitTable(tx, rows, 'insert_missing'));
  return rows.length;
}
