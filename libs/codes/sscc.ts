import { gtinCheckDigit } from './gtin';
import { invalid, normalizeTyped, passes, requireString } from './invalid-input';

/**
 * SSCC (Serial Shipping Container Code, AI 00): extension digit + GS1 company prefix + serial
 * reference (together 17 digits) + GS1 mod-10 check digit = 18 digits. Identifies one logistic unit.
 */
export function normalizeSscc(input: unknown, field = 'sscc'): string {
  const value = normalizeTyped(requireString(input, 'INVALID_SSCC', field));
  if (!/^\d{18}$/.test(value)) throw invalid('INVALID_SSCC', field, 'format', 'An SSCC has exactly 18 digits');
  const expected = gtinCheckDigit(value.slice(0, 17));
  if (value[17] !== expected) throw invalid('INVALID_SSCC', field, 'check_digit', 'SSCC check digit is wrong', { expected });
  return value;
}

export function isValidSscc(input: unknown): boolean {
  return passes(() => normalizeSscc(input));
}

/** A GS1 company prefix: 6 to 12 digits (GS1 China's start 690–699). */
export function normalizeCompanyPrefix(input: unknown, field = 'gs1CompanyPrefix'): string {
  const value = normalizeTyped(requireString(input, 'INVALID_GS1_COMPANY_PREFIX', field));
  if (!/^\d{6,12}$/.test(value)) throw invalid('INVALID_GS1_COMPANY_PREFIX', field, 'format', 'A GS1 company prefix has 6 to 12 digits');
  return value;
}

/** How many serial references a company prefix leaves per extension digit (10^(16 − prefix length)). */
export function ssccCapacity(companyPrefix: string): bigint {
  return 10n ** BigInt(16 - companyPrefix.length);
}

/** The SSCC of one serial reference (0 ≤ serial < capacity). */
export function buildSscc(extensionDigit: number, companyPrefix: string, serial: bigint): string {
  const reference = serial.toString().padStart(16 - companyPrefix.length, '0');
  if (!Number.isInteger(extensionDigit) || extensionDigit < 0 || extensionDigit > 9 || serial < 0n || serial >= ssccCapacity(companyPrefix)) {
    throw invalid('INVALID_SSCC', 'sscc', 'range', 'Extension digit or serial reference out of range');
  }
  const body = `${extensionDigit}${companyPrefix}${reference}`;
  return body + gtinCheckDigit(body);
}

/**
 * The SSCC a scanner read, as scanners and people send it: the 18 digits, the element string with
 * its AI — `00…`, `(00)…`, `]C1` symbology identifier, spaces —, or its GS1 Digital Link
 * (`…/00/{sscc}`). Anything else is refused as INVALID_SSCC.
 */
/** FNC1 as scanners transmit it inside a GS1-128 (ASCII GS). */
const GROUP_SEPARATOR = String.fromCharCode(29);

export function ssccFromScan(input: unknown, field = 'sscc'): string {
  const raw = requireString(input, 'INVALID_SSCC', field).trim();
  const link = /\/00\/(\d{18})(?:[/?#]|$)/.exec(raw);
  let value = link ? link[1] : raw.replace(/^\]C1/, '').split(GROUP_SEPARATOR).join('').replace(/[\s()]/g, '');
  if (/^00\d{18}$/.test(value)) value = value.slice(2);
  return normalizeSscc(value, field);
}
