import { DomainError } from '../../../../libs/errors';
import type { CropRule } from './crop-rules';
import { MaxDose, parseMaxDose } from './dose';
import { INPUT_KINDS, InputFlags, InputKind, isInputKind } from './input-kinds';
import { parseRegistrationNumber } from './registration-number';

/** A catalogue row as typed (API body or CSV row, already split into fields). */
export interface RawInputRow {
  kind?: unknown;
  name?: unknown;
  registrationNumber?: unknown;
  holder?: unknown;
  activeIngredients?: { analyte?: unknown; content?: unknown }[];
  cropRules?: { category?: unknown; intervalDays?: unknown; maxDose?: { value?: unknown; unit?: unknown } | null }[];
  flags: Partial<Record<keyof InputFlags, boolean>>;
  verified?: boolean;
  source?: unknown;
  note?: unknown;
}

export interface InputRow {
  kind: InputKind;
  name: string;
  registrationNumber: string | null;
  registrationLegacy: boolean;
  holder: string | null;
  activeIngredients: { analyte: string; content: string | null }[];
  cropRules: CropRule[];
  flags: InputFlags;
  verified: boolean;
  source: string;
  note: string;
}

/** What the row checks against: the limits catalogue's analytes and the food-category tree. */
export interface CatalogueLookups {
  analyte(name: string): { name: string; banned: boolean } | undefined;
  category(path: string): string | undefined;
}

/** Longest 安全间隔期 / 休药期 accepted; the gate looks this far back. */
export const MAX_INTERVAL_DAYS = 365;

function text(value: unknown, field: string, max: number, required: boolean): string | null {
  const trimmed = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : null;
  if (trimmed === null) throw new DomainError('VALIDATION_FAILED', `${field} must be text`, { field, rule: 'string' });
  if (!trimmed) {
    if (required) throw new DomainError('VALIDATION_FAILED', `${field} is required`, { field, rule: 'required' });
    return null;
  }
  if (trimmed.length > max) throw new DomainError('VALIDATION_FAILED', `${field} is longer than ${max} characters`, { field, rule: 'max_length' });
  return trimmed;
}

function intervalDays(value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'string' && /^\d{1,3}$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_INTERVAL_DAYS) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be a whole number of days from 0 to ${MAX_INTERVAL_DAYS}`, { field, rule: 'interval_days' });
  }
  return n;
}

/**
 * Checks and normalises a catalogue row: kind, registration number in its kind's format (legacy
 * flagged), active ingredients that the limits catalogue knows (a banned analyte bans the input),
 * crop rules on categories of the tree (one per category) with a readable maximum dose.
 */
export function checkInputRow(raw: RawInputRow, lookups: CatalogueLookups): InputRow {
  if (!isInputKind(raw.kind)) {
    throw new DomainError('VALIDATION_FAILED', `kind must be one of ${INPUT_KINDS.join(', ')}`, { field: 'kind', rule: 'enum', allowed: INPUT_KINDS });
  }
  const kind = raw.kind;
  const name = text(raw.name, 'name', 100, true)!;
  const typedNumber = text(raw.registrationNumber, 'registrationNumber', 40, false);
  const registration = typedNumber === null ? null : parseRegistrationNumber(kind, typedNumber);
  if (kind === 'pesticide' && !registration) {
    throw new DomainError('INVALID_REGISTRATION_NUMBER', 'registrationNumber is required for a pesticide (农药登记证号)', { field: 'registrationNumber', rule: 'required' });
  }
  const activeIngredients = (raw.activeIngredients ?? []).map((a, i) => {
    const field = `activeIngredients[${i}].analyte`;
    const typed = text(a.analyte, field, 100, true)!;
    const known = lookups.analyte(typed);
    if (!known) throw new DomainError('UNKNOWN_ANALYTE', `${field}: "${typed}" is not in the limits catalogue's analytes`, { field, rule: 'known_analyte' });
    return { analyte: known.name, content: text(a.content, `activeIngredients[${i}].content`, 40, false), banned: known.banned };
  });
  const seen = new Set<string>();
  const cropRules = (raw.cropRules ?? []).map((r, i): CropRule => {
    const field = `cropRules[${i}]`;
    const typed = text(r.category, `${field}.category`, 200, true)!;
    const category = lookups.category(typed);
    if (!category) throw new DomainError('UNKNOWN_CATEGORY', `${field}.category "${typed}" is not in the food-category tree`, { field: `${field}.category`, rule: 'known_category' });
    if (seen.has(category)) throw new DomainError('VALIDATION_FAILED', `${field}.category ${category} has two rules`, { field: `${field}.category`, rule: 'unique' });
    seen.add(category);
    let maxDose: MaxDose | null = null;
    if (r.maxDose) {
      const parsed = parseMaxDose(r.maxDose, `${field}.maxDose`);
      maxDose = { value: parsed.dose.value, unit: `${parsed.dose.unit}/${parsed.per.unit}` };
    }
    return { category, intervalDays: intervalDays(r.intervalDays, `${field}.intervalDays`), maxDose };
  });
  const source = text(raw.source, 'source', 300, true)!;
  return {
    kind, name, registrationNumber: registration?.value ?? null, registrationLegacy: registration?.legacy ?? false,
    holder: text(raw.holder, 'holder', 200, false),
    activeIngredients: activeIngredients.map(({ analyte, content }) => ({ analyte, content })),
    cropRules,
    flags: {
      banned: !!raw.flags.banned || activeIngredients.some((a) => a.banned),
      restricted: !!raw.flags.restricted, lowRisk: !!raw.flags.lowRisk, slowRelease: !!raw.flags.slowRelease, organic: !!raw.flags.organic,
    },
    verified: raw.verified === true,
    source,
    note: text(raw.note, 'note', 500, false) ?? '',
  };
}
