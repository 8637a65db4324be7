import { randomBytes } from 'node:crypto';
import { isCalendarDate } from './calendar-date';
import { invalid, requireString } from './invalid-input';

/**
 * Crockford base32, upper case. Upper case keeps a URL's code inside QR alphanumeric mode,
 * which is what keeps printed labels at QR version ≤ 4. Every character is also in GS1 set 82.
 */
export const TRACE_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 13 × 5 bits = 65 random bits: unguessable, and collisions are negligible at any volume we print. */
const TRACE_CODE_LENGTH = 13;
/** One print run is bounded so a typo in a request cannot allocate gigabytes. */
const MAX_TRACE_CODES_PER_CALL = 1_000_000;
const CODE = 'INVALID_TRACE_CODE';
const TRACE_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{13}$/;
const ALPHABET_BYTES = Buffer.from(TRACE_CODE_ALPHABET, 'latin1');
/** Longer than any code typed with separators: refuse before normalising a pasted essay. */
const MAX_TYPED_LENGTH = 64;

export function generateTraceCode(): string {
  return randomAlphabetBuffer(TRACE_CODE_LENGTH).toString('latin1');
}

/** n distinct codes from one randomBytes call: 100k take ~30–100 ms on the 2-core machines. */
export function generateTraceCodes(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_TRACE_CODES_PER_CALL) {
    throw invalid('INVALID_TRACE_CODE_COUNT', 'count', 'range', `count must be an integer 0–${MAX_TRACE_CODES_PER_CALL}`);
  }
  // A duplicate within one batch is ~1e-10 likely at 100k, but a Set makes "distinct" a guarantee.
  const codes = new Set<string>();
  while (codes.size < n) {
    const missing = n - codes.size;
    const chars = randomAlphabetBuffer(missing * TRACE_CODE_LENGTH);
    for (let i = 0; i < missing; i++) {
      codes.add(chars.toString('latin1', i * TRACE_CODE_LENGTH, (i + 1) * TRACE_CODE_LENGTH));
    }
  }
  return [...codes];
}

/** Exact format check, no normalisation: for values read back from our own database and URLs. */
export function isTraceCodeFormat(s: unknown): boolean {
  return typeof s === 'string' && TRACE_CODE_PATTERN.test(s);
}

/**
 * What a person typed → the canonical code. Crockford's rules: case-insensitive, O reads as 0,
 * I and L as 1; spaces and hyphens are for readability only. U is not in the alphabet.
 */
export function normalizeTraceCodeInput(s: unknown): string {
  const raw = requireString(s, CODE, 'traceCode');
  if (raw.length > MAX_TYPED_LENGTH) throw invalid(CODE, 'traceCode', 'length', 'trace code is too long');
  const value = raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]*$/.test(value)) {
    throw invalid(CODE, 'traceCode', 'charset', 'trace code contains a character outside Crockford base32');
  }
  if (value.length !== TRACE_CODE_LENGTH) {
    throw invalid(CODE, 'traceCode', 'length', `trace code must have ${TRACE_CODE_LENGTH} characters`);
  }
  return value;
}

/** `YYMMDD` of the production date + 4 random characters: readable on a label, 10 chars of set 82. */
export function generateLotCode(producedOn: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(requireString(producedOn, 'INVALID_LOT_CODE', 'producedOn'));
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw invalid('INVALID_LOT_CODE', 'producedOn', 'date', 'producedOn must be a date YYYY-MM-DD');
  }
  return match[1].slice(2) + match[2] + match[3] + randomAlphabetBuffer(4).toString('latin1');
}

/**
 * `length` characters of the alphabet as ASCII bytes. The random bytes are read as one bit
 * stream, 5 bits per character, so no bits are wasted and no modulo bias is introduced.
 */
function randomAlphabetBuffer(length: number): Buffer {
  const random = randomBytes(Math.ceil((length * 5) / 8));
  const out = Buffer.allocUnsafe(length);
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < random.length; i++) {
    // After each byte at most 4 unread bits remain, so 12 bits of accumulator are enough.
    acc = ((acc << 8) | random[i]) & 0xfff;
    bits += 8;
    while (bits >= 5 && j < length) {
      bits -= 5;
      out[j++] = ALPHABET_BYTES[(acc >> bits) & 31];
    }
  }
  return out;
}
