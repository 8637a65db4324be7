import { DomainError } from '../../../../libs/errors';
import { Decimal, shift } from '../../../../libs/decimal';

/** Every limit is stored and compared in mg/kg of the edible part, fresh weight (DOMAIN §5). */
export const CANONICAL_UNIT = 'mg/kg';

/**
 * Mass fractions we convert, as a power of ten relative to mg/kg. Only mass-per-mass units are
 * meaningful against a mg/kg limit: mg/L (per volume) would need the sample's density, and
 * ppm/ppb are ambiguous between mass and volume — both are refused.
 */
const POWER_BY_UNIT = new Map<string, number>(Object.entries({
  'g/kg': 3,
  'mg/g': 3,
  'mg/kg': 0,
  'µg/g': 0,
  'µg/kg': -3,
  'ng/g': -3,
  'ng/kg': -6,
  'pg/g': -6,
  '毫克/千克': 0,
  '微克/千克': -3,
  '微克/克': 0,
  '纳克/克': -3,
}));

/** The mass-fraction units a result may be given in, as a form offers them (the Chinese spellings are aliases). */
export const RESIDUE_UNITS: readonly string[] = [...POWER_BY_UNIT.keys()].filter((u) => /^[a-zµ/]+$/.test(u));

/** Units people type for the same thing: micro as µ (U+00B5), μ (U+03BC), u or mc; any case; spaces. */
function canonicalUnitSpelling(input: string): string {
  const compact = input.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  // NFKC maps the micro sign U+00B5 to Greek mu U+03BC; write both as µ.
  return compact.replace(/^(?:μ|u|mc)g\//, 'µg/');
}

/** Spellings seen so far (a handful in practice) → power; bounded so odd input cannot grow it. */
const SPELLING_CACHE = new Map<string, number>();

/** Power of ten that converts a value in `unit` to mg/kg; throws UNIT_NOT_CONVERTIBLE. */
export function unitPower(unit: unknown, field = 'unit'): number {
  const cached = typeof unit === 'string' ? SPELLING_CACHE.get(unit) : undefined;
  if (cached !== undefined) return cached;
  const spelled = typeof unit === 'string' ? canonicalUnitSpelling(unit) : '';
  const power = POWER_BY_UNIT.get(spelled);
  if (power !== undefined && typeof unit === 'string' && SPELLING_CACHE.size < 256) SPELLING_CACHE.set(unit, power);
  if (power === undefined) {
    const shown = typeof unit === 'string' ? unit.slice(0, 40) : typeof unit;
    const volume = /\/(m?l|升|毫升)$/.test(spelled);
    throw new DomainError('UNIT_NOT_CONVERTIBLE',
      volume
        ? `${field}: "${shown}" is per volume; limits are mg/kg (mass fraction) and a volume unit cannot be converted without the sample's density`
        : `${field}: "${shown}" cannot be converted to mg/kg; use one of mg/kg, µg/kg, µg/g, ng/g, g/kg`,
      { field, rule: 'unit', unit: shown, accepted: SUPPORTED_UNITS });
  }
  return power;
}

const SUPPORTED_UNITS = ['mg/kg', 'µg/kg', 'µg/g', 'ng/g', 'ng/kg', 'pg/g', 'g/kg', 'mg/g'];

export function toMgPerKg(value: Decimal, unit: unknown, field = 'unit'): Decimal {
  return shift(value, unitPower(unit, field));
}
