/**
 * The quality-mark schemes (三品一标, DOMAIN.md §9) as data: number formats, how long a certificate
 * may run, who may use it, whether batches may claim it. Formats DOMAIN.md marks as unverified carry
 * `verified: false`; a number matching only such a format is accepted and stored with that flag, so
 * regulators can tell a checked number from a plausible one.
 */

export const MARK_SCHEMES = ['green_food', 'organic', 'organic_conversion', 'regional_brand', 'gi'] as const;
export type MarkScheme = (typeof MARK_SCHEMES)[number];

/** Schemes whose records live in this feature's registry; GI records stay in the GI registry (/api/v1/gi). */
export const RECORDED_SCHEMES = ['green_food', 'organic', 'organic_conversion', 'regional_brand'] as const;
export type RecordedScheme = (typeof RECORDED_SCHEMES)[number];

export interface NumberFormat {
  id: string;
  /** Source of a RegExp (tested against the trimmed, upper-cased, space-free number). */
  pattern: string;
  example: string;
  description: string;
  /** false: the rule comes from a secondary source or an inference (DOMAIN.md says so). */
  verified: boolean;
}

export interface SchemeDefinition {
  id: MarkScheme;
  name: string;
  /** Empty: any 2–60 characters of Chinese, capitals, digits and brackets (licence numbers have no national format). */
  numberFormats: NumberFormat[];
  /** Longest certificate period, in years (valid_to ≤ valid_from + years); null: no rule, valid_to may be open. */
  validityYears: number | null;
  /** Enterprise code format (绿色食品 企业信息码), when the scheme has one. */
  enterpriseCode: NumberFormat | null;
  /** Per-label code format (有机码), when the scheme's labels carry one. */
  labelCode: NumberFormat | null;
  /** Holders may license other organisations (区域公用品牌, GI); otherwise only the holder uses the mark. */
  licensable: boolean;
  /** A batch may not carry this mark at all (conversion-period produce is sold as conventional). */
  claimable: boolean;
  /** Where the records are kept. */
  registry: 'marks' | 'gi';
}

const FREE_NUMBER: NumberFormat[] = [];

export const SCHEME_DEFINITIONS: Record<MarkScheme, SchemeDefinition> = {
  green_food: {
    id: 'green_food',
    name: '绿色食品',
    numberFormats: [{
      id: 'lb',
      // LB-{class}-{approval yymm}{province}{serial}{grade}: 10 or 11 digits seen on real numbers.
      pattern: '^LB-\\d{2}-\\d{10,11}A{1,2}$',
      example: 'LB-15-19012700330A',
      description: 'LB-, 2-digit class, -, 10 or 11 digits, grade A or AA',
      verified: true,
    }],
    validityYears: 3,
    enterpriseCode: {
      id: 'gf',
      pattern: '^GF\\d{12}$',
      example: 'GF510131240001',
      description: 'GF + 6-digit current county code + 2-digit year + 4-digit serial',
      verified: true,
    },
    labelCode: null,
    licensable: false,
    claimable: true,
    registry: 'marks',
  },
  organic: {
    id: 'organic',
    name: '有机产品',
    numberFormats: [
      {
        id: 'op',
        pattern: '^(\\d{3}|F\\d{2})OP\\d{7}(-\\d+)?$',
        example: '124OP2400123',
        description: 'certification-body code (3 digits, or F + 2 for foreign bodies), OP, 2-digit year, 5-digit serial, optional -n',
        verified: true,
      },
      {
        id: 'op_2022',
        pattern: '^\\d{4}OP\\d{7}(-\\d+)?$',
        example: '1240OP2200123',
        description: '2022 rule: 4-digit body code, OP, 2-digit year, 5-digit serial, optional -n (secondary source)',
        verified: false,
      },
    ],
    validityYears: 1,
    enterpriseCode: null,
    labelCode: {
      id: 'organic_code',
      pattern: '^\\d{17}$',
      example: '12424000000012345',
      description: '17 digits: body code (3) + year (2) + 12 random (the post-2024 length is unverified)',
      verified: false,
    },
    licensable: false,
    claimable: true,
    registry: 'marks',
  },
  organic_conversion: {
    id: 'organic_conversion',
    name: '有机转换',
    numberFormats: [],
    validityYears: 1,
    enterpriseCode: null,
    labelCode: null,
    licensable: false,
    claimable: false,
    registry: 'marks',
  },
  regional_brand: {
    id: 'regional_brand',
    name: '区域公用品牌',
    numberFormats: FREE_NUMBER,
    validityYears: null,
    enterpriseCode: null,
    labelCode: null,
    licensable: true,
    claimable: true,
    registry: 'marks',
  },
  gi: {
    id: 'gi',
    name: '地理标志',
    numberFormats: [{ id: 'agi', pattern: '^AGI\\d{5}$', example: 'AGI02738', description: 'AGI + 5 digits (other regimes: see /api/v1/gi)', verified: true }],
    validityYears: null,
    enterpriseCode: null,
    labelCode: null,
    licensable: true,
    claimable: true,
    registry: 'gi',
  },
};
// Conversion certificates are numbered like organic ones (the same certification bodies and series).
SCHEME_DEFINITIONS.organic_conversion.numberFormats = SCHEME_DEFINITIONS.organic.numberFormats;

export function isRecordedScheme(value: unknown): value is RecordedScheme {
  return typeof value === 'string' && (RECORDED_SCHEMES as readonly string[]).includes(value);
}
