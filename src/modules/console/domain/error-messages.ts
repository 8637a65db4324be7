import { DomainError, type ErrorCode } from '../../../../libs/errors';

/**
 * The API's error codes in plain Chinese, for the console. A code missing here falls back to a
 * general sentence (never the English message, never a stack).
 */
const BY_CODE: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: '填写的内容不符合要求',
  INVALID_GTIN: '商品条码（GTIN）无效：请核对位数和校验位',
  DUPLICATE_GTIN: '本单位已有使用该商品条码的产品',
  UNKNOWN_CATEGORY: '请从列表中选择一个食品类别',
  INVALID_REGION_CODE: '没有找到这个地区：请输入县名后从列表中选择（如“蒲江”），或填写 6 位行政区划代码',
  INVALID_QUANTITY: '数量无效：请填写大于 0 的数字（最多 3 位小数）和单位',
  INVALID_DECIMAL: '请填写数字（最多 3 位小数）',
  INVALID_LOT_CODE: '批号无效：最多 20 位字母、数字或 -./_ 等符号',
  DUPLICATE_LOT_CODE: '该产品已有同一批号的批次',
  NOT_FOUND: '未找到，或不属于本单位',
  FORBIDDEN: '您的账号没有这项操作的权限',
  UNAUTHENTICATED: '请先登录',
  BATCH_NOT_ACTIVE: '该批次已暂停或召回，不能打印标签或开具合格证',
  INVALID_STATUS_TRANSITION: '批次当前状态不允许这样变更',
  LAYOUT_NOT_SUPPORTED: '该格式不支持所选版式',
  UNKNOWN_LAYOUT: '未知的标签版式',
  BASIS_REQUIRED: '请至少勾选一项承诺依据',
  BASIS_UNKNOWN: '所选承诺依据不在当前合格证样式中',
  BASIS_DUPLICATE: '承诺依据重复勾选',
  BASIS_NOT_APPLICABLE: '收购方合格证依据的是已查验的上游合格证，不需勾选承诺依据',
  EVIDENCE_REQUIRED: '所选承诺依据需要相应的证明材料',
  TEST_RECORD_FAILED: '所选检测记录不合格，不能作为依据',
  TEST_RECORD_NOT_FOUND: '未找到所选检测记录',
  TEST_RECORD_WRONG_BATCH: '所选检测记录不属于该批次',
  TEST_RECORD_WRONG_KIND: '检测记录类型与所选承诺依据不符',
  TEST_RECORD_AFTER_ISSUE: '检测日期晚于开具日期',
  TESTS_DO_NOT_COVER_INPUTS: '检测项目未覆盖实际使用的农药兽药（用什么药、检什么药）',
  QUANTITY_EXCEEDS_BATCH: '开具数量超过该批次尚未开证的数量',
  QUANTITY_UNIT_MISMATCH: '合格证数量的单位与批次单位不一致',
  ISSUED_BEFORE_PRODUCTION: '开具日期不能早于批次生产日期',
  TEMPLATE_NOT_IN_FORCE: '该合格证样式在开具日期未施行',
  STYLE_NOT_IN_TEMPLATE: '该样式没有这种合格证',
  CERTIFICATE_ALREADY_VOIDED: '该合格证已作废',
  CERTIFICATE_ALREADY_REISSUED: '该合格证已重新开具过',
  CERTIFICATE_NOT_VOIDED: '只能重新开具已作废的合格证',
  CERTIFICATE_IMMUTABLE: '合格证开具后不能修改，如有错误请作废后重新开具',
  UPSTREAM_REQUIRED: '请至少选择一张已查验的上游合格证',
  UPSTREAM_NOT_APPLICABLE: '生产者合格证不引用上游合格证',
  UPSTREAM_CERTIFICATE_MISSING: '所选上游合格证查验记录不存在',
  UPSTREAM_CERTIFICATE_VOIDED: '所选上游合格证已作废',
  UPSTREAM_PRODUCT_MISMATCH: '上游合格证的产品与本批次不一致',
  COLLECTION_NOT_FOUND: '未找到该查验记录',
  CERTIFICATE_REQUIRED: '请扫描或填写合格证编号',
  CERTIFICATE_NOT_FOUND: '查无此合格证（输入编号时请核对证上的数量），可能是伪造的：已记录并报告监管部门，请拒收',
  CERTIFICATE_LOOKUP_LIMITED: '本单位查验失败次数过多，请稍后再试，或扫描合格证上的二维码',
  CERTIFICATE_VOIDED: '该合格证已作废：已记录并报告监管部门，请拒收',
  CERTIFICATE_PRODUCT_MISMATCH: '合格证上的产品与收购的产品不符：已记录并报告监管部门',
  ROLE_NOT_ALLOWED: '本单位不能持有这种角色的密钥',
  IDEMPOTENCY_IN_PROGRESS: '上一次提交仍在处理中，请稍候刷新',
  IDEMPOTENCY_KEY_REUSED: '该表单已提交过其他内容，请刷新页面后重新填写',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  LOGIN_FAILED: '账号或密码不正确',
  ACCOUNT_LOCKED: '密码错误次数过多，账号已暂时锁定',
  INVITE_INVALID: '邀请链接无效或已过期，请联系本单位管理员重新邀请',
  LOGIN_NAME_TAKEN: '该登录名已被使用',
  WEAK_PASSWORD: '密码不符合要求',
  CSRF_FAILED: '页面已过期，请刷新后重新提交',
  UNSTORABLE_VALUE: '填写的内容无法保存（过长或含有不支持的字符）',
  SITE_REGION_FIXED: '基地所在县不能修改：在其他县的基地请新建',
  UNKNOWN_ANALYTE: '检测项目不在农药兽药目录中：请核对名称',
  UNKNOWN_FOOD: '品种不在食品类别目录中，或不属于计划的抽检品种',
  UNIT_NOT_CONVERTIBLE: '单位无法换算为 mg/kg：请用 mg/kg、µg/kg 等质量分数单位',
  LAB_NOT_FOUND: '请选择平台上的检测机构',
  REGION_OUTSIDE_JURISDICTION: '区域不在本机关辖区内',
  PERIOD_OUTSIDE_PLAN: '日期不在计划期内',
  INVALID_SAMPLE_TRANSITION: '样品当前所处环节不能进行这一步（请核对样品是否已采样、已接收或已提交结果）',
  RESULTS_ALREADY_SUBMITTED: '该样品已提交过不同的结果；如有异议请走复检',
  NOT_A_RECHECK: '该样品不是复检样品',
  RECHECK_NOT_JUDGED: '复检还没有判定结论',
  RECHECK_ALREADY_DECIDED: '该复检已经作出决定（已采纳或不予采纳）',
  MARKET_SAMPLING_IMPORT_REJECTED: '文件中有问题行，未导入任何数据；逐行问题见下方',
  RECHECK_NOT_ALLOWED: '该样品不能申请复检',
  RECHECK_WINDOW_CLOSED: '已超过申请复检的期限',
  INVALID_RESULTS_FILE: '无法读取该文件：请上传 CSV 文本',
  SHIPMENT_NOT_FOUND: '没有发往本单位的这批货物',
  INVALID_SSCC: 'SSCC 无效：应为 18 位数字（可带 (00) 或 00 前缀），请核对后重新扫描或输入',
  SSCC_NOT_FOUND: '没有发往本单位的这个物流单元：请核对 SSCC，或请发货方先在平台上整单元发货',
  SHIPMENT_ALREADY_RECEIVED: '这批货物已经收货',
  INSUFFICIENT_QUANTITY: '数量超过该批次剩余可用的数量',
  UNIT_MISMATCH: '单位无法换算：重量与件数不能相加或比较',
  YIELD_EXCEEDED: '产出超过投入（质量不平衡），请核对数量',
  TRANSFORMATION_CYCLE: '产出批次不能是投入批次本身或其上游',
  INVALID_TEST_RESULT: '检测结果填写不完整或前后矛盾（如未检出却判定不合格、检出却未填检测值、有数值却未选单位）',
  GI_REVOKED: '该地理标志已被撤销',
  GI_NOT_YET_REGISTERED: '该地理标志在生产日期尚未登记',
  GI_OUTSIDE_AREA: '所选基地不在该地理标志的保护范围内',
  GI_NOT_AUTHORISED: '本单位没有使用该地理标志的授权（或授权不含该产品、已过期）',
  GI_AUTHORISATION_REVOKED: '本单位使用该地理标志的授权已被撤销',
  GI_QUOTA_UNIT_MISMATCH: '批次数量的单位无法与地理标志授权的年度用量比较',
  GI_QUOTA_EXCEEDED: '超过地理标志授权的年度用量',
  MARK_EXPIRED: '该质量标志证书已过期',
  MARK_NOT_YET_VALID: '该质量标志证书在生产日期尚未生效',
  MARK_OUTSIDE_SCOPE: '该产品或基地不在质量标志证书的范围内',
  MARK_QUOTA_EXCEEDED: '超过质量标志证书的年度用量',
  MARK_QUOTA_UNIT_MISMATCH: '批次数量的单位无法与质量标志的年度用量比较',
  MARK_NOT_AUTHORISED: '本单位不是该质量标志证书的持有人或被许可人',
  MARK_REVOKED: '该质量标志证书已被撤销',
  MARK_CONVERSION_PERIOD: '有机转换期内的产品不能使用有机产品标志',
  STREAM_NOT_SELF_DECLARED: '监督抽检和例行监测的结果由抽检流程产生，不能自行录入',
  INVALID_DOSE: '用量无效：请填写大于 0 的数字（最多 4 位小数）和单位',
  INVALID_LABEL_CODE: '扫到的不是农药标签码（32 位单元识别代码）或种子标签二维码',
  LABEL_CODE_MISMATCH: '农药标签码与所选农药的登记证号不符',
  INVALID_EAR_TAG: '耳标号无效：应为 15 位数字（畜种 + 县代码 + 序号）',
  APPLICATION_VOIDED: '该记录已作废',
  APPLICATION_IMMUTABLE: '农事记录不能修改：请作废后重新记录',
  RECORD_RETAINED: '农事记录保存期未满，不能删除',
  PHI_NOT_ELAPSED: '安全间隔期（休药期）未满，不能采收',
  INPUT_BANNED: '该地块该作物使用过禁用投入品，不能采收上市',
};

/** Messages for class-validator rules and the rules services name in details.rule. */
const BY_RULE: Record<string, string> = {
  isNotEmpty: '此项必填',
  isDefined: '此项必填',
  isString: '此项必填',
  maxLength: '内容过长',
  minLength: '内容过短',
  isUuid: '请选择一项',
  isInt: '请填写整数',
  min: '数值过小',
  max: '数值过大',
  matches: '格式不正确',
  isIso8601: '请填写有效日期',
  isCalendarDate: '请填写有效日期',
  isInstant: '请填写有效的日期和时间',
  no_nul: '含有不允许的字符',
  well_formed: '含有不允许的字符',
  no_control: '含有不可见的控制字符，请删除后重新输入',
  no_bidi: '含有文字方向控制符，请删除后重新输入',
  single_line: '只能填写一行，不能换行',
  max_depth: '内容嵌套过深',
  isIn: '请从列表中选择',
  isLatitude: '纬度无效',
  isLongitude: '经度无效',
  whitelistValidation: '不认识的字段',
  not_future: '日期不能晚于今天',
  not_after_produced: '采收日期不能晚于生产日期',
  required_with: '须与相关的另一项一并填写（如采收方名称和电话）',
  min_length: '至少 10 个字符',
  max_length: '最多 200 个字符',
  contains_login: '密码不能包含登录名',
  too_simple: '密码过于简单',
  same_password: '两次输入的密码不一致',
  required: '此项必填',
  consistent: '“是否检出”与检测值、检出限不一致',
  loq_not_below_lod: '定量限不能低于检出限',
  required_for_rapid: '快速检测请选择检出或未检出',
  required_for_lab: '委托检测请填写检测机构名称',
  after_site_created: '时间早于基地登记，请核对',
  required_with_number: '输入合格证编号时，请填写证上印的数量（扫码则不需要）',
  jurisdiction: '须在本辖区内',
  arrayMinSize: '此项必填',
  after_shipping: '收货时间不能早于发货时间',
};

export function messageForCode(code: string): string {
  return (Object.hasOwn(BY_CODE, code) ? BY_CODE[code as ErrorCode] : undefined) ?? '操作未能完成，请检查后重试';
}

export function messageForRule(rule: string, code?: string): string {
  return Object.hasOwn(BY_RULE, rule) ? BY_RULE[rule] : code ? messageForCode(code) : '填写的内容不符合要求';
}

export interface FormProblems {
  /** Messages by form field name (dots as in the API: `quantity.value`). */
  fields: Record<string, string>;
  /** A message for the whole form, when the error names no field. */
  general: string | null;
}

interface FieldDetail {
  field: string;
  rule?: string;
}

/**
 * Where on the form an API error belongs. `aliases` maps an API field to the form's field when
 * they differ (`quantity` → `quantity.value`). Fields the form does not show land in `general`.
 */
export function formProblems(error: DomainError, formFields: string[], aliases: Record<string, string> = {}): FormProblems {
  const details = (error.details ?? {}) as { field?: unknown; rule?: unknown; fields?: unknown };
  const list: FieldDetail[] = Array.isArray(details.fields)
    ? (details.fields as FieldDetail[])
    : typeof details.field === 'string' ? [{ field: details.field, rule: typeof details.rule === 'string' ? details.rule : undefined }] : [];
  const problems: FormProblems = { fields: {}, general: null };
  for (const item of list) {
    const field = Object.hasOwn(aliases, item.field) ? aliases[item.field] : item.field;
    const message = error.code === 'VALIDATION_FAILED' && item.rule ? messageForRule(item.rule) : messageForCode(error.code);
    const target = formFields.includes(field) ? field : formFields.find((f) => f.startsWith(`${field}.`));
    if (target) problems.fields[target] ??= message;
    else problems.general ??= message;
  }
  if (list.length === 0) problems.general = messageForCode(error.code);
  return problems;
}
