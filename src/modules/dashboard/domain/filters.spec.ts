import { DomainError } from '../../../../libs/errors';
import { filterQuery, parseFilters, windowDates } from './filters';

const TODAY = '2026-11-27';

function problem(raw: Record<string, unknown>): { code: string; field: unknown; rule: unknown } {
  try {
    parseFilters(raw, TODAY);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.details?.field, rule: error.details?.rule };
    throw error;
  }
  throw new Error('accepted');
}

describe('dashboard filters', () => {
  it('defaults to January of this year up to this month, every category, by month', () => {
    expect(parseFilters({}, TODAY)).toEqual({ region: null, from: '2026-01', to: '2026-11', category: null, period: 'month' });
    expect(parseFilters({ region: '', from: '', category: '  ' }, TODAY)).toMatchObject({ region: null, from: '2026-01', category: null });
  });

  it('keeps what was asked', () => {
    expect(parseFilters({ region: '510131', from: '2025-07', to: '2026-03', category: '水果', period: 'quarter' }, TODAY))
      .toEqual({ region: '510131', from: '2025-07', to: '2026-03', category: '水果', period: 'quarter' });
  });

  it('names the field and the rule of each bad filter', () => {
    expect(problem({ region: '51013' })).toEqual({ code: 'INVALID_REGION_CODE', field: 'region', rule: 'format' });
    expect(problem({ region: '519999' })).toEqual({ code: 'INVALID_REGION_CODE', field: 'region', rule: 'known_code' });
    expect(problem({ from: '2026-13' })).toEqual({ code: 'VALIDATION_FAILED', field: 'from', rule: 'month' });
    expect(problem({ to: '2026-1' })).toEqual({ code: 'VALIDATION_FAILED', field: 'to', rule: 'month' });
    expect(problem({ from: '2026-05', to: '2026-04' })).toEqual({ code: 'VALIDATION_FAILED', field: 'to', rule: 'not_before_from' });
    expect(problem({ from: '2010-01', to: '2026-11' })).toEqual({ code: 'VALIDATION_FAILED', field: 'from', rule: 'max_window' });
    expect(problem({ period: 'week' })).toEqual({ code: 'VALIDATION_FAILED', field: 'period', rule: 'isIn' });
    expect(problem({ period: ['month', 'year'] })).toEqual({ code: 'VALIDATION_FAILED', field: 'period', rule: 'single' });
    expect(problem({ category: 'x'.repeat(201) })).toEqual({ code: 'VALIDATION_FAILED', field: 'category', rule: 'maxLength' });
  });

  it('turns months into the first and last day of the window', () => {
    expect(windowDates({ from: '2026-01', to: '2026-02' })).toEqual({ from: '2026-01-01', to: '2026-02-28' });
    expect(windowDates({ from: '2024-02', to: '2024-02' })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(windowDates({ from: '2026-01', to: '2026-12' })).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('writes the filters back into links, with extras', () => {
    const f = parseFilters({ region: '510131', category: '水果>柑橘类水果' }, TODAY);
    const q = filterQuery(f, { cursor: 'abc' });
    expect(Object.fromEntries(new URLSearchParams(q.slice(1)))).toEqual({
      region: '510131', from: '2026-01', to: '2026-11', category: '水果>柑橘类水果', period: 'month', cursor: 'abc',
    });
    expect(filterQuery(f, { region: null })).not.toContain('region=');
  });
});
