import { DomainError } from '../../../../libs/errors';
import type { InputKind } from './input-kinds';

/**
 * Registration-number formats, as data (DOMAIN.md §8). Only the pesticide forms are confirmed by
 * the domain reference; the others are approximations from secondary sources and say so
 * (`verified: false`): correct this table, not the code, when an official source says otherwise.
 */
export interface RegistrationFormat {
  kind: InputKind;
  /** Anchored pattern over the normalised number (upper case, full-width brackets as half-width). */
  pattern: RegExp;
  /** Old or temporary forms seen on old stock: accepted, flagged as legacy. */
  legacy: boolean;
  label: string;
  verified: boolean;
  source: string;
}

export const REGISTRATION_FORMATS: readonly RegistrationFormat[] = [
  { kind: 'pesticide', pattern: /^(PD|WP)\d{8}$/, legacy: false, label: '农药登记证号 PD/WP + 8 位数字', verified: true, source: 'DOMAIN.md §8; 《农药管理条例》(2017)' },
  { kind: 'pesticide', pattern: /^(LS|WL)\d{8}$/, legacy: true, label: '临时登记证号 LS/WL + 8 位数字', verified: true, source: 'DOMAIN.md §8 (old and temporary forms)' },
  { kind: 'pesticide', pattern: /^PDN\d{1,8}(-\d{1,4})?$/, legacy: true, label: '旧登记证号 PDN…', verified: true, source: 'DOMAIN.md §8 (old forms)' },
  { kind: 'pesticide', pattern: /^PD8\d{3,7}(-\d{1,4})?$/, legacy: true, label: '旧登记证号 PD85…', verified: true, source: 'DOMAIN.md §8 (old forms)' },
  { kind: 'fertiliser', pattern: /^[\u4e00-\u9fa5]{1,8}\(\d{4}\)[\u4e00-\u9fa5]{0,4}字\(?\d{1,6}\)?号$/, legacy: false, label: '肥料登记证号，如 农肥(2020)准字1234号', verified: false, source: '农业农村部肥料登记 (secondary source)' },
  { kind: 'veterinary_drug', pattern: /^兽药字\(?\d{4}\)?\d{6,10}$/, legacy: false, label: '兽药产品批准文号，如 兽药字(2020)150011234', verified: false, source: '《兽药产品批准文号管理办法》(secondary source)' },
  { kind: 'seed', pattern: /^[\u4e00-\u9fa5]{1,4}审[\u4e00-\u9fa5]{1,2}\d{6,10}$|^GPD[\u4e00-\u9fa5]{1,6}\(\d{4}\)\d{4,8}$/, legacy: false, label: '品种审定编号 (川审稻20200001) 或登记编号 GPD…', verified: false, source: '《主要农作物品种审定办法》(secondary source)' },
  { kind: 'feed', pattern: /^[\u4e00-\u9fa5]{1,2}饲(证|预)\(\d{4}\)\d{4,6}$/, legacy: false, label: '饲料生产许可证号，如 川饲证(2020)01001', verified: false, source: '《饲料和饲料添加剂生产许可管理办法》(secondary source)' },
];

export interface RegistrationNumber {
  value: string;
  legacy: boolean;
  /** Whether the format that matched is confirmed (`verified`) in the table above. */
  formatVerified: boolean;
}

/** Upper case; full-width brackets and spaces as typed on forms normalised. */
export function normaliseRegistrationNumber(input: string): string {
  return input.trim().replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '').toUpperCase();
}

/**
 * The registration number of an input of `kind`, checked against the formats of that kind.
 * Throws INVALID_REGISTRATION_NUMBER naming the field and the expected forms.
 */
export function parseRegistrationNumber(kind: InputKind, input: unknown, field = 'registrationNumber'): RegistrationNumber {
  const text = typeof input === 'string' ? normaliseRegistrationNumber(input) : '';
  const formats = REGISTRATION_FORMATS.filter((f) => f.kind === kind);
  const match = text.length > 0 && text.length <= 40 ? formats.find((f) => f.pattern.test(text)) : undefined;
  if (!match) {
    throw new DomainError('INVALID_REGISTRATION_NUMBER', `${field} is not a ${kind} registration number (${formats.map((f) => f.label).join('; ')})`, {
      field, rule: 'registration_format', expected: formats.map((f) => f.label),
    });
  }
  return { value: text, legacy: match.legacy, formatVerified: match.verified };
}

/**
 * The six digits a pesticide label code (单元识别代码) repeats: the last six digits of the
 * registration number. Null when the number has fewer than six digits at its end.
 */
export function labelDigitsOf(registrationNumber: string): string | null {
  const digits = /(\d{6})$/.exec(registrationNumber.replace(/-\d{1,4}$/, ''));
  return digits ? digits[1] : null;
}
