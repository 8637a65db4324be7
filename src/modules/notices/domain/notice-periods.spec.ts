import { chineseDate, parseNoticePeriod } from './notice-periods';

describe('notice periods', () => {
  it.each([
    ['2026-11', { from: '2026-11-01', to: '2026-11-30', label: '2026年11月', previous: '2026-10', next: '2026-12' }],
    ['2026-12', { from: '2026-12-01', to: '2026-12-31', next: '2027-01' }],
    ['2028-02', { to: '2028-02-29' }],
    ['2026-Q4', { from: '2026-10-01', to: '2026-12-31', label: '2026年第四季度', next: '2027-Q1' }],
    ['2026-Q1', { previous: '2025-Q4' }],
    ['2026', { from: '2026-01-01', to: '2026-12-31', label: '2026年', previous: '2025' }],
  ])('%s', (value, expected) => {
    expect(parseNoticePeriod(value)).toMatchObject(expected);
  });

  it.each(['2026-13', '2026-00', '2026-Q5', '26', '2026-1', '2026-11-01', '<script>', ''])('refuses %s', (value) => {
    expect(parseNoticePeriod(value)).toBeUndefined();
  });

  it('writes dates in plain Chinese', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
  });
});
