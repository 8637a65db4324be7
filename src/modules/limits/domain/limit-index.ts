import { selfAndAncestors } from '../../categories/domain';
import type { Decimal } from '../../../../libs/decimal';
import { LimitKind, LimitRowInput, marksBanned, standardFamily } from './limit-csv';

/** A stored limit row as the resolver sees it (limit in mg/kg; null for withdrawn rows). */
export interface LimitEntry {
  id: string;
  standard: string;
  edition: string;
  effectiveFrom: string;
  analyte: string;
  kind: LimitKind;
  food: string;
  limit: Decimal | null;
  verified: boolean;
  note: string;
}

/** The analyte catalogue: flags derived from the kinds of the analyte's rows. */
export interface AnalyteInfo {
  name: string;
  nameEn: string;
  /** Banned pesticide: any detection fails, whatever the MRL. */
  banned: boolean;
  /** 不得检出: any detection fails. */
  mustNotDetect: boolean;
}

/** The row that governs one standard (family) for an analyte in a food on a date. */
export interface AppliedLimit {
  entry: LimitEntry;
  family: string;
  /** The category path the row was set on: the food itself or the nearest ancestor with a row. */
  matchedFood: string;
}

interface FamilyRows {
  family: string;
  /** Newest first by effective date. */
  rows: LimitEntry[];
}

/**
 * Limits held in memory for resolution: per (analyte, food path) the rows of each standard family,
 * newest first. Resolution walks from the food up its ancestors; in each standard family the most
 * specific path whose row in force on the date is a limit wins. A `withdrawn` row ends the limit at
 * that path from its effective date, so the walk carries on to the parent category (the general
 * limit applies once the specific one is gone). Standards are resolved independently: several may
 * apply at once and each judges.
 */
export class LimitIndex {
  /** analyte → food path → that path's rows grouped by standard family. */
  private readonly byAnalyte = new Map<string, Map<string, FamilyRows[]>>();
  private readonly ancestors = new Map<string, string[]>();
  private readonly analytes = new Map<string, AnalyteInfo>();
  private readonly analyteAliases = new Map<string, AnalyteInfo>();
  readonly size: number;

  constructor(readonly entries: readonly LimitEntry[], analytes: readonly AnalyteInfo[], categories: readonly string[]) {
    for (const path of categories) this.ancestors.set(path, selfAndAncestors(path));
    for (const a of analytes) {
      this.analytes.set(a.name, a);
      if (a.nameEn) this.analyteAliases.set(a.nameEn.toLowerCase(), a);
    }
    for (const entry of entries) {
      const family = standardFamily(entry.standard);
      let foods = this.byAnalyte.get(entry.analyte);
      if (!foods) this.byAnalyte.set(entry.analyte, (foods = new Map()));
      let families = foods.get(entry.food);
      if (!families) foods.set(entry.food, (families = []));
      let group = families.find((f) => f.family === family);
      if (!group) families.push((group = { family, rows: [] }));
      group.rows.push(entry);
    }
    for (const families of [...this.byAnalyte.values()].flatMap((foods) => [...foods.values()])) {
      families.sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
      for (const group of families) {
        group.rows.sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? (a.edition < b.edition ? 1 : -1) : a.effectiveFrom < b.effectiveFrom ? 1 : -1));
      }
    }
    this.size = entries.length;
  }

  /** By Chinese name, or by English name ignoring case. */
  findAnalyte(name: string): AnalyteInfo | undefined {
    const trimmed = name.trim();
    return this.analytes.get(trimmed) ?? this.analyteAliases.get(trimmed.toLowerCase());
  }

  hasFood(path: string): boolean {
    return this.ancestors.has(path);
  }

  listAnalytes(): AnalyteInfo[] {
    return [...this.analytes.values()];
  }

  /**
   * The limits that apply to `analyte` in `food` on `date` (YYYY-MM-DD), one per standard family,
   * ordered by family. An empty list means no standard sets a limit there.
   */
  resolve(analyte: string, food: string, date: string): AppliedLimit[] {
    const foods = this.byAnalyte.get(analyte);
    if (!foods) return [];
    const path = this.ancestors.get(food) ?? selfAndAncestors(food);
    const applied: AppliedLimit[] = [];
    for (const level of path) {
      const families = foods.get(level);
      if (!families) continue;
      for (const group of families) {
        if (applied.length && applied.some((a) => a.family === group.family)) continue;
        const row = inForce(group.rows, date);
        if (!row) continue;
        if (row.kind === 'withdrawn') continue; // the specific limit ended: look further up
        applied.push({ entry: row, family: group.family, matchedFood: level });
      }
    }
    return applied.length > 1 ? applied.sort((a, b) => (a.family < b.family ? -1 : 1)) : applied;
  }

  /** Rows in force on `date` for one (analyte, path) — what the list endpoint shows with `on=`. */
  inForceAt(analyte: string, food: string, date: string): LimitEntry[] {
    return (this.byAnalyte.get(analyte)?.get(food) ?? []).map((g) => inForce(g.rows, date)).filter((r): r is LimitEntry => !!r && r.kind !== 'withdrawn');
  }
}

/** Newest row whose effective date is not after `date` (rows are newest first). */
function inForce(rows: LimitEntry[], date: string): LimitEntry | undefined {
  for (const row of rows) if (row.effectiveFrom <= date) return row;
  return undefined;
}

/** Analyte flags from rows, the same derivation the import stores (kinds, and the banned marker). */
function deriveAnalytes(rows: readonly { analyte: string; analyteEn: string; kind: LimitKind; note: string }[]): AnalyteInfo[] {
  const byName = new Map<string, AnalyteInfo>();
  for (const r of rows) {
    const a = byName.get(r.analyte) ?? { name: r.analyte, nameEn: '', banned: false, mustNotDetect: false };
    if (!a.nameEn && r.analyteEn) a.nameEn = r.analyteEn;
    if (marksBanned(r.kind, r.note)) a.banned = true;
    if (r.kind === 'not_detectable') a.mustNotDetect = true;
    byName.set(r.analyte, a);
  }
  return [...byName.values()];
}

/** An index straight from parsed table rows (tests, benchmarks, tools): ids are `row:<n>`. */
export function indexFromRows(rows: readonly LimitRowInput[], categories: readonly string[]): LimitIndex {
  return new LimitIndex(
    rows.map((r) => ({ id: `row:${r.row}`, standard: r.standard, edition: r.edition, effectiveFrom: r.effectiveFrom, analyte: r.analyte,
      kind: r.kind, food: r.food, limit: r.limit, verified: r.verified, note: r.note })),
    deriveAnalytes(rows),
    categories,
  );
}
