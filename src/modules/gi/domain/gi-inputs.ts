import { parseUscc } from '../../../../libs/codes';
import { asField, DomainError } from '../../../../libs/errors';
import {
  BoundingBox, GI_REGIMES, GiRegime, GiStatus, parseAreaCodes, parseBoundingBox, parseRegistrationNumber,
  parseSpecReference,
} from './gi-record-rules';
import { date, text } from '../../../common/field-readers';
import { type LicenceTerms, normalizeLicenceTerms, recordStatus } from '../../marks/domain';

export { date, text };

/** A GI record as a client (JSON or CSV) gives it, before checks. */
export interface RawGiRecord {
  regime?: unknown;
  registrationNumber?: unknown;
  productName?: unknown;
  holderUscc?: unknown;
  holderName?: unknown;
  areaCodes?: unknown;
  areaText?: unknown;
  boundingBox?: BoundingBox | null;
  specReference?: unknown;
  announcementNumber?: unknown;
  announcedOn?: unknown;
  chinaEu?: unknown;
  status?: unknown;
  revokedOn?: unknown;
  revokedReason?: unknown;
}

/** A checked, normalised GI record. */
export interface GiRecordInput {
  regime: GiRegime;
  registrationNumber: string;
  productName: string;
  holderUscc: string;
  holderName: string | null;
  areaCodes: string[];
  areaText: string | null;
  boundingBox: BoundingBox | null;
  specReference: string | null;
  announcementNumber: string | null;
  announcedOn: string | null;
  chinaEu: boolean;
  status: GiStatus;
  revokedOn: string | null;
  revokedReason: string | null;
}

const REGIME_ALIASES: Record<string, GiRegime> = {
  agi: 'agi', '农产品地理标志': 'agi',
  pgi: 'pgi', '地理标志保护产品': 'pgi', '地理标志产品': 'pgi',
  gi_trademark: 'gi_trademark', '地理标志证明商标': 'gi_trademark', '地理标志集体商标': 'gi_trademark', '地理标志商标': 'gi_trademark',
};

export function parseRegime(raw: unknown, field = 'regime'): GiRegime {
  // Own keys only: a cell such as "valueOf" must not find Object.prototype's members.
  const alias = (key: string) => (Object.hasOwn(REGIME_ALIASES, key) ? REGIME_ALIASES[key] : undefined);
  const regime = typeof raw === 'string' ? alias(raw.trim().toLowerCase()) ?? alias(raw.trim()) : undefined;
  if (!regime) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be one of ${GI_REGIMES.join(', ')}`, { field, rule: 'enum', allowed: GI_REGIMES });
  }
  return regime;
}


function bool(raw: unknown, field: string): boolean {
  if (raw === undefined || raw === null || raw === '') return false;
  if (typeof raw === 'boolean') return raw;
  const v = String(raw).trim().toLowerCase();
  if (['true', 'yes', 'y', '1', '是'].includes(v)) return true;
  if (['false', 'no', 'n', '0', '否'].includes(v)) return false;
  throw new DomainError('VALIDATION_FAILED', `${field} must be true or false`, { field, rule: 'boolean' });
}

/** Checks a GI record (HTTP body or CSV row); every error is a DomainError naming the field. */
export function normalizeGiRecord(raw: RawGiRecord): GiRecordInput {
  const regime = parseRegime(raw.regime);
  const revoked = recordStatus(raw.status) === 'revoked';
  const announcedOn = date(raw.announcedOn, 'announcedOn');
  const revokedOn = date(raw.revokedOn, 'revokedOn');
  if (revoked && !revokedOn) throw new DomainError('VALIDATION_FAILED', 'revokedOn is required when status is revoked', { field: 'revokedOn', rule: 'required' });
  if (!revoked && revokedOn) throw new DomainError('VALIDATION_FAILED', 'revokedOn is only for revoked records', { field: 'revokedOn', rule: 'only_when_revoked' });
  return {
    regime,
    registrationNumber: parseRegistrationNumber(regime, raw.registrationNumber),
    productName: text(raw.productName, 'productName', 100, true)!,
    holderUscc: asField('holderUscc', () => parseUscc(raw.holderUscc).value),
    holderName: text(raw.holderName, 'holderName', 200),
    areaCodes: parseAreaCodes(raw.areaCodes),
    areaText: text(raw.areaText, 'areaText', 2000),
    boundingBox: parseBoundingBox(raw.boundingBox),
    specReference: parseSpecReference(text(raw.specReference, 'specReference', 100)),
    announcementNumber: text(raw.announcementNumber, 'announcementNumber', 100),
    announcedOn,
    chinaEu: bool(raw.chinaEu, 'chinaEu'),
    status: revoked ? 'revoked' : 'active',
    revokedOn: revoked ? revokedOn : null,
    revokedReason: revoked ? text(raw.revokedReason, 'revokedReason', 500) : null,
  };
}

export interface RawAuthorisation {
  validFrom?: unknown;
  validTo?: unknown;
  yearlyQuota?: { value?: unknown; unit?: unknown } | null;
}

/** An authorisation's terms: the marks engine's licence terms, read by its one reader. */
export type AuthorisationTerms = LicenceTerms;
export const normalizeAuthorisationTerms = normalizeLicenceTerms;
