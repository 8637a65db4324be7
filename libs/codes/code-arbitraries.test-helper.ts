// Shared fast-check arbitraries and assertions for the libs/codes specs (not exported from index).
import fc from 'fast-check';
import { DomainError } from '../errors';
import { completeUscc, USCC_CHARSET } from './uscc';
import { gtinCheckDigit } from './gtin';
import { idNumberCheckCharacter } from './id-number';

export const SET82_CHARS = [...'!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'];

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const usccChars = (n: number) => fc.string({ unit: fc.constantFrom(...USCC_CHARSET), minLength: n, maxLength: n });

export const usccFirst16 = fc
  .tuple(usccChars(2), digits(6), usccChars(8))
  .map(([prefix, region, body]) => prefix + region + body);
export const validUscc = usccFirst16.map(completeUscc);

export const validGtin = fc
  .constantFrom(7, 11, 12, 13)
  .chain(digits)
  .map((data) => data + gtinCheckDigit(data));

export const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
export const validIdNumber = fc
  .tuple(digits(6), birthDate, digits(3))
  .map(([region, date, seq]) => region + date.replaceAll('-', '') + seq)
  .map((first17) => first17 + idNumberCheckCharacter(first17));

/** A valid lot/serial/CPV: 1–20 set-82 characters, not a "." or ".." path segment. */
export const set82Value = fc
  .string({ unit: fc.constantFrom(...SET82_CHARS), minLength: 1, maxLength: 20 })
  .filter((v) => v !== '.' && v !== '..');
export const yymmdd = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(2, 10).replaceAll('-', ''));

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) });

/** Anything a client could send: text of every kind, very long text, and non-strings from JSON. */
export const hostileInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  loneSurrogates,
  fc.string({ minLength: 1000, maxLength: 5000 }),
  fc.anything(),
);

/** Runs fn; a DomainError (with field and rule) is fine, anything else is returned as a failure. */
export function expectOnlyDomainErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const { details } = error as DomainError;
    expect(typeof details?.field).toBe('string');
    expect(typeof details?.rule).toBe('string');
  }
}

/** The DomainError fn throws, or a test failure if it throws nothing or something else. */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

/** Every other character of `alphabet` at one position of `value`. */
export function substitutions(value: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    for (const ch of alphabet) if (ch !== value[i]) out.push(value.slice(0, i) + ch + value.slice(i + 1));
  }
  return out;
}
