/**
 * Every unit a quantity may carry, as data. Masses convert to each other through `perBase` (the
 * unit in kg); a counted unit (箱, 头 …) is its own dimension and compares only with itself.
 *
 * `uncefact` is the UN/CEFACT Rec. 20 code an EPCIS document writes the unit with. A mass unit
 * without one (斤) is written in its dimension's base unit (KGM); a counted unit has none because
 * EPCIS writes a count of instances as a bare number.
 *
 * `aliases` are other spellings accepted as input and stored as the unit itself. Order matters:
 * the API lists the units in this order when it refuses one (API.md: a fixed list).
 */
export const UNIT_TABLE = [
  { unit: 'kg', dimension: 'mass', perBase: '1', uncefact: 'KGM', aliases: ['公斤', '千克'] },
  { unit: 'g', dimension: 'mass', perBase: '0.001', uncefact: 'GRM', aliases: ['克'] },
  { unit: 't', dimension: 'mass', perBase: '1000', uncefact: 'TNE', aliases: ['吨'] },
  /** 市斤, how markets weigh. */
  { unit: '斤', dimension: 'mass', perBase: '0.5', uncefact: null, aliases: [] },
  ...counted('个', '枚', '箱', '袋', '盒', '瓶', '件', '头', '只', '羽', '尾'),
] as const satisfies readonly UnitDefinition[];

export interface UnitDefinition {
  unit: string;
  /** 'mass', or 'count' for a unit that is its own dimension. */
  dimension: 'mass' | 'count';
  /** One of this unit in the dimension's base unit (kg for mass), as an exact decimal string. */
  perBase: string;
  uncefact: string | null;
  aliases: readonly string[];
}

function counted<const U extends readonly string[]>(...units: U) {
  return units.map((unit) => ({ unit, dimension: 'count', perBase: '1', uncefact: null, aliases: [] })) as {
    [K in keyof U]: { unit: U[K]; dimension: 'count'; perBase: '1'; uncefact: null; aliases: readonly [] };
  };
}

export type QuantityUnit = (typeof UNIT_TABLE)[number]['unit'];
export type MassUnit = Extract<(typeof UNIT_TABLE)[number], { dimension: 'mass' }>['unit'];
export type CountUnit = Exclude<QuantityUnit, MassUnit>;

/** What can be compared: every mass with every mass, a counted unit only with itself. */
export type Dimension = 'mass' | CountUnit;

export const QUANTITY_UNITS: readonly QuantityUnit[] = UNIT_TABLE.map((u) => u.unit);

/** The unit sums and comparisons are expressed in: kg for masses, the counted unit itself. */
const MASS_BASE_UNIT = 'kg' satisfies MassUnit;

type UnitRow = (typeof UNIT_TABLE)[number] & UnitDefinition;

const BY_SPELLING = new Map<string, UnitRow>(
  UNIT_TABLE.flatMap((u): [string, UnitRow][] => [[u.unit, u], ...u.aliases.map((a): [string, UnitRow] => [a, u])]),
);
const BY_UNCEFACT = new Map<string, UnitRow>(UNIT_TABLE.flatMap((u): [string, UnitRow][] => (u.uncefact ? [[u.uncefact, u]] : [])));

/** The unit a spelling (unit or alias) stands for, or undefined. */
export function unitDefinition(spelling: string): UnitRow | undefined {
  return BY_SPELLING.get(spelling);
}

/** The unit an EPCIS `uom` code names (KGM → kg), or undefined. */
export function unitForUncefact(code: string): QuantityUnit | undefined {
  return BY_UNCEFACT.get(code)?.unit;
}

/**
 * The dimension of a unit. A unit outside the table (a stored value from before the list, say)
 * counts as its own dimension, so it compares with nothing else.
 */
export function dimensionOf(unit: string): Dimension {
  const def = BY_SPELLING.get(unit);
  return (def?.dimension === 'mass' ? 'mass' : def?.unit ?? unit) as Dimension;
}

export function baseUnitOf(dimension: Dimension): QuantityUnit {
  return dimension === 'mass' ? MASS_BASE_UNIT : dimension;
}
