/**
 * The random mix of indicator queries bench/indicators.ts times: every groupBy the API takes, regions
 * at province, 市(州) and county level, windows of a month, a quarter, a year and three years, one, a
 * few or all indicators, sometimes a category, as the platform admin and as a regulator of one 市(州).
 * Seeded, so two runs send the same queries.
 */
import { INDICATOR_KEYS } from '../src/modules/indicators/domain/indicator-types';
import { prng } from './indicators-data';

export type Caller = 'admin' | 'regulator';

export interface IndicatorRequest {
  caller: Caller;
  /** For the figures table: the groupBy as sent, or `none`. */
  groupBy: string;
  path: string;
}

/** What each groupBy needs from the region: a split by region needs sub-regions, by organisation a 市(州) or county. */
const GROUP_BYS: { groupBy: string; regionLevels: RegionLevel[]; gi?: boolean }[] = [
  { groupBy: '', regionLevels: ['none', 'province', 'city', 'county'] },
  { groupBy: 'month', regionLevels: ['none', 'province', 'city', 'county'] },
  { groupBy: 'quarter', regionLevels: ['none', 'province', 'city', 'county'] },
  { groupBy: 'year', regionLevels: ['none', 'province', 'city', 'county'] },
  { groupBy: 'region', regionLevels: ['none', 'province', 'city'] },
  { groupBy: 'category', regionLevels: ['none', 'province', 'city', 'county'] },
  { groupBy: 'organization', regionLevels: ['city', 'county'] },
  { groupBy: 'gi', regionLevels: ['none', 'province', 'city', 'county'], gi: true },
  { groupBy: 'month,region', regionLevels: ['province', 'city'] },
  { groupBy: 'quarter,region', regionLevels: ['province', 'city'] },
  { groupBy: 'year,region', regionLevels: ['none', 'province', 'city'] },
];

type RegionLevel = 'none' | 'province' | 'city' | 'county';

const WINDOWS = ['month', 'quarter', 'year', '3 years'] as const;

export interface QueryWorld {
  counties: string[];
  cities: string[];
  /** Category nodes at every level (`水果`, `水果>柑橘类水果`, …). */
  categories: string[];
  /** The regulator's 市(州) code and the counties inside it. */
  regulatorCity: string;
}


const month = (i: number) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** A month-aligned window inside 2024-01 … 2026-12 (the data's years). */
function window(rand: () => number, kind: (typeof WINDOWS)[number]): { from: string; to: string } {
  if (kind === '3 years') return { from: '2024-01', to: '2026-12' };
  const span = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const start = Math.floor(rand() * (36 / span)) * span;
  return { from: month(start), to: month(start + span - 1) };
}

function indicators(rand: () => number, gi: boolean): string | null {
  if (gi) return 'gi_claimed';
  const r = rand();
  if (r < 0.25) return null; // every indicator, as the dashboard asks
  const keys = [...INDICATOR_KEYS].sort(() => rand() - 0.5);
  return keys.slice(0, r < 0.75 ? 1 : 2 + Math.floor(rand() * 2)).join(',');
}

function region(rand: () => number, world: QueryWorld, caller: Caller, levels: RegionLevel[]): string | null {
  const level = levels[Math.floor(rand() * levels.length)];
  const pickOne = (codes: string[]) => codes[Math.floor(rand() * codes.length)];
  if (caller === 'regulator') {
    // A 市(州) regulator: its own city (explicitly or by default) or one of its counties.
    if (level === 'none' || level === 'province') return rand() < 0.5 ? null : world.regulatorCity;
    if (level === 'city') return world.regulatorCity;
    return pickOne(world.counties.filter((c) => c.startsWith(world.regulatorCity.slice(0, 4))));
  }
  if (level === 'none') return null;
  if (level === 'province') return '510000';
  return pickOne(level === 'city' ? world.cities : world.counties);
}

export function indicatorRequests(world: QueryWorld, count: number, seed = 6): IndicatorRequest[] {
  const rand = prng(seed);
  const out: IndicatorRequest[] = [];
  for (let i = 0; i < count; i++) {
    const caller: Caller = i % 2 === 0 ? 'admin' : 'regulator';
    const g = GROUP_BYS[i % GROUP_BYS.length];
    const params = new URLSearchParams();
    const keys = indicators(rand, !!g.gi);
    if (keys) params.set('indicator', keys);
    const code = region(rand, world, caller, g.regionLevels);
    // A regulator's default region is its 市(州); a split by organisation still needs it to be no wider.
    if (code) params.set('region', code);
    if (rand() < 0.25) params.set('category', world.categories[Math.floor(rand() * world.categories.length)]);
    const w = window(rand, WINDOWS[Math.floor(rand() * WINDOWS.length)]);
    params.set('from', w.from);
    params.set('to', w.to);
    if (g.groupBy) params.set('groupBy', g.groupBy);
    out.push({ caller, groupBy: g.groupBy || 'none', path: `/api/v1/indicators?${params.toString()}` });
  }
  return out;
}
