import type { ErrorCode } from '../errors';
import { invalid } from './invalid-input';

/**
 * GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1):
 * ! " % & ' ( ) * + , - . / 0–9 : ; < = > ? A–Z _ a–z. All ASCII, so one char is one byte.
 */
const SET82 = /^[\x21\x22\x25-\x3F\x41-\x5A\x5F\x61-\x7A]*$/;
/** URI unreserved characters that are also in set 82 (`~` is not): these stay literal. */
const LITERAL = /[0-9A-Za-z\-._]/;
/** Longest lot, serial or CPV (AI 10, 21, 22 are all X..20). */
const MAX_SET82_VALUE_LENGTH = 20;

export function isSet82(value: string): boolean {
  return typeof value === 'string' && SET82.test(value);
}

/**
 * Percent-encodes one path segment per GS1 Digital Link: every set-82 character outside the URI
 * unreserved set is encoded. `encodeURIComponent` would leave ! ' ( ) * bare, which the GS1
 * grammar does not allow inside a value.
 */
export function encodeSet82Component(value: string): string {
  if (!isSet82(value)) {
    throw invalid('INVALID_DIGITAL_LINK', 'value', 'charset', 'only GS1 set-82 characters can be encoded');
  }
  let out = '';
  for (const ch of value) {
    out += LITERAL.test(ch) ? ch : `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** 1–20 characters of set 82: the shape shared by lot, serial and CPV. */
export function assertSet82Value(value: string, code: ErrorCode, field: string): void {
  if (!isSet82(value)) {
    throw invalid(code, field, 'charset', `${field} may only contain GS1 set-82 characters`);
  }
  if (value.length < 1 || value.length > MAX_SET82_VALUE_LENGTH) {
    throw invalid(code, field, 'length', `${field} must have 1 to ${MAX_SET82_VALUE_LENGTH} characters`, {
      max: MAX_SET82_VALUE_LENGTH,
    });
  }
  // URL parsers drop "." and ".." path segments, even as %2E: such a value would vanish from a
  // Digital Link between the QR and our server.
  if (value === '.' || value === '..') {
    throw invalid(code, field, 'dot_segment', `${field} cannot be "." or ".." (URLs drop such segments)`);
  }
}
