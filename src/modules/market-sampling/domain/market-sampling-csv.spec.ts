import { parseStatPeriod, readMarketSamplingCsv } from './market-sampling-csv';

describe('market regulator sampling statistics (CSV)', () => {
  it('reads years, quarters, half-years and months, forgiving case and spaces', () => {
    expect(parseStatPeriod('2026')).toEqual({ key: '2026', from: '2026-01', to: '2026-12' });
    expect(parseStatPeriod('2026 q3')).toEqual({ key: '2026-Q3', from: '2026-07', to: '2026-09' });
    expect(parseStatPeriod('2026H2')).toEqual({ key: '2026-H2', from: '2026-07', to: '2026-12' });
    expect(parseStatPeriod('2026-05')).toEqual({ key: '2026-05', from: '2026-05', to: '2026-05' });
    for (const bad of ['2026-13', '2026-Q5', '26', '2026/05', '']) expect(parseStatPeriod(bad)).toBeUndefined();
  });

  it('takes Chinese headers and thousands separators', () => {
    const { rows, problems } = readMarketSamplingCsv('统计期间,地区代码,抽检批次,不合格批次\n2026-Q3,510000,"41,250",980\n', '510000');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ row: 2, period: { key: '2026-Q3', from: '2026-07', to: '2026-09' }, regionCode: '510000', samples: 41250, failed: 980 }]);
  });

  it('reports every problem row by row, column by column', () => {
    const csv = [
      'period,region_code,samples,failed',
      '2026-Q9,510000,100,1', // bad period
      '2026-Q3,999999,100,1', // unknown region
      '2026-Q3,500000,100,1', // Chongqing: outside Sichuan
      '2026-Q3,510100,0,0', // no samples
      '2026-Q3,510300,10,11', // more failed than sampled
      '2026-Q3,510400,10,1',
      '2026-q3,510400,12,1', // the same period and region again
      '2026-Q3,510500,10', // short row
    ].join('\n');
    const { rows, problems } = readMarketSamplingCsv(csv, '510000');
    expect(rows.map((r) => r.regionCode)).toEqual(['510400']);
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [9, null, 'BAD_ROW'],
      [2, 'period', 'INVALID_PERIOD'],
      [3, 'region_code', 'INVALID_REGION_CODE'],
      [4, 'region_code', 'REGION_OUTSIDE_JURISDICTION'],
      [5, 'samples', 'INVALID_COUNT'],
      [6, 'failed', 'FAILED_OVER_SAMPLES'],
      [8, 'region_code', 'DUPLICATE_ROW'],
    ]);
    // The admin has no jurisdiction to keep to.
    expect(readMarketSamplingCsv('period,region_code,samples,failed\n2026,500000,10,0', null).problems).toEqual([]);
  });
});
