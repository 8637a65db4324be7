import { parseUscc } from '../../../../libs/codes';
import { asField, DomainError } from '../../../../libs/errors';
import { parseQuantity, type Quantity } from '../../../../libs/quantity';
import { requireRegion } from '../../regions/domain';
import type { MarkScope } from './claim-engine';
import { recordStatus } from './licences';
import { parseEnterpriseCode, parseMarkNumber } from './mark-numbers';
import { isRecordedScheme, RECORDED_SCHEMES, type RecordedScheme, SCHEME_DEFINITIONS } from './mark-schemes';
import { date, text } from '../../../common/field-readers';

export { date, text };

/** A mark record as a client (JSON or CSV row) gives it, before checks. */
export interface RawMarkRecord {
  scheme?: unknown;
  number?: unknown;
  holderUscc?: unknown;
  holderName?: unknown;
  enterpriseCode?: unknown;
  certifier?: unknown;
  productNames?: unknown;
  productIds?: unknown;
  categoryPaths?: unknown;
  siteIds?: unknown;
  areaCodes?: unknown;
  validFrom?: unknown;
  validTo?: unknown;
  yearlyQuota?: { value?: unknown; unit?: unknown } | null;
  status?: unknown;
  revokedOn?: unknown;
  revokedReason?: unknown;
}

/** A checked, normalised mark record. */
export interface MarkRecordInput extends MarkScope {
  scheme: RecordedScheme;
  number: string;
  numberFormat: string;
  formatVerified: boolean;
  holderUscc: string;
  holderName: string | null;
  enterpriseCode: string | null;
  certifier: string | null;
  validFrom: string;
  validTo: string | null;
  yearlyQuota: Quantity | null;
  status: 'active' | 'revoked';
  revokedOn: string | null;
  revokedReason: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_LIST = 200;


export function parseScheme(raw: unknown, field = 'scheme'): RecordedScheme {
  const value = typeof raw === 'string' ? raw.trim() : '';
  const byName = RECORDED_SCHEMES.find((s) => SCHEME_DEFINITIONS[s].name === value);
  const scheme = byName ?? value.toLowerCase();
  if (!isRecordedScheme(scheme)) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be one of ${RECORDED_SCHEMES.join(', ')} (GI records are kept at /api/v1/gi)`, {
      field, rule: 'enum', allowed: RECORDED_SCHEMES,
    });
  }
  return scheme;
}

function list(raw: unknown, field: string, each: (v: string, f: string) => string): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw)) throw new DomainError('VALIDATION_FAILED', `${field} must be a list`, { field, rule: 'array' });
  if (raw.length > MAX_LIST) throw new DomainError('VALIDATION_FAILED', `${field} has more than ${MAX_LIST} entries`, { field, rule: 'max_size' });
  return [...new Set(raw.map((v, i) => {
    if (typeof v !== 'string') throw new DomainError('VALIDATION_FAILED', `${field}[${i}] must be text`, { field: `${field}[${i}]`, rule: 'string' });
    return each(v.trim(), `${field}[${i}]`);
  }))];
}

const uuid = (v: string, field: string) => {
  if (!UUID.test(v)) throw new DomainError('VALIDATION_FAILED', `${field} must be a UUID`, { field, rule: 'uuid' });
  return v.toLowerCase();
};
const name = (v: string, field: string) => text(v, field, 100, true)!;
const category = (v: string, field: string) => text(v, field, 500, true)!.split('>').map((p) => p.trim()).join('>');
const region = (v: string, field: string) => requireRegion(v, field).code;

function quota(raw: RawMarkRecord['yearlyQuota']): Quantity | null {
  return raw === null || raw === undefined ? null : parseQuantity(raw, 'yearlyQuota');
}

/** The day `years` after `from` (29 Feb → 28 Feb in a common year). Plain arithmetic: an import checks 10,000 of these. */
export function addYears(from: string, years: number): string {
  const year = Number(from.slice(0, 4)) + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDay = from.slice(5) === '02-29' && !leap ? '02-28' : from.slice(5);
  return `${String(year).padStart(4, '0')}-${monthDay}`;
}

/**
 * The validity of a certificate: valid_to is required where the scheme limits the period, and at
 * most `validityYears` after valid_from (a 3-year 绿色食品 certificate from 2024-03-01 runs to
 * 2027-03-01 at the latest).
 */
export function checkValidity(scheme: RecordedScheme, validFrom: string, validTo: string | null): void {
  const years = SCHEME_DEFINITIONS[scheme].validityYears;
  if (validTo !== null && validTo < validFrom) {
    throw new DomainError('INVALID_MARK_VALIDITY', 'validTo must not be before validFrom', { field: 'validTo', rule: 'after_valid_from' });
  }
  if (years === null) return;
  if (validTo === null) {
    throw new DomainError('INVALID_MARK_VALIDITY', `A ${SCHEME_DEFINITIONS[scheme].name} certificate has an end date`, { field: 'validTo', rule: 'required' });
  }
  const latest = addYears(validFrom, years);
  if (validTo > latest) {
    throw new DomainError('INVALID_MARK_VALIDITY', `A ${SCHEME_DEFINITIONS[scheme].name} certificate is valid for at most ${years} year(s): validTo must not be after ${latest}`, {
      field: 'validTo', rule: 'max_validity', validityYears: years, latest,
    });
  }
}

/** Checks a mark record (HTTP body or CSV row); every error is a DomainError naming the field. */
export function normalizeMarkRecord(raw: RawMarkRecord): MarkRecordInput {
  const scheme = parseScheme(raw.scheme);
  const number = parseMarkNumber(scheme, raw.number);
  const validFrom = date(raw.validFrom, 'validFrom', true)!;
  const validTo = date(raw.validTo, 'validTo');
  checkValidity(scheme, validFrom, validTo);
  const revoked = recordStatus(raw.status) === 'revoked';
  const revokedOn = date(raw.revokedOn, 'revokedOn');
  if (revoked && !revokedOn) throw new DomainError('VALIDATION_FAILED', 'revokedOn is required when status is revoked', { field: 'revokedOn', rule: 'required' });
  if (!revoked && revokedOn) throw new DomainError('VALIDATION_FAILED', 'revokedOn is only for revoked records', { field: 'revokedOn', rule: 'only_when_revoked' });
  const enterprise = text(raw.enterpriseCode, 'enterpriseCode', 20);
  if (enterprise && scheme !== 'green_food') {
    throw new DomainError('INVALID_ENTERPRISE_CODE', 'Only 绿色食品 records carry an enterprise code', { field: 'enterpriseCode', rule: 'scheme' });
  }
  const scope: MarkScope = {
    productIds: list(raw.productIds, 'productIds', uuid),
    productNames: list(raw.productNames, 'productNames', name),
    categoryPaths: list(raw.categoryPaths, 'categoryPaths', category),
    siteIds: list(raw.siteIds, 'siteIds', uuid),
    areaCodes: list(raw.areaCodes, 'areaCodes', region),
  };
  if (scope.productIds.length + scope.productNames.length + scope.categoryPaths.length === 0) {
    throw new DomainError('INVALID_MARK_SCOPE', 'Name the products covered: productIds, productNames or categoryPaths', { field: 'productNames', rule: 'required' });
  }
  return {
    scheme,
    number: number.value,
    numberFormat: number.format,
    formatVerified: number.verified,
    holderUscc: asField('holderUscc', () => parseUscc(raw.holderUscc).value),
    holderName: text(raw.holderName, 'holderName', 200),
    enterpriseCode: enterprise ? parseEnterpriseCode(enterprise).value : null,
    certifier: text(raw.certifier, 'certifier', 200),
    ...scope,
    validFrom,
    validTo,
    yearlyQuota: quota(raw.yearlyQuota),
    status: revoked ? 'revoked' : 'active',
    revokedOn: revoked ? revokedOn : null,
    revokedReason: revoked ? text(raw.revokedReason, 'revokedReason', 500) : null,
  };
}
