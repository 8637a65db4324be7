import { isDomainError } from '../../../../libs/errors';
import { assertCustodyMove, recheckOpen, SAMPLE_STATUSES } from './custody';
import { periodContaining } from './periods';

describe('chain of custody', () => {
  it('moves only forward, one step at a time', () => {
    for (const [i, from] of SAMPLE_STATUSES.entries()) {
      for (const [j, to] of SAMPLE_STATUSES.entries()) {
        const move = () => assertCustodyMove(from, to);
        if (j === i + 1) expect(move).not.toThrow();
        else expect(() => { try { move(); } catch (e) { if (isDomainError(e) && e.code === 'INVALID_SAMPLE_TRANSITION') throw e; } }).toThrow();
      }
    }
  });

  it('keeps the recheck window open for the configured days, inclusive', () => {
    expect(recheckOpen('2026-11-20', '2026-11-27', 7)).toBe(true);
    expect(recheckOpen('2026-11-20', '2026-11-28', 7)).toBe(false);
  });
});

describe('plan periods', () => {
  it('finds the month, quarter or whole plan containing a date, clipped to the plan', () => {
    expect(periodContaining('monthly', '2026-01-15', '2026-12-31', '2026-01-20')).toEqual({ key: '2026-01', from: '2026-01-15', to: '2026-01-31' });
    expect(periodContaining('monthly', '2026-01-01', '2026-12-31', '2026-02-10')).toEqual({ key: '2026-02', from: '2026-02-01', to: '2026-02-28' });
    expect(periodContaining('quarterly', '2026-01-01', '2026-12-31', '2026-11-27')).toEqual({ key: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(periodContaining('once', '2026-03-01', '2026-09-30', '2026-05-05')).toEqual({ key: 'all', from: '2026-03-01', to: '2026-09-30' });
    expect(periodContaining('monthly', '2026-03-01', '2026-09-30', '2026-10-01')).toBeNull();
  });
});
