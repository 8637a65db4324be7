/**
 * Certificate templates. Every certificate stores its template version and is always rendered with
 * that template's own heading, commitment and basis wording, however old.
 *
 * - `2026`: 《农产品质量安全承诺达标合格证管理办法》 (农业农村部令2025年第4号), in force 2026-02-01;
 *   producer and purchaser styles, three bases.
 * - `2023-four-basis`: the 承诺达标合格证 in use before it, with four bases
 *   (委托检测 / 自我检测 / 内部质量控制 / 自我承诺).
 * - `2019-trial`: the 食用农产品合格证 trial (from 2019-12); a test could be marked on it.
 * Older wordings come from the published sample forms of their time (see the closing note).
 */
export type CertificateStyle = 'producer' | 'purchaser';

export interface BasisOption {
  code: BasisCode;
  label: string;
  /** The basis needs a linked, passing test record of this tester kind. */
  needsTest?: 'self' | 'lab';
  /** The basis needs a written description of the controls (what was done, which records). */
  needsDescription?: boolean;
}

export type BasisCode = 'quality_control' | 'self_test' | 'entrusted_test' | 'internal_control' | 'self_commitment';

export interface CertificateTemplate {
  version: TemplateVersion;
  title: string;
  /** Inclusive first and last issue dates this template may carry (null: still in force). */
  from: string;
  until: string | null;
  styles: Record<CertificateStyle, { commitment: string; issuerLabel: string } | null>;
  basisOptions: BasisOption[];
  /** The producer must tick at least one basis. */
  basisRequired: boolean;
}

export const TEMPLATE_VERSIONS = ['2026', '2023-four-basis', '2019-trial'] as const;
export type TemplateVersion = (typeof TEMPLATE_VERSIONS)[number];
export const CURRENT_TEMPLATE: TemplateVersion = '2026';

export const PRODUCER_COMMITMENT_2026 = '我承诺对生产销售的食用农产品：未使用禁用农药、兽药及其他化合物；使用的常规农药、兽药残留不超标。';
export const PURCHASER_COMMITMENT_2026 = '已按规定收取并保存该批次农产品承诺达标合格证或者其他质量安全合格证明；未违规使用保鲜剂、防腐剂、添加剂等。';

export const TEMPLATES: Record<TemplateVersion, CertificateTemplate> = {
  '2026': {
    version: '2026',
    title: '承诺达标合格证',
    from: '2026-02-01',
    until: null,
    styles: {
      producer: { commitment: PRODUCER_COMMITMENT_2026, issuerLabel: '生产者' },
      purchaser: { commitment: PURCHASER_COMMITMENT_2026, issuerLabel: '收购单位（个人）' },
    },
    basisOptions: [
      { code: 'quality_control', label: '质量安全控制符合要求', needsDescription: true },
      { code: 'self_test', label: '自行检测合格', needsTest: 'self' },
      { code: 'entrusted_test', label: '委托检测合格', needsTest: 'lab' },
    ],
    basisRequired: true,
  },
  '2023-four-basis': {
    version: '2023-four-basis',
    title: '承诺达标合格证',
    from: '2021-01-01',
    until: '2026-01-31',
    styles: {
      producer: { commitment: '我承诺对生产销售的食用农产品：不使用禁用农药兽药、停用兽药和非法添加物；常规农药兽药残留不超标；对承诺的真实性负责。', issuerLabel: '生产者' },
      purchaser: null,
    },
    basisOptions: [
      { code: 'entrusted_test', label: '委托检测', needsTest: 'lab' },
      { code: 'self_test', label: '自我检测', needsTest: 'self' },
      { code: 'internal_control', label: '内部质量控制', needsDescription: true },
      { code: 'self_commitment', label: '自我承诺' },
    ],
    basisRequired: true,
  },
  '2019-trial': {
    version: '2019-trial',
    title: '食用农产品合格证',
    from: '2019-12-01',
    until: '2022-12-31',
    styles: {
      producer: {
        commitment: '我承诺对生产销售的食用农产品：不使用禁限用农药兽药；不使用非法添加物；遵守农药安全间隔期、兽药休药期规定；销售的食用农产品符合农药兽药残留食品安全国家强制性标准，并对产品质量安全以及合格证真实性负责。',
        issuerLabel: '种植养殖生产者',
      },
      purchaser: null,
    },
    basisOptions: [
      { code: 'self_test', label: '自检合格', needsTest: 'self' },
      { code: 'entrusted_test', label: '委托检测合格', needsTest: 'lab' },
    ],
    basisRequired: false,
  },
};
