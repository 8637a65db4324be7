import { decimal, Decimal, formatDecimal, isZero } from '../../../../libs/decimal';
import { DomainError } from '../../../../libs/errors';
import { amountOf, unitDefinition } from '../../../../libs/quantity';

/**
 * Doses and the areas (or animals) they are applied to. Masses are libs/quantity's units (kg, g,
 * 斤 … and their aliases); liquids add millilitres and litres, which a traded quantity never has.
 * Areas are 亩 (the unit labels use), 公顷 and 平方米; livestock doses are per head (头, 只, 羽).
 * Everything compares as exact decimals after conversion to grams or millilitres per 亩 or head.
 */
const VOLUME_UNITS: Record<string, { unit: string; perMl: string }> = {
  mL: { unit: 'mL', perMl: '1' }, ml: { unit: 'mL', perMl: '1' }, 毫升: { unit: 'mL', perMl: '1' },
  L: { unit: 'L', perMl: '1000' }, l: { unit: 'L', perMl: '1000' }, 升: { unit: 'L', perMl: '1000' },
};
const AREA_UNITS: Record<string, { unit: string; perMu: string }> = {
  亩: { unit: '亩', perMu: '1' }, mu: { unit: '亩', perMu: '1' },
  公顷: { unit: '公顷', perMu: '15' }, hm2: { unit: '公顷', perMu: '15' }, ha: { unit: '公顷', perMu: '15' },
  平方米: { unit: '平方米', perMu: '0.0015' }, m2: { unit: '平方米', perMu: '0.0015' }, 'm²': { unit: '平方米', perMu: '0.0015' },
};
const HEAD_UNITS = ['头', '只', '羽', '尾'];

export const DOSE_UNITS = ['kg', 'g', 'mg', '斤', 'mL', 'L'];
export const AREA_UNIT_NAMES = ['亩', '公顷', '平方米', ...HEAD_UNITS];

export type DoseDimension = 'mass' | 'volume';
export interface Dose { value: string; unit: string; dimension: DoseDimension; base: Decimal }
export interface Area { value: string; unit: string; dimension: 'area' | 'head'; base: Decimal }

const DECIMAL = /^\d{1,12}(\.\d{1,4})?$/;

function positive(input: unknown, field: string): Decimal {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  if (!DECIMAL.test(text) || isZero(decimal(text))) {
    throw new DomainError('INVALID_DOSE', `${field} must be a positive decimal string such as "30" (at most 4 decimals)`, { field, rule: 'positive_decimal' });
  }
  return decimal(text);
}

/** A dose `{ value, unit }` in a mass or volume unit; anything else (箱, 头, °C) is refused naming the field. */
export function parseDose(input: { value?: unknown; unit?: unknown } | undefined, field = 'dose'): Dose {
  const value = positive(input?.value, `${field}.value`);
  const spelled = typeof input?.unit === 'string' ? input.unit.trim() : '';
  const volume = VOLUME_UNITS[spelled];
  if (volume) return { value: formatDecimal(value), unit: volume.unit, dimension: 'volume', base: value.times(volume.perMl) };
  if (spelled === 'mg' || spelled === '毫克') return { value: formatDecimal(value), unit: 'mg', dimension: 'mass', base: value.div('1000') };
  const mass = unitDefinition(spelled);
  if (mass?.dimension === 'mass') {
    // grams: libs/quantity converts to kg.
    return { value: formatDecimal(value), unit: mass.unit, dimension: 'mass', base: amountOf({ value: value.toString(), unit: mass.unit }).value.times('1000') };
  }
  throw new DomainError('INVALID_DOSE', `${field}.unit must be a mass or volume unit: ${DOSE_UNITS.join(', ')}`, {
    field: `${field}.unit`, rule: 'dose_unit', allowed: DOSE_UNITS,
  });
}

/** The area treated (亩, 公顷, 平方米) or the number of animals (头, 只, 羽, 尾). */
export function parseArea(input: { value?: unknown; unit?: unknown } | undefined, field = 'area'): Area {
  const value = positive(input?.value, `${field}.value`);
  const spelled = typeof input?.unit === 'string' ? input.unit.trim() : '';
  const area = AREA_UNITS[spelled];
  if (area) return { value: formatDecimal(value), unit: area.unit, dimension: 'area', base: value.times(area.perMu) };
  if (HEAD_UNITS.includes(spelled)) return { value: formatDecimal(value), unit: spelled, dimension: 'head', base: value };
  throw new DomainError('INVALID_DOSE', `${field}.unit must be one of ${AREA_UNIT_NAMES.join(', ')}`, {
    field: `${field}.unit`, rule: 'area_unit', allowed: AREA_UNIT_NAMES,
  });
}

/** A maximum dose as labels print it: `{ value: "60", unit: "mL/亩" }` (per 亩, 公顷, or head). */
export interface MaxDose { value: string; unit: string }

export function parseMaxDose(input: { value?: unknown; unit?: unknown } | undefined, field = 'maxDose'): { dose: Dose; per: Area } {
  const unit = typeof input?.unit === 'string' ? input.unit : '';
  const [doseUnit, perUnit, ...rest] = unit.split('/');
  if (!doseUnit || !perUnit || rest.length > 0) {
    throw new DomainError('INVALID_DOSE', `${field}.unit must be written dose unit / area unit, e.g. "mL/亩" or "g/头"`, { field: `${field}.unit`, rule: 'per_area' });
  }
  return { dose: parseDose({ value: input?.value, unit: doseUnit }, field), per: parseArea({ value: '1', unit: perUnit }, field) };
}

/**
 * Whether `dose` over `area` exceeds `max` (same dimensions only; a liquid limit says nothing about
 * a powder). Returns the applied rate in the limit's units when it does, else null.
 */
export function doseExcess(dose: Dose, area: Area, max: { dose: Dose; per: Area }): { applied: string; limit: string } | null {
  if (dose.dimension !== max.dose.dimension || area.dimension !== max.per.dimension) return null;
  if (area.dimension === 'head' && area.unit !== max.per.unit) return null;
  const appliedRate = dose.base.div(area.base);
  const limitRate = max.dose.base.div(max.per.base);
  if (appliedRate.lte(limitRate)) return null;
  const inLimitUnits = appliedRate.times(max.per.base).div(max.dose.base.div(decimal(max.dose.value)));
  return { applied: `${formatDecimal(inLimitUnits.round(3))} ${max.dose.unit}/${max.per.unit}`, limit: `${max.dose.value} ${max.dose.unit}/${max.per.unit}` };
}
