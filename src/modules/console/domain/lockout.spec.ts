import fc from 'fast-check';
import { BASE_LOCK_SECONDS, FREE_ATTEMPTS, lockSecondsAfter, MAX_LOCK_SECONDS, passwordProblem, secondsLocked } from './lockout';

describe('login lockout', () => {
  it('lets the first attempts through, then doubles the lock each time up to the cap', () => {
    for (let i = 0; i < FREE_ATTEMPTS; i++) expect(lockSecondsAfter(i)).toBe(0);
    expect(lockSecondsAfter(FREE_ATTEMPTS)).toBe(BASE_LOCK_SECONDS);
    expect(lockSecondsAfter(FREE_ATTEMPTS + 1)).toBe(BASE_LOCK_SECONDS * 2);
    expect(lockSecondsAfter(FREE_ATTEMPTS + 2)).toBe(BASE_LOCK_SECONDS * 4);
    expect(lockSecondsAfter(1000)).toBe(MAX_LOCK_SECONDS);
  });

  it('never shortens the lock as failures grow, and never exceeds the cap', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), (n) => {
      expect(lockSecondsAfter(n + 1)).toBeGreaterThanOrEqual(lockSecondsAfter(n));
      expect(lockSecondsAfter(n)).toBeLessThanOrEqual(MAX_LOCK_SECONDS);
    }));
  });

  it('counts the seconds left on a lock', () => {
    const now = new Date('2026-11-27T00:00:00Z');
    expect(secondsLocked(null, now)).toBe(0);
    expect(secondsLocked(new Date('2026-11-26T23:59:00Z'), now)).toBe(0);
    expect(secondsLocked(new Date('2026-11-27T00:00:29.200Z'), now)).toBe(30);
  });
});

describe('password rules', () => {
  it('refuses short, trivial or login-containing passwords', () => {
    expect(passwordProblem('short', 'wang')).toBe('min_length');
    expect(passwordProblem('aaaaaaaaaaaa', 'wang')).toBe('too_simple');
    expect(passwordProblem('xxWANG2026yy', 'wang')).toBe('contains_login');
    expect(passwordProblem('绿源猕猴桃2026春', 'wang')).toBeNull();
  });
});
