import { result, row } from '../testing/indicator-fixtures';
import { kpiTable, metState, metText, organizationTable, regionTable, targetText, trendTable } from './indicator-tables';

const region = (code: string, name: string, level: 'prefecture' | 'county', self = false) => ({ region: { code, name, level, ...(self ? { self } : {}) } });

describe('indicator tables', () => {
  it('puts one KPI row per indicator, with numerator and denominator as numbers and the target in words', () => {
    const table = kpiTable(result([
      row('routine_monitoring', 994, 1000),
      row('food_sampling', 97, 100),
      row('certificate_issuance', 80, 100, { met: true, previousRate: 0.7 }),
      row('gi_claimed', 1234.5, 12),
    ]));
    const cells = table.rows.map((r) => r.cells);
    expect(cells[0]).toMatchObject({ indicator: '农产品质量安全例行监测合格率', numerator: 994, denominator: 1000, rate: 0.994, target: '≥ 99%', met: '达标' });
    expect(cells[1]).toMatchObject({ numerator: 97, denominator: 100, target: '≥ 98%', met: '未达标' });
    expect(cells[2]).toMatchObject({ target: '逐期提高', met: '较上期提高', previousRate: 0.7 });
    // gi_claimed sums amounts in mixed units: only its count of claiming batches is shown
    expect(cells[3]).toMatchObject({ numerator: null, denominator: 12, rate: null, target: '—', met: '—' });
  });

  it('words and states of targets', () => {
    expect(targetText({ kind: 'at_least', value: 0.98 })).toBe('≥ 98%');
    expect(targetText(null)).toBe('—');
    expect(metText({ met: false, target: { kind: 'rising' } })).toBe('未提高');
    expect(metText({ met: null, target: { kind: 'at_least', value: 0.99 } })).toBe('—');
    expect(metState('达标')).toBe('yes');
    expect(metState('未提高')).toBe('no');
    expect(metState('—')).toBeNull();
  });

  it('pivots periods down and indicators across, in period order', () => {
    const p = (key: string, from: string, to: string) => ({ period: { key, from, to } });
    const table = trendTable(result([
      row('routine_monitoring', 99, 100, p('2026-02', '2026-02-01', '2026-02-28')),
      row('routine_monitoring', 50, 50, p('2026-01', '2026-01-01', '2026-01-31')),
      row('food_sampling', 0, 0, p('2026-01', '2026-01-01', '2026-01-31')),
    ], ['month']));
    expect(table.rows.map((r) => r.cells.period)).toEqual(['2026-01', '2026-02']);
    expect(table.rows[0].cells).toMatchObject({ 'routine_monitoring.num': 50, 'routine_monitoring.den': 50, 'routine_monitoring.rate': 1, 'food_sampling.rate': null });
    expect(table.columns.filter((c) => c.group === '食品抽检合格率').map((c) => c.header)).toEqual(['比率', '合格样品数', '检测样品数', '达标']);
  });

  it('lists child regions in code order with drill-down links, the parent\'s own figures first and unlinked', () => {
    const table = regionTable(result([
      row('routine_monitoring', 10, 10, region('510131', '蒲江县', 'county')),
      row('routine_monitoring', 5, 5, region('510100', '成都市(本级)', 'prefecture', true)),
      row('food_sampling', 1, 2, region('510131', '蒲江县', 'county')),
      row('food_sampling', 99, 100, region('510104', '锦江区', 'county')),
    ], ['region']), (code) => `/app/dashboard?region=${code}`);
    expect(table.rows.map((r) => [r.cells.region, r.cells.level, r.href])).toEqual([
      ['成都市(本级)', '市(州)', undefined], ['锦江区', '县(市、区)', '/app/dashboard?region=510104'], ['蒲江县', '县(市、区)', '/app/dashboard?region=510131'],
    ]);
    expect(table.rows[2].cells).toMatchObject({ 'routine_monitoring.num': 10, 'food_sampling.num': 1, 'food_sampling.den': 2, 'food_sampling.met': '未达标' });
    expect(table.rows[1].cells['routine_monitoring.num']).toBeUndefined();
  });

  it('lists organisations with links to their batches', () => {
    const org = (id: string, name: string) => ({ organization: { id, name, regionCode: '510131' } });
    const table = organizationTable(result([
      row('certificate_issuance', 3, 4, org('b', '乙合作社')),
      row('certificate_issuance', 1, 1, org('a', '甲合作社')),
    ], ['organization']), (id) => `/org/${id}`);
    expect(table.rows.map((r) => [r.cells.organization, r.href, r.cells['certificate_issuance.rate']])).toEqual([
      ['甲合作社', '/org/a', 1], ['乙合作社', '/org/b', 0.75],
    ]);
  });
});
