import { DomainError } from '../../../../libs/errors';
import { parseQuantity } from '../../../../libs/quantity';
import { date } from '../../../common/field-readers';
import type { ClaimLicence } from './claim-engine';

/**
 * Licences of every scheme (区域公用品牌 授权, a GI's 授权使用人): the periods and quotas they carry,
 * one set of rules for both registries.
 */

/** The day before a date (YYYY-MM-DD). */
export function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The last day a licence can be relied on: its end date, or the day before its revocation. */
export function effectiveEnd(a: Pick<ClaimLicence, 'validTo' | 'status' | 'revokedOn'>): string | null {
  if (a.status === 'revoked' && a.revokedOn) {
    const lastDay = dayBefore(a.revokedOn);
    return a.validTo === null || lastDay < a.validTo ? lastDay : a.validTo;
  }
  return a.validTo;
}

/** Two periods (open end = null) share at least one day. */
export function periodsOverlap(a: { from: string; to: string | null }, b: { from: string; to: string | null }): boolean {
  return (a.to === null || b.from <= a.to) && (b.to === null || a.from <= b.to);
}

export type LicenceTerms = Pick<ClaimLicence, 'validFrom' | 'validTo' | 'yearlyQuota'>;

/**
 * The licence of the same organisation whose period shares a day with `terms` (a revoked one counts
 * up to the day before its revocation; one revoked before it started not at all), if any: a producer
 * holds at most one licence of a mark on any day, so every claim rests on one.
 */
export function overlappingLicence<L extends ClaimLicence>(existing: L[], terms: LicenceTerms, ignoreId: string | null): L | undefined {
  return existing.find((a) => a.id !== ignoreId && periodsOverlap({ from: a.validFrom, to: effectiveEnd(a) }, { from: terms.validFrom, to: terms.validTo })
    && !(a.status === 'revoked' && a.revokedOn !== null && a.revokedOn <= a.validFrom));
}

/** Licence terms (HTTP body or CSV row): a period (open end allowed) and an optional yearly quota (absent or null: no limit). */
export function normalizeLicenceTerms(raw: { validFrom?: unknown; validTo?: unknown; yearlyQuota?: { value?: unknown; unit?: unknown } | null }): LicenceTerms {
  const validFrom = date(raw.validFrom, 'validFrom', true)!;
  const validTo = date(raw.validTo, 'validTo');
  if (validTo !== null && validTo < validFrom) {
    throw new DomainError('VALIDATION_FAILED', 'validTo must not be before validFrom', { field: 'validTo', rule: 'after_valid_from' });
  }
  // A quota has the same rules as a batch quantity.
  const yearlyQuota = raw.yearlyQuota === null || raw.yearlyQuota === undefined ? null : parseQuantity(raw.yearlyQuota, 'yearlyQuota');
  return { validFrom, validTo, yearlyQuota };
}

/** A record's or licence's status cell: active (default when empty) or revoked. */
export function recordStatus(raw: unknown, field = 'status'): 'active' | 'revoked' {
  if (raw === undefined || raw === null || raw === '') return 'active';
  const v = String(raw).trim().toLowerCase();
  if (v === 'active' || v === 'revoked') return v;
  throw new DomainError('VALIDATION_FAILED', `${field} must be active or revoked`, { field, rule: 'enum' });
}
