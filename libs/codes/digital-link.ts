import { isCalendarDate } from './calendar-date';
import { assertSet82Value, encodeSet82Component } from './gs1-set82';
import { normalizeGtin } from './gtin';
import { invalid, requireString } from './invalid-input';
import { DomainError } from '../errors';

const CODE = 'INVALID_DIGITAL_LINK';
/** A URI longer than this is not one we built; refusing early keeps parsing cheap. */
const MAX_URI_LENGTH = 2048;

/** Key qualifiers of AI 01, in the only order GS1 Digital Link allows (22 → 10 → 21). */
const QUALIFIERS = [
  { ai: '22', name: 'cpv' },
  { ai: '10', name: 'lot' },
  { ai: '21', name: 'serial' },
] as const;
type QualifierName = (typeof QUALIFIERS)[number]['name'];

/** Data attributes carried in the query string, all YYMMDD. */
const ATTRIBUTES = [
  { ai: '17', name: 'expiry' },
  { ai: '11', name: 'productionDate' },
  { ai: '7007', name: 'harvestDate' },
] as const;
type AttributeName = (typeof ATTRIBUTES)[number]['name'];

export type DigitalLinkAttributes = Partial<Record<AttributeName, string>>;

export interface DigitalLinkParts {
  gtin: string;
  cpv?: string;
  lot?: string;
  serial?: string;
  query?: DigitalLinkAttributes;
}

export interface ParsedDigitalLink {
  /** Always the GTIN-14. */
  gtin: string;
  cpv?: string;
  lot?: string;
  serial?: string;
  attributes: DigitalLinkAttributes;
  /** Non-GS1 query parameters such as `linkType` and `context`, decoded. */
  params: Record<string, string>;
}

/** `https://host[/prefix]/01/{gtin14}[/22/{cpv}][/10/{lot}][/21/{serial}][?17=…&11=…&7007=…]` */
export function buildDigitalLink(baseUrl: string, parts: DigitalLinkParts): string {
  return stemOf(baseUrl) + buildDigitalLinkPath(parts);
}

/** The same URI without the host: what the resolver matches and what EPCIS lot URIs end with. */
export function buildDigitalLinkPath(parts: DigitalLinkParts): string {
  if (typeof parts !== 'object' || parts === null) throw invalid(CODE, 'parts', 'type', 'Digital Link parts missing');
  let path = `/01/${digitalLinkGtin(parts.gtin)}`;
  for (const { ai, name } of QUALIFIERS) {
    const value = parts[name];
    if (value === undefined) continue;
    assertSet82Value(requireString(value, CODE, name), CODE, name);
    path += `/${ai}/${encodeSet82Component(value)}`;
  }
  const query = ATTRIBUTES.filter(({ name }) => parts.query?.[name] !== undefined).map(({ ai, name }) => {
    const value = requireString(parts.query?.[name], CODE, name);
    assertYymmdd(value, name);
    return `${ai}=${value}`;
  });
  return query.length ? `${path}?${query.join('&')}` : path;
}

/** Parses `/01/{gtin}/…?…` (the path and query of a request on our own host). */
export function parseDigitalLinkPath(pathWithOptionalQuery: unknown): ParsedDigitalLink {
  const text = requireString(pathWithOptionalQuery, CODE, 'path');
  if (text.length > MAX_URI_LENGTH) {
    throw invalid(CODE, 'path', 'length', `Digital Link longer than ${MAX_URI_LENGTH} characters`);
  }
  // Browsers never send a fragment, so one here is pasted garbage rather than something to drop.
  if (text.includes('#')) throw invalid(CODE, 'path', 'structure', 'Digital Link must not contain #');
  const q = text.indexOf('?');
  const parsed = parsePath(q < 0 ? text : text.slice(0, q));
  return { ...parsed, ...parseQuery(q < 0 ? '' : text.slice(q + 1)) };
}

function parsePath(path: string): Pick<ParsedDigitalLink, 'gtin' | QualifierName> {
  const segments = path.split('/');
  if (segments.shift() !== '' || segments.length % 2 !== 0 || segments.some((s) => s === '')) {
    throw invalid(CODE, 'path', 'structure', 'Digital Link path must be /01/{gtin} followed by key/value pairs');
  }
  if (segments[0] !== '01') throw invalid(CODE, 'path', 'structure', 'Digital Link path must start with /01/');
  const result: Pick<ParsedDigitalLink, 'gtin' | QualifierName> = { gtin: digitalLinkGtin(decode(segments[1], 'gtin')) };
  let last = -1;
  for (let i = 2; i < segments.length; i += 2) {
    const index = qualifierIndex(segments[i], last, result);
    const { name } = QUALIFIERS[index];
    const value = decode(segments[i + 1], name);
    assertSet82Value(value, CODE, name);
    result[name] = value;
    last = index;
  }
  return result;
}

function qualifierIndex(ai: string, last: number, seen: Partial<Record<QualifierName, string>>): number {
  if (ai === '01') throw invalid(CODE, 'gtin', 'duplicate', 'AI 01 appears twice');
  const index = QUALIFIERS.findIndex((q) => q.ai === ai);
  if (index < 0) throw invalid(CODE, 'path', 'unknown_qualifier', 'path holds an AI that does not qualify a GTIN');
  const { name } = QUALIFIERS[index];
  if (seen[name] !== undefined) throw invalid(CODE, name, 'duplicate', `AI ${ai} appears twice`);
  if (index < last) throw invalid(CODE, name, 'qualifier_order', 'qualifiers must appear in the order 22, 10, 21');
  return index;
}

function parseQuery(query: string): Pick<ParsedDigitalLink, 'attributes' | 'params'> {
  const attributes: DigitalLinkAttributes = {};
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq), 'query', true);
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1), 'query', true);
    const attribute = ATTRIBUTES.find((a) => a.ai === key);
    if (attribute) {
      if (attributes[attribute.name] !== undefined) {
        throw invalid(CODE, attribute.name, 'duplicate', `AI ${key} appears twice`);
      }
      assertYymmdd(value, attribute.name);
      attributes[attribute.name] = value;
    } else if (/^\d+$/.test(key)) {
      throw invalid(CODE, 'query', 'unknown_attribute', 'query holds an AI this platform does not use');
    } else {
      if (params.has(key)) throw invalid(CODE, 'query', 'duplicate', 'a query parameter appears twice');
      params.set(key, value);
    }
  }
  // fromEntries defines own properties, so a `__proto__` key cannot touch the prototype.
  return { attributes, params: Object.fromEntries(params) };
}

/**
 * Strict percent-decoding: a bare `%` or a byte sequence that is not UTF-8 is an `encoding`
 * error. `decodeURIComponent` reports both as URIError, which must not escape as a 500.
 */
function decode(raw: string, field: string, formEncoded = false): string {
  const text = formEncoded ? raw.replace(/\+/g, ' ') : raw;
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) throw invalid(CODE, field, 'encoding', `malformed percent-encoding in ${field}`);
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(CODE, field, 'encoding', `percent-encoding in ${field} is not UTF-8`);
  }
}

function digitalLinkGtin(raw: unknown): string {
  try {
    return normalizeGtin(raw);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw invalid(CODE, 'gtin', 'gtin', error.message, { reason: error.details?.rule });
  }
}

/** GS1 dates: DD = 00 means "end of month"; YY alone decides leap years within 2000–2099. */
function assertYymmdd(value: string, field: string): void {
  const ok =
    /^\d{6}$/.test(value) &&
    (value.slice(4) === '00'
      ? isCalendarDate(2000, Number(value.slice(2, 4)), 1)
      : isCalendarDate(2000 + Number(value.slice(0, 2)), Number(value.slice(2, 4)), Number(value.slice(4))));
  if (!ok) throw invalid(CODE, field, 'date', `${field} must be a date YYMMDD`);
}

function stemOf(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(requireString(baseUrl, CODE, 'baseUrl'));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalid(CODE, 'baseUrl', 'base_url', 'base URL is not a URL');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw invalid(CODE, 'baseUrl', 'base_url', 'base URL must be http(s) without query, fragment or credentials');
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}
