/**
 * Login lockout with back-off. The first FREE_ATTEMPTS wrong passwords in a row cost nothing;
 * each one after that locks the account for twice as long as the last (30 s, 60 s, 2 min …),
 * never longer than MAX_LOCK_SECONDS. A correct password resets the count.
 */
export const FREE_ATTEMPTS = 5;
export const BASE_LOCK_SECONDS = 30;
export const MAX_LOCK_SECONDS = 15 * 60;

/** How long the account is locked after its `failures`-th consecutive failure (0 = not locked). */
export function lockSecondsAfter(failures: number): number {
  if (!Number.isInteger(failures) || failures < FREE_ATTEMPTS) return 0;
  const steps = failures - FREE_ATTEMPTS;
  if (steps >= 16) return MAX_LOCK_SECONDS;
  return Math.min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** steps);
}

/** Seconds left on a lock, rounded up; 0 when there is none. */
export function secondsLocked(lockedUntil: Date | null, now: Date): number {
  if (!lockedUntil) return 0;
  return Math.max(0, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

/** Password rules for console accounts (checked when an invited person sets one). */
/** The rules passwordProblem applies, as the invite form shows them before the person types. */
export const PASSWORD_RULES_TEXT = '至少 10 个字符（最多 200 个），不能包含登录名，至少用 4 种不同的字符；两次输入须一致';

export function passwordProblem(password: string, loginName: string): string | null {
  if (password.length < 10) return 'min_length';
  if (password.length > 200) return 'max_length';
  if (password.toLowerCase().includes(loginName.toLowerCase())) return 'contains_login';
  if (new Set(password).size < 4) return 'too_simple';
  return null;
}
