import { addMonths, lastDayOf, parseMonthBound, periodsIn, previousOf } from './months';

describe('months', () => {
  it('reads window bounds as whole months and refuses dates inside a month', () => {
    expect(parseMonthBound('2026-03', 'from')).toBe('2026-03');
    expect(parseMonthBound('2026-03-01', 'from')).toBe('2026-03');
    expect(parseMonthBound('2024-02-29', 'to')).toBe('2024-02');
    expect(() => parseMonthBound('2026-03-02', 'from')).toThrow(expect.objectContaining({ details: expect.objectContaining({ rule: 'month_aligned', expected: '2026-03-01' }) }));
    expect(() => parseMonthBound('2025-02-29', 'to')).toThrow(expect.objectContaining({ details: expect.objectContaining({ rule: 'month_aligned', expected: '2025-02-28' }) }));
    expect(() => parseMonthBound('2026-13', 'to')).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'to', rule: 'month' }) }));
  });

  it('knows month lengths and steps across years', () => {
    expect(lastDayOf('2026-12')).toBe('2026-12-31');
    expect(lastDayOf('2100-02')).toBe('2100-02-28');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-11', 14)).toBe('2027-01');
  });

  it('cuts a window into periods clipped to it, each compared with the span of equal length before it', () => {
    expect(periodsIn('2026-02', '2026-08', 'quarter')).toEqual([
      { key: '2026-Q1', first: '2026-02', last: '2026-03' },
      { key: '2026-Q2', first: '2026-04', last: '2026-06' },
      { key: '2026-Q3', first: '2026-07', last: '2026-08' },
    ]);
    expect(periodsIn('2025-11', '2026-01', 'year').map((p) => p.key)).toEqual(['2025', '2026']);
    expect(previousOf({ key: '2026-Q1', first: '2026-02', last: '2026-03' })).toMatchObject({ first: '2025-12', last: '2026-01' });
    expect(previousOf({ key: '2026', first: '2026-01', last: '2026-12' })).toMatchObject({ first: '2025-01', last: '2025-12' });
  });
});
