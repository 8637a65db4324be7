import { DomainError } from '../../../../libs/errors';
import { findRegion } from '../../regions/domain';
import { NumberFormat, SCHEME_DEFINITIONS, type MarkScheme } from './mark-schemes';

/** A checked number and the format it matched (with that format's `verified` flag). */
export interface ParsedNumber {
  value: string;
  format: string;
  verified: boolean;
}

const FREE_TEXT = /^[\p{Script=Han}A-Z0-9〔〕[\]（）()\-/]{2,60}$/u;

/** Numbers are compared without spaces and in capitals (certificates are typed from paper). */
export function normalizeNumber(raw: unknown): string {
  return typeof raw === 'string' ? raw.normalize('NFKC').trim().toUpperCase().replace(/\s+/g, '') : '';
}

/** Formats are data (patterns as text); each is compiled once, not once per number (an import checks 10,000). */
const compiled = new Map<string, RegExp>();
const regexOf = (pattern: string): RegExp => {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(pattern, 'u')));
  return re;
};

function matching(formats: NumberFormat[], value: string): NumberFormat | undefined {
  // A verified format wins over an unverified one that also matches.
  return formats.find((f) => f.verified && regexOf(f.pattern).test(value)) ?? formats.find((f) => !f.verified && regexOf(f.pattern).test(value));
}

/** The certificate (or licence) number of a scheme; INVALID_MARK_NUMBER names the field and each accepted form. */
export function parseMarkNumber(scheme: MarkScheme, raw: unknown, field = 'number'): ParsedNumber {
  const value = normalizeNumber(raw);
  const formats = SCHEME_DEFINITIONS[scheme].numberFormats;
  if (formats.length === 0) {
    if (FREE_TEXT.test(value)) return { value, format: 'free', verified: true };
    throw new DomainError('INVALID_MARK_NUMBER', `${field} must be 2–60 characters: Chinese, capitals, digits, brackets, - or /`, { field, rule: 'format_free' });
  }
  const format = matching(formats, value);
  if (!format) {
    throw new DomainError('INVALID_MARK_NUMBER', `${field} for ${scheme} must be ${formats.map((f) => `${f.description} (e.g. ${f.example})`).join('; or ')}`, {
      field, rule: `format_${scheme}`, allowed: formats.map((f) => f.pattern),
    });
  }
  return { value, format: format.id, verified: format.verified };
}

/**
 * 绿色食品 enterprise code: GF + 12 digits whose first six are a current county code (GB/T 2260),
 * then a 2-digit year and a 4-digit serial.
 */
export function parseEnterpriseCode(raw: unknown, field = 'enterpriseCode'): ParsedNumber {
  const format = SCHEME_DEFINITIONS.green_food.enterpriseCode!;
  const value = normalizeNumber(raw);
  if (!regexOf(format.pattern).test(value)) {
    throw new DomainError('INVALID_ENTERPRISE_CODE', `${field} must be ${format.description}, e.g. ${format.example}`, { field, rule: 'format' });
  }
  const county = value.slice(2, 8);
  if (findRegion(county)?.level !== 'county') {
    throw new DomainError('INVALID_ENTERPRISE_CODE', `${field}: ${county} is not a current county code (GB/T 2260)`, { field, rule: 'county_code', countyCode: county });
  }
  return { value, format: format.id, verified: format.verified };
}

/** One 有机码 as printed (digits only; spaces and dashes people type between groups are dropped). */
export function parseOrganicCode(raw: unknown, field = 'code'): string {
  const format = SCHEME_DEFINITIONS.organic.labelCode!;
  const value = typeof raw === 'string' ? raw.normalize('NFKC').replace(/[\s-]/g, '') : typeof raw === 'number' ? '' : '';
  if (!regexOf(format.pattern).test(value)) {
    throw new DomainError('INVALID_ORGANIC_CODE', `${field} must be ${format.description}`, { field, rule: 'format', verified: format.verified });
  }
  return value;
}
