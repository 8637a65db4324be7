import { randomBytes } from 'node:crypto';

/**
 * Certificate numbers are for people (printed, typed at a market stall): region of the batch,
 * issue date, and a sequence per region and day — `510131-20261127-00042`. They are guessable,
 * so the public page is keyed by an unguessable token instead (128 random bits, base64url).
 */
export function formatCertificateNumber(regionCode: string, issuedOn: string, sequence: number): string {
  return `${numberingOf(regionCode, issuedOn).numberPrefix}${String(sequence).padStart(5, '0')}`;
}

/** The sequence a number is taken from (one per region and day) and the part of the number before it. */
export function numberingOf(regionCode: string, issuedOn: string): { scope: string; numberPrefix: string } {
  const day = issuedOn.replaceAll('-', '');
  return { scope: `${regionCode}${day}`, numberPrefix: `${regionCode}-${day}-` };
}

const NUMBER_FORMAT = /^\d{6}-\d{8}-\d{5,}$/;

/** Accepts what people type: surrounding spaces, full-width digits and dashes, no dashes at all. */
export function normalizeCertificateNumber(input: string): string | null {
  const compact = input.normalize('NFKC').trim().replace(/[\s\u2010-\u2015\u2212－]/g, '-').replace(/-/g, '');
  if (!/^\d{19,}$/.test(compact)) return null;
  const number = `${compact.slice(0, 6)}-${compact.slice(6, 14)}-${compact.slice(14)}`;
  return NUMBER_FORMAT.test(number) ? number : null;
}

export function newCertificateToken(): string {
  return randomBytes(16).toString('base64url');
}

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{22}$/;

export function isCertificateToken(value: string): boolean {
  return TOKEN_FORMAT.test(value);
}

/**
 * What a purchaser scanned or typed: a certificate URL (…/c/{token}), a bare token, or a number.
 * Returns null when it is none of them.
 */
export function parseCertificateReference(input: string): { token: string } | { number: string } | null {
  const trimmed = input.trim();
  const fromUrl = /\/c\/([A-Za-z0-9_-]{22})(?:[/?#].*)?$/.exec(trimmed);
  if (fromUrl) return { token: fromUrl[1] };
  if (isCertificateToken(trimmed)) return { token: trimmed };
  const number = normalizeCertificateNumber(trimmed);
  return number ? { number } : null;
}
