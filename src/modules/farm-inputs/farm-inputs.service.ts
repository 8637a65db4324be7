import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { importRejected } from '../../../libs/csv';
import { DomainError } from '../../../libs/errors';
import { isUniqueViolation } from '../../common/db-errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { likeEscape } from '../../common/sql-like';
import { Actor, isAdmin } from '../auth';
import { CategoriesService } from '../categories';
import { normalizeCategoryPath } from '../categories/domain';
import { LimitsService } from '../limits';
import { parseInputCsv } from './domain/input-csv';
import { INPUT_KIND_NAMES, InputKind } from './domain/input-kinds';
import { CatalogueLookups, checkInputRow, InputRow, RawInputRow } from './domain/input-row';
import { parseLabelCode } from './domain/label-code';
import { isMultiLine, parseSeedLabel, SeedLabel } from './domain/seed-label';
import { ActiveIngredient, FarmInput } from './farm-input.entity';

export interface FarmInputView {
  id: string;
  kind: InputKind;
  kindName: string;
  name: string;
  registrationNumber: string | null;
  registrationLegacy: boolean;
  holder: string | null;
  activeIngredients: ActiveIngredient[];
  cropRules: FarmInput['cropRules'];
  flags: { banned: boolean; restricted: boolean; lowRisk: boolean; slowRelease: boolean; organic: boolean };
  verified: boolean;
  source: string;
  note: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a scanned code names: a pesticide label (its 32-digit code and the one catalogue pesticide
 * whose registration number ends in digits 2–7) or a seed bag (the variety, producer, unit code and
 * trace URL, and the catalogue seeds of that variety: none, one, or several to choose from).
 */
export type ScanResolution =
  | { source: 'pesticide_label'; labelCode: string; input: FarmInputView }
  | { source: 'seed_label'; seed: SeedLabel; inputs: FarmInputView[] };

export interface InputListQuery {
  kind?: string;
  q?: string;
  registrationNumber?: string;
  limit?: number;
  cursor?: string;
}

/** The platform admin and provincial regulators (a province's code ends in 0000) keep the catalogue. */
function requireCatalogueKeeper(actor: Actor): void {
  if (isAdmin(actor) || (actor.role === 'regulator' && actor.regionCode?.endsWith('0000'))) return;
  throw new DomainError('FORBIDDEN', 'Only the platform admin and provincial regulators change the input catalogue');
}

export function toInputView(i: FarmInput): FarmInputView {
  return {
    id: i.id, kind: i.kind, kindName: INPUT_KIND_NAMES[i.kind], name: i.name, registrationNumber: i.registrationNumber,
    registrationLegacy: i.registrationLegacy, holder: i.holder, activeIngredients: i.activeIngredients, cropRules: i.cropRules,
    flags: { banned: i.banned, restricted: i.restricted, lowRisk: i.lowRisk, slowRelease: i.slowRelease, organic: i.organic },
    verified: i.verified, source: i.source, note: i.note, createdAt: i.createdAt.toISOString(), updatedAt: i.updatedAt.toISOString(),
  };
}

function columnsOf(row: InputRow): Partial<FarmInput> {
  return {
    kind: row.kind, name: row.name, registrationNumber: row.registrationNumber, registrationLegacy: row.registrationLegacy,
    holder: row.holder, activeIngredients: row.activeIngredients, cropRules: row.cropRules, ...row.flags,
    verified: row.verified, source: row.source, note: row.note,
  };
}

const COMPARED = ['name', 'registrationLegacy', 'holder', 'activeIngredients', 'cropRules', 'banned', 'restricted', 'lowRisk', 'slowRelease', 'organic', 'verified', 'source', 'note'] as const;

/** JSON with object keys sorted: jsonb stores keys in its own order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

function differs(stored: FarmInput, next: Partial<FarmInput>): boolean {
  return COMPARED.some((k) => canonical(stored[k]) !== canonical(next[k]));
}

/**
 * The input catalogue (农业投入品): pesticides, fertilisers, veterinary drugs, seeds, feeds, each row
 * with its source and `verified` flag. Active ingredients name the limits catalogue's analytes
 * (a banned analyte bans the input); crop rules name the food-category tree.
 */
@Injectable()
export class FarmInputsService {
  constructor(
    @InjectRepository(FarmInput) private readonly inputs: Repository<FarmInput>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly limits: LimitsService,
    private readonly categories: CategoriesService,
  ) {}

  async create(actor: Actor, raw: RawInputRow): Promise<FarmInputView> {
    requireCatalogueKeeper(actor);
    const row = checkInputRow(raw, await this.lookups());
    try {
      return toInputView(await this.inputs.save(this.inputs.create(columnsOf(row))));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_farm_inputs_registration')) {
        throw new DomainError('DUPLICATE_INPUT', `A ${row.kind} with registration number ${row.registrationNumber} is in the catalogue`, { field: 'registrationNumber', rule: 'unique' });
      }
      throw error;
    }
  }

  /**
   * All or nothing: any broken row → 422 INPUT_IMPORT_REJECTED with the import report. Rows are
   * matched by kind and registration number (or, without one, kind and name): new rows are added,
   * changed rows corrected, identical rows left alone (a re-import changes nothing).
   */
  async importCsv(actor: Actor, csv: string): Promise<{ rowCount: number; created: number; updated: number; unchanged: number }> {
    requireCatalogueKeeper(actor);
    const parsed = parseInputCsv(csv, await this.lookups());
    if (parsed.problems.length) throw importRejected('INPUT_IMPORT_REJECTED', parsed.rowCount, parsed.problems);
    return this.dataSource.transaction(async (m) => {
      const counts = { rowCount: parsed.rowCount, created: 0, updated: 0, unchanged: 0 };
      for (const { input } of parsed.rows) {
        const stored = await this.match(m, input);
        const next = columnsOf(input);
        if (!stored) {
          await m.save(m.create(FarmInput, next));
          counts.created++;
        } else if (differs(stored, next)) {
          await m.save(Object.assign(stored, next));
          counts.updated++;
        } else {
          counts.unchanged++;
        }
      }
      return counts;
    });
  }

  async list(query: InputListQuery): Promise<Page<FarmInputView>> {
    const qb = this.inputs.createQueryBuilder('i');
    if (query.kind) qb.andWhere('i.kind = :kind', { kind: query.kind });
    if (query.registrationNumber) qb.andWhere('i.registration_number = :reg', { reg: query.registrationNumber.trim().toUpperCase() });
    if (query.q) qb.andWhere('i.name ILIKE :q', { q: `%${likeEscape(query.q.trim())}%` });
    return listPage(qb, 'i', query.limit ?? 50, query.cursor, toInputView);
  }

  async get(id: string, field = 'id'): Promise<FarmInput> {
    const found = isUuid(id) ? await this.inputs.findOneBy({ id }) : null;
    if (!found) throw new DomainError('NOT_FOUND', 'Input not found', { field });
    return found;
  }

  /** Several inputs at once (no access check: the catalogue is readable by every role). */
  async byIds(ids: string[], manager?: EntityManager): Promise<Map<string, FarmInput>> {
    const unique = [...new Set(ids)].filter(isUuid);
    if (unique.length === 0) return new Map();
    const rows = await (manager ?? this.dataSource.manager).findBy(FarmInput, { id: In(unique) });
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Several inputs as the API shows them, by id (unknown ids are left out). */
  async viewsByIds(ids: string[]): Promise<Map<string, FarmInputView>> {
    return new Map([...(await this.byIds(ids))].map(([id, input]) => [id, toInputView(input)]));
  }

  /** The input with this registration number, for a scanned label (digits 2–7 are looked up by the caller). */
  async byRegistrationNumber(kind: InputKind, registrationNumber: string): Promise<FarmInput | null> {
    return this.inputs.findOneBy({ kind, registrationNumber });
  }

  /** Pesticides whose registration number ends in these six digits (a scanned label's digits 2–7). */
  byLabelDigits(digits: string): Promise<FarmInput[]> {
    return this.inputs.createQueryBuilder('i')
      .where("i.kind = 'pesticide' AND i.registration_number LIKE :suffix", { suffix: `%${likeEscape(digits)}` }).take(5).getMany();
  }

  /**
   * Reads what the phone camera scanned (the console's 农事 page): a seed bag QR is four lines, a
   * pesticide label one code (or a URL holding it). Unreadable → INVALID_LABEL_CODE; a label no
   * catalogue pesticide matches → NOT_FOUND, both naming `field`.
   */
  async resolveScan(text: string, field = 'code'): Promise<ScanResolution> {
    if (isMultiLine(text)) {
      const seed = parseSeedLabel(text, field);
      const rows = await this.inputs.createQueryBuilder('i')
        .where("i.kind = 'seed' AND i.name ILIKE :like", { like: `%${likeEscape(seed.variety)}%` }).orderBy('i.name').limit(10).getMany();
      // An exact name wins over names that merely contain the variety.
      const exact = rows.filter((r) => r.name === seed.variety);
      return { source: 'seed_label', seed, inputs: (exact.length ? exact : rows).map(toInputView) };
    }
    const label = parseLabelCode(text, field);
    const candidates = await this.byLabelDigits(label.registrationDigits);
    if (candidates.length !== 1) {
      throw new DomainError('NOT_FOUND', candidates.length === 0
        ? `No pesticide in the catalogue has a registration number ending in ${label.registrationDigits}`
        : `Several pesticides have registration numbers ending in ${label.registrationDigits}: choose one from the catalogue`, { field, rule: 'known_input' });
    }
    return { source: 'pesticide_label', labelCode: label.code, input: toInputView(candidates[0]) };
  }

  private match(m: EntityManager, input: InputRow): Promise<FarmInput | null> {
    return input.registrationNumber
      ? m.findOneBy(FarmInput, { kind: input.kind, registrationNumber: input.registrationNumber })
      : m.createQueryBuilder(FarmInput, 'i').where('i.kind = :kind AND i.name = :name AND i.registration_number IS NULL', { kind: input.kind, name: input.name }).getOne();
  }

  private async lookups(): Promise<CatalogueLookups> {
    const [index, categories] = await Promise.all([this.limits.currentIndex(), this.categories.list()]);
    const paths = new Set(categories.map((c) => c.path));
    return {
      analyte: (name) => index.findAnalyte(name),
      category: (typed) => {
        const path = normalizeCategoryPath(typed);
        return paths.has(path) ? path : undefined;
      },
    };
  }
}
