import { readFileSync } from 'node:fs';
import { parsePopulationCsv, POPULATION_SEED_FILE } from '../population.seed';
import { requireRegion } from '../../regions/domain';
import { ComputedRecord, computedFigures } from './computed-figures';
import type { IndicatorSpec } from './indicator-query';

const spec = (over: Partial<IndicatorSpec>): IndicatorSpec => ({
  indicators: [], region: requireRegion('510000'), category: '', organizationId: null, from: '2026-01', to: '2026-12', period: null, split: null, ...over,
});
const rec = (month: string, regionCode: string, value: number | null, count = 1, categoryPath = '水果>猕猴桃', organizationId = 'org-a'): ComputedRecord => ({ month, regionCode, categoryPath, organizationId, value, count });

describe('consumer_report_reply_hours: the median of reply hours', () => {
  const records = [rec('2026-03', '510131', 2), rec('2026-03', '510131', 10), rec('2026-03', '510131', null), rec('2026-07', '510129', 30), rec('2026-07', '511302', 4)];

  it.each([
    // split, period, expected rows as key/period: replied/reports/median
    [null, null, ['|: 4/5/7']], // 2, 4, 10, 30 → (4 + 10) / 2
    [null, 'quarter', ['|2026-Q1: 2/3/6', '|2026-Q2: 0/0/null', '|2026-Q3: 2/2/17', '|2026-Q4: 0/0/null']],
    ['region', null, ['510100|: 3/4/10', '511300|: 1/1/4']],
  ] as const)('split %s by %s', (split, period, expected) => {
    const rows = computedFigures(spec({ split, period }), 'consumer_report_reply_hours', records);
    expect(rows.map((r) => `${r.key}|${r.period?.key ?? ''}: ${r.numerator / 1_000_000n}/${r.denominator / 1_000_000n}/${r.rate}`).sort()).toEqual([...expected].sort());
  });

  it('keeps to the scope: a county, a category, an organisation', () => {
    const county = computedFigures(spec({ region: requireRegion('510131') }), 'consumer_report_reply_hours', records);
    expect(county).toEqual([expect.objectContaining({ key: '', rate: 6 })]);
    const none = computedFigures(spec({ category: '蔬菜' }), 'consumer_report_reply_hours', records);
    expect(none).toEqual([expect.objectContaining({ key: '', rate: null, denominator: 0n })]);
  });
});

describe('sampling_density_per_1000: samples over the population of the region', () => {
  const people = new Map([['510000', 83_674_866], ['510100', 20_937_757], ['511300', 5_607_565]]);
  const records = [rec('2026-03', '510131', null, 30_000), rec('2026-05', '510100', null, 2_000), rec('2026-07', '511302', null, 11_215), rec('2026-07', '513401', null, 5)];
  const density = (over: Partial<IndicatorSpec>) => computedFigures(spec(over), 'sampling_density_per_1000', records, (code) => people.get(code));

  it('divides the period\'s samples by the inhabitants, × 1000', () => {
    expect(density({})).toEqual([expect.objectContaining({ key: '', rate: 0.5165, numerator: 43_220_000_000n, denominator: 83_674_866_000_000n })]);
  });

  it('drills down by region; a region without a population figure has no rate, never 0', () => {
    const rows = density({ split: 'region' });
    expect(rows.map((r) => [r.key, r.numerator / 1_000_000n, r.rate, r.populationMissing ?? false]).sort()).toEqual([
      ['510100', 32_000n, 1.5283, false], ['511300', 11_215n, 2, false], ['513400', 5n, null, true],
    ]);
    // Chengdu's counties: no county figures in the table; the city's own records (本级) have none either.
    const counties = density({ region: requireRegion('510100'), split: 'region' });
    expect(counties.map((r) => [r.key, r.rate, r.populationMissing])).toEqual([['510131', null, true], ['510100', null, true]]);
  });
});

describe('the population table (Sichuan, 7th census, 2020)', () => {
  const rows = parsePopulationCsv(readFileSync(POPULATION_SEED_FILE, 'utf8'));

  it('has the province and its 21 prefecture-level divisions, each with its source, summing to the provincial total', () => {
    expect(rows).toHaveLength(22);
    const province = rows.find((r) => r.regionCode === '510000')!;
    expect(province.population).toBe(83_674_866);
    const prefectures = rows.filter((r) => r.regionCode !== '510000');
    expect(prefectures.every((r) => /00$/.test(r.regionCode) && r.regionCode.startsWith('51') && r.source.includes('第七次全国人口普查'))).toBe(true);
    expect(prefectures.reduce((s, r) => s + r.population, 0)).toBe(province.population);
    // Not read digit by digit from the bulletin here: none is marked verified.
    expect(rows.filter((r) => r.verified)).toEqual([]);
  });

  it('refuses a bad row, naming it', () => {
    expect(() => parsePopulationCsv('region_code,name,population,as_of,source,verified\n510100,成都市,-5,2020-11-01,x,false')).toThrow(/row 2: population/);
  });
});
