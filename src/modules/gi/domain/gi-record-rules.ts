import { DomainError } from '../../../../libs/errors';
import type { BoundingBox } from '../../marks/domain';
import { findRegion, isWithinRegion } from '../../regions/domain';

/**
 * Geographical-indication regimes (DOMAIN.md §4): 农产品地理标志 (AGI, MARA), 地理标志保护产品 (PGI,
 * now CNIPA) and 地理标志证明商标/集体商标 (GI trademark).
 */
export const GI_REGIMES = ['agi', 'pgi', 'gi_trademark'] as const;
export type GiRegime = (typeof GI_REGIMES)[number];

export const GI_REGIME_NAMES: Record<GiRegime, string> = {
  agi: '农产品地理标志',
  pgi: '地理标志保护产品',
  gi_trademark: '地理标志证明商标/集体商标',
};

export const GI_STATUSES = ['active', 'revoked'] as const;
export type GiStatus = (typeof GI_STATUSES)[number];

/** A protected area's optional bounding box (WGS-84 degrees): the marks engine's scope box. */
export type { BoundingBox } from '../../marks/domain';

const FORMATS: Record<GiRegime, { pattern: RegExp; example: string; text: string }> = {
  // 农产品地理标志登记证书编号: AGI + 5 digits, e.g. AGI02738 涪城芦笋.
  agi: { pattern: /^AGI\d{5}$/, example: 'AGI02738', text: 'AGI followed by 5 digits' },
  // Trademark registration numbers are all digits (CNIPA 商标注册号).
  gi_trademark: { pattern: /^\d{6,9}$/, example: '7014512', text: '6 to 9 digits (the trademark registration number)' },
  // PGI records are known by their announcement (e.g. 国家质检总局公告2005年第78号) or a registry
  // reference: no single published number format, so only the characters are checked.
  pgi: { pattern: /^[\p{Script=Han}A-Z0-9〔〕[\]（）()\-/]{2,60}$/u, example: '质检总局公告2005年第78号', text: '2–60 characters: Chinese, capitals, digits, brackets, - or /' },
};

/** Normalises and checks a registration number for its regime; INVALID_GI_REGISTRATION_NUMBER names the field. */
export function parseRegistrationNumber(regime: GiRegime, raw: unknown, field = 'registrationNumber'): string {
  const value = typeof raw === 'string' ? raw.trim().toUpperCase().replace(/\s+/g, '') : '';
  const format = FORMATS[regime];
  if (!format.pattern.test(value)) {
    throw new DomainError('INVALID_GI_REGISTRATION_NUMBER', `${field} for ${regime} must be ${format.text}, e.g. ${format.example}`, {
      field, rule: `format_${regime}`,
    });
  }
  return value;
}

/** AGI quality specifications are numbered AGI<year>-<batch>-<serial> (e.g. AGI2019-03-2738); others are free text (a standard number). */
export function parseSpecReference(raw: string | null | undefined, field = 'specReference'): string | null {
  const value = raw?.trim() ?? '';
  if (!value) return null;
  if (/^AGI/i.test(value) && !/^AGI\d{4}-\d{2}-\d{3,5}$/.test(value.toUpperCase())) {
    throw new DomainError('INVALID_GI_SPEC_REFERENCE', `${field}: an AGI specification number looks like AGI2019-03-2738`, { field, rule: 'format_agi_spec' });
  }
  return /^AGI/i.test(value) ? value.toUpperCase() : value;
}

/**
 * The protected area as GB/T 2260 codes: every code must be current; duplicates and codes already
 * covered by another listed code (a county inside a listed prefecture) are dropped.
 */
export function parseAreaCodes(raw: unknown, field = 'areaCodes'): string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new DomainError('INVALID_REGION_CODE', `${field} must list at least one GB/T 2260 code`, { field, rule: 'required' });
  }
  const codes = raw.map((code, i) => {
    const f = `${field}[${i}]`;
    if (typeof code !== 'string' || !/^\d{6}$/.test(code.trim())) {
      throw new DomainError('INVALID_REGION_CODE', `${f} must be a 6-digit GB/T 2260 code`, { field: f, rule: 'format' });
    }
    if (!findRegion(code.trim())) {
      throw new DomainError('INVALID_REGION_CODE', `${f} ${code} is not a current GB/T 2260 region code`, { field: f, rule: 'known_code' });
    }
    return code.trim();
  });
  const unique = [...new Set(codes)];
  return unique.filter((code) => !unique.some((other) => other !== code && isWithinRegion(code, other))).sort();
}

export function parseBoundingBox(raw: BoundingBox | null | undefined, field = 'boundingBox'): BoundingBox | null {
  if (!raw) return null;
  const { minLat, minLng, maxLat, maxLng } = raw;
  const numbers = [minLat, minLng, maxLat, maxLng];
  if (numbers.some((n) => typeof n !== 'number' || !Number.isFinite(n))) {
    throw new DomainError('INVALID_BOUNDING_BOX', `${field} needs numeric minLat, minLng, maxLat, maxLng`, { field, rule: 'numbers' });
  }
  if (minLat < -90 || maxLat > 90 || minLng < -180 || maxLng > 180 || minLat >= maxLat || minLng >= maxLng) {
    throw new DomainError('INVALID_BOUNDING_BOX', `${field} must have minLat < maxLat and minLng < maxLng within WGS-84 ranges`, { field, rule: 'range' });
  }
  return { minLat, minLng, maxLat, maxLng };
}
