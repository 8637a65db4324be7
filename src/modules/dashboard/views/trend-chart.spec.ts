import { renderHtml } from '../../../common/html';
import * as charts from './trend-chart';
import { labelledPeriods, rateDomain } from './trend-chart';

const rateChart = (...a: Parameters<typeof charts.rateChart>) => renderHtml(charts.rateChart(...a));
const countChart = (...a: Parameters<typeof charts.countChart>) => renderHtml(charts.countChart(...a));

const points = [
  { label: '2026-01', rate: 0.995, numerator: 199, denominator: 200 },
  { label: '2026-02', rate: null, numerator: 0, denominator: 0 },
  { label: '2026-03', rate: 0.98, numerator: 98, denominator: 100 },
  { label: '2026-04', rate: 0.99, numerator: 99, denominator: 100 },
];

describe('trend charts (server-side SVG)', () => {
  it('scales the rate axis to show the target, in 5% steps up to 100%', () => {
    expect(rateDomain([0.995, 0.98], 0.99)).toEqual({ lo: 0.95, hi: 1 });
    expect(rateDomain([0.5], null)).toEqual({ lo: 0.45, hi: 1 });
    expect(rateDomain([0.01], null)).toEqual({ lo: 0, hi: 1 });
  });

  it('draws a dot per period with data, breaks the line at an empty period, and a target line', () => {
    const svg = rateChart('农产品质量安全例行监测合格率', points, 0.99);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    // January stands alone (February has no data): only March–April make a polyline
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg).toContain('class="target"');
    expect(svg).toContain('目标 99%');
    expect(svg).toContain('2026-03：98.00%（98/100）');
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/aria-label="农产品质量安全例行监测合格率：2026-01 99.50%，2026-02 —，/);
  });

  it('puts the target line at the target\'s height', () => {
    const svg = rateChart('x', [{ label: 'a', rate: 0.96, numerator: 96, denominator: 100 }, { label: 'b', rate: 1, numerator: 1, denominator: 1 }], 0.98);
    // axis 90%–100% over a 114-unit plot starting at y=12: 98% sits a fifth of the way down
    expect(svg).toMatch(/<line class="target" x1="44" y1="34.8"/);
  });

  it('says so instead of drawing an empty chart', () => {
    expect(rateChart('x', [{ label: 'a', rate: null, numerator: 0, denominator: 0 }], 0.99)).toContain('没有数据');
    expect(countChart('x', [{ label: 'a', rate: null, numerator: null, denominator: 0 }])).toContain('没有数据');
  });

  it('draws counts as bars', () => {
    const svg = countChart('地理标志', [{ label: '2026', rate: null, numerator: null, denominator: 4 }, { label: '2027', rate: null, numerator: null, denominator: 2 }]);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('2027：2');
  });

  it('labels the first and last period and evenly spaced ones between, never closer than a label\'s width and a half', () => {
    expect(labelledPeriods(1, 266)).toEqual([0]);
    expect(labelledPeriods(3, 133)).toEqual([0, 1, 2]);
    expect(labelledPeriods(12, 266 / 11)).toEqual([0, 3, 6, 11]);
    expect(labelledPeriods(36, 266 / 35)).toEqual([0, 8, 16, 24, 35]);
    for (let n = 2; n <= 120; n++) {
      const pitch = 266 / (n - 1);
      const picked = labelledPeriods(n, pitch);
      expect(picked[0]).toBe(0);
      expect(picked[picked.length - 1]).toBe(n - 1);
      for (let i = 1; i < picked.length; i++) expect((picked[i] - picked[i - 1]) * pitch).toBeGreaterThanOrEqual(60);
    }
    const svg = rateChart('x', Array.from({ length: 12 }, (_, i) => ({ label: `2026-${String(i + 1).padStart(2, '0')}`, rate: 0.99, numerator: 99, denominator: 100 })), 0.99);
    expect([...svg.matchAll(/<text x="[\d.]+" y="144" text-anchor="(\w+)">([^<]+)<\/text>/g)].map((m) => [m[2], m[1]]))
      .toEqual([['2026-01', 'start'], ['2026-04', 'middle'], ['2026-07', 'middle'], ['2026-12', 'end']]);
  });
});
