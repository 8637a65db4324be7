import { DomainError } from '../../../../libs/errors';
import { labelDigitsOf } from './registration-number';

/**
 * The 32-digit 单元识别代码 on a pesticide label QR (农业部公告第2579号, from a secondary source —
 * DOMAIN.md §8 asks to verify it; the layout is kept in this one place):
 * digit 1 registration category, 2–7 the last six digits of the registration number, 8 production
 * type (1 holder, 2 contract manufacture, 3 contract repacking), 9–11 spec code, 12–32 random.
 */
export const LABEL_CODE_LAYOUT = { verified: false, source: '农业部公告第2579号 (secondary source)' } as const;

export const PRODUCTION_TYPES = { '1': 'holder', '2': 'contract_manufacture', '3': 'contract_repacking' } as const;
export type ProductionType = (typeof PRODUCTION_TYPES)[keyof typeof PRODUCTION_TYPES];

export interface LabelCode {
  code: string;
  category: string;
  registrationDigits: string;
  productionType: ProductionType;
  specCode: string;
  serial: string;
}

function invalid(field: string, rule: string, message: string): DomainError {
  return new DomainError('INVALID_LABEL_CODE', `${field} ${message}`, { field, rule });
}

/**
 * Reads a label code as scanned: the 32 digits alone, or a URL / text whose last 32-digit run is
 * the code (labels print it inside a URL). Throws INVALID_LABEL_CODE naming the field and rule.
 */
export function parseLabelCode(input: unknown, field = 'labelCode'): LabelCode {
  if (typeof input !== 'string' || input.length === 0 || input.length > 500) throw invalid(field, 'format', 'must be the 32-digit code of the label (单元识别代码)');
  const runs = input.match(/\d+/g) ?? [];
  const code = [...runs].reverse().find((r) => r.length === 32);
  if (!code) throw invalid(field, 'length', 'must contain the 32-digit code of the label (单元识别代码)');
  const productionType = PRODUCTION_TYPES[code[7] as keyof typeof PRODUCTION_TYPES];
  if (!productionType) throw invalid(field, 'production_type', 'digit 8 (production type) must be 1, 2 or 3');
  return { code, category: code[0], registrationDigits: code.slice(1, 7), productionType, specCode: code.slice(8, 11), serial: code.slice(11) };
}

/** Refuses a label code whose digits 2–7 are not the last six digits of the input's registration number. */
export function assertLabelMatches(label: LabelCode, registrationNumber: string | null, field = 'labelCode'): void {
  const expected = registrationNumber ? labelDigitsOf(registrationNumber) : null;
  if (expected === null || expected !== label.registrationDigits) {
    throw new DomainError('LABEL_CODE_MISMATCH', `${field}: digits 2–7 (${label.registrationDigits}) do not match the registration number ${registrationNumber ?? '(none)'}`, {
      field, rule: 'matches_registration', expected, actual: label.registrationDigits,
    });
  }
}
