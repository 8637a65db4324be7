import { IndicatorDefinition, IndicatorKey } from './indicator-types';

/**
 * What each indicator counts (DOMAIN.md §6). The counting itself lives in the database triggers of
 * the IndicatorAggregates migration; these are the labels, targets and dimensions.
 */
export const INDICATORS: Record<IndicatorKey, IndicatorDefinition> = {
  routine_monitoring: {
    key: 'routine_monitoring', name: '农产品质量安全例行监测合格率', numeratorLabel: '合格样品数', denominatorLabel: '检测样品数',
    target: { kind: 'at_least', value: 0.99 }, measure: 'flow', dimensions: { category: true, gi: false },
    references: [{ label: '四川省 2023 年', rate: 0.994 }, { label: '四川省 2024 年', rate: 0.995 }, { label: '全国 2024 年第一次', rate: 0.98 }],
  },
  food_sampling: {
    key: 'food_sampling', name: '食品抽检合格率', numeratorLabel: '合格样品数', denominatorLabel: '检测样品数',
    scope: '口径：本平台农业农村部门监督抽查的食用农产品样品；规划考核的是市场监管部门全品类食品抽检合格率，二者口径不同',
    target: { kind: 'at_least', value: 0.98 }, measure: 'flow', dimensions: { category: true, gi: false },
    references: [{ label: '全国 2023 年', rate: 0.9727 }],
  },
  certificate_issuance: {
    key: 'certificate_issuance', name: '承诺达标合格证开具率', numeratorLabel: '有有效合格证的批次', denominatorLabel: '应开证批次',
    target: { kind: 'rising' }, measure: 'flow', dimensions: { category: true, gi: false },
  },
  trace_code_coverage: {
    key: 'trace_code_coverage', name: '追溯码赋码率', numeratorLabel: '有追溯码的批次', denominatorLabel: '批次',
    target: { kind: 'rising' }, measure: 'flow', dimensions: { category: true, gi: false },
  },
  label_scan_rate: {
    key: 'label_scan_rate', name: '追溯标签扫码率', numeratorLabel: '被扫码的标签', denominatorLabel: '打印的标签',
    target: { kind: 'rising' }, measure: 'flow', dimensions: { category: true, gi: false },
  },
  gtin_coverage: {
    key: 'gtin_coverage', name: '商品条码(GTIN)使用率', numeratorLabel: '有有效GTIN的产品', denominatorLabel: '产品',
    target: { kind: 'rising' }, measure: 'stock', dimensions: { category: true, gi: false },
  },
  uscc_coverage: {
    key: 'uscc_coverage', name: '统一社会信用代码使用率', numeratorLabel: '已校验信用代码的主体', denominatorLabel: '主体(不含个人农户)',
    target: { kind: 'rising' }, measure: 'stock', dimensions: { category: false, gi: false },
  },
  gi_claimed: {
    key: 'gi_claimed', name: '地理标志产品标注数量', numeratorLabel: '标注数量', denominatorLabel: '标注批次',
    target: null, measure: 'flow', dimensions: { category: true, gi: true }, quantity: true, detail: 'gi',
  },
  // Farm inputs (issue 16; triggers in the FarmInputIndicators migration). 推广应用高效低风险农药、有机肥: rising.
  low_risk_pesticide_share: {
    key: 'low_risk_pesticide_share', name: '高效低风险农药使用占比', numeratorLabel: '使用低风险农药的施药记录', denominatorLabel: '施药记录',
    target: { kind: 'rising' }, measure: 'flow', dimensions: { category: true, gi: false },
  },
  organic_fertiliser_share: {
    key: 'organic_fertiliser_share', name: '有机肥施用占比', numeratorLabel: '施用有机肥的记录', denominatorLabel: '施肥记录',
    target: { kind: 'rising' }, measure: 'flow', dimensions: { category: true, gi: false },
  },
  /**
   * Of the batches that need a 承诺达标合格证 (their product's category is certificate-required — data,
   * from the certificate-scope rules — and the producer is not an individual farmer: the batches
   * certificate_issuance counts), those with at least one farm record behind them.
   */
  input_record_coverage: {
    key: 'input_record_coverage', name: '生产记录覆盖率', numeratorLabel: '有农事记录的批次', denominatorLabel: '须开合格证类别的批次',
    target: { kind: 'rising' }, measure: 'flow', dimensions: { category: true, gi: false },
    description: '分母：产品类别属于须开具承诺达标合格证的类别（以合格证适用范围规则为准，见 /api/v1/certificate-scope）、生产者不是个人农户的批次（与合格证开具率同口径），按生产日期计入月份；'
      + '分子：其中创建批次时安全间隔期核查找到至少一条该基地、该作物农事记录（投入品使用记录）的批次。',
  },
  /** Harvests inside a safe interval: refused by the gate, or passed by a regulator's override. */
  phi_violations: {
    key: 'phi_violations', name: '安全间隔期违规', numeratorLabel: '拒绝或经监管放行的批次', denominatorLabel: '有农事记录的采收判定',
    target: null, measure: 'flow', dimensions: { category: true, gi: false },
  },
  // DOMAIN.md §10: markets check every consignment (扫码查验入市); online shops show the certificate of what they sell.
  market_entry_verified_rate: {
    key: 'market_entry_verified_rate', name: '入场查验凭证率', numeratorLabel: '凭有效合格证或追溯码入场的批次', denominatorLabel: '入场登记批次',
    target: { kind: 'rising' }, measure: 'flow', dimensions: { category: false, gi: false },
  },
  market_entry_refusals: {
    key: 'market_entry_refusals', name: '入场查验拒收率（按产地）', numeratorLabel: '拒收的货品批次', denominatorLabel: '查验的货品批次',
    target: null, measure: 'flow', dimensions: { category: true, gi: false },
  },
  listing_certified_rate: {
    key: 'listing_certified_rate', name: '网售商品合格证覆盖率', numeratorLabel: '在售批次均有有效合格证的网售商品', denominatorLabel: '网售商品',
    target: { kind: 'rising' }, measure: 'stock', dimensions: { category: true, gi: false },
  },
  // DOMAIN.md §11: county quality-safety standards ask 100 %. A failed sample counts in the month it
  // was collected (as the pass rates do); it is disposed once a disposal names it.
  disposal_rate: {
    key: 'disposal_rate', name: '不合格农产品处置率', numeratorLabel: '已处置的不合格样品', denominatorLabel: '不合格样品',
    target: { kind: 'at_least', value: 1 }, measure: 'flow', dimensions: { category: true, gi: false },
  },
  // DOMAIN.md §9 and the plan's 三品一标 (issue 17; triggers in the MarkIndicators migration), one row per scheme.
  /**
   * The products a valid mark covers as of the period's end (the 三品一标 count, numerator), over the
   * products of every mark that has become valid by then, expired and revoked ones included.
   */
  quality_mark_products: {
    key: 'quality_mark_products', name: '三品一标产品数', numeratorLabel: '有效标志覆盖的产品', denominatorLabel: '曾获标志的产品(含过期、撤销)',
    target: null, measure: 'stock', dimensions: { category: false, gi: false }, detail: 'scheme',
  },
  /** Batch quantity carrying each scheme, per base unit (never added across units). */
  mark_quantity_share: {
    key: 'mark_quantity_share', name: '标志产品数量占比', numeratorLabel: '标注该标志的批次数量', denominatorLabel: '批次总数量',
    target: { kind: 'rising' }, measure: 'flow', dimensions: { category: true, gi: false }, detail: 'scheme',
  },
  /** Refused claims (possible misuse: 违规使用标志) over claim attempts, per scheme. */
  mark_claim_refusals: {
    key: 'mark_claim_refusals', name: '标志使用被拒率', numeratorLabel: '被拒绝的标注', denominatorLabel: '标注申请(通过与被拒)',
    target: null, measure: 'flow', dimensions: { category: false, gi: false }, detail: 'scheme',
  },
  // DOMAIN.md §11 (巡查检查): organisations inspected this year so far (counted from the month of the
  // year's first inspection to the year's end) over organisations in scope (labs and regulators are
  // not inspected); a stock, so a quarter or year shows the state at its end.
  inspection_coverage: {
    key: 'inspection_coverage', name: '巡查检查覆盖率（年内）', numeratorLabel: '本年已巡查的主体', denominatorLabel: '应巡查主体',
    target: { kind: 'rising' }, measure: 'stock', dimensions: { category: false, gi: false },
  },
  // DOMAIN.md §11 (风险分级): published grades, in the first month of their period; the numerator
  // counts the high-risk ones (包保管理), the denominator every graded organisation.
  high_risk_organizations: {
    key: 'high_risk_organizations', name: '高风险生产经营主体', numeratorLabel: '高风险主体', denominatorLabel: '已分级主体',
    target: null, measure: 'flow', dimensions: { category: false, gi: false },
  },
  // DOMAIN.md §11 (社会监督): consumer reports (问题反馈) per 10,000 scans of the same batches, in the
  // month of the report / scan. No target: more reports may mean more attention as much as more problems.
  consumer_reports_per_10k_scans: {
    key: 'consumer_reports_per_10k_scans', name: '每万次扫码消费者反馈数', numeratorLabel: '消费者反馈', denominatorLabel: '扫码次数',
    target: null, measure: 'flow', dimensions: { category: true, gi: false }, per: 10_000,
  },
  // Food recall rules: a graded recall starts and finishes within its grade's deadlines. Counted once
  // decided: closed, or alerted overdue; in the month the recall started.
  recall_on_time_rate: {
    key: 'recall_on_time_rate', name: '召回按时完成率', numeratorLabel: '按时启动并按期结案的召回', denominatorLabel: '已结案或已逾期的分级召回',
    target: { kind: 'at_least', value: 1 }, measure: 'flow', dimensions: { category: true, gi: false },
  },
  // Computed from the records at query time (computed-figures.ts): medians and populations are not month sums.
  consumer_report_reply_hours: {
    key: 'consumer_report_reply_hours', name: '消费者反馈回复时长（中位数）', numeratorLabel: '已回复的反馈', denominatorLabel: '消费者反馈',
    target: null, measure: 'flow', dimensions: { category: true, gi: false }, unit: '小时',
    description: '反馈提交到生产经营主体首次回复的小时数的中位数，按反馈提交月份计入；未回复的反馈只计入分母。',
  },
  sampling_density_per_1000: {
    key: 'sampling_density_per_1000', name: '每千人抽检样品数', numeratorLabel: '抽样（已采样）样品', denominatorLabel: '常住人口',
    target: null, measure: 'flow', dimensions: { category: true, gi: false }, per: 1000,
    description: '期内已采样的样品数 ÷ 该地区常住人口 × 1000（不按年折算）；人口取自人口数据表（四川省第七次全国人口普查公报，2020 年 11 月 1 日，见 /api/v1/indicators/populations）；'
      + '没有人口数据的地区不计算（标注“无人口数据”），不记为 0。',
  },
};
