import { DomainError } from '../../../../libs/errors';

/**
 * The seed bag QR (农作物种子标签二维码). 农业部办公厅《农作物种子标签二维码编码规则》(2016-09-18), as
 * reprinted by secondary sources — DOMAIN.md §8 asks to verify it, so the layout is data with a
 * `verified` flag and is kept in this one place:
 * - four items in this order, each on a line of its own: 品种名称, 生产经营者名称或进口商名称,
 *   单元识别代码, 追溯网址;
 * - the 单元识别代码 is set by the company: digits, or digits and Latin letters, at most 20 characters;
 * - the trace URL is the company's (a web page, PC and phone).
 * Whether a line carries its caption (`品种名称：…`) is not said: both are read. A bag says which
 * variety (品种) was sown; it carries no registration number, so the catalogue is matched by name.
 */
export const SEED_LABEL_LAYOUT = {
  verified: false,
  source: '农业部办公厅《农作物种子标签二维码编码规则》(2016-09-18), secondary sources',
  lines: ['variety', 'producer', 'unitCode', 'traceUrl'],
} as const;

export interface SeedLabel {
  /** 品种名称. */
  variety: string;
  /** 生产经营者名称或进口商名称. */
  producer: string;
  /** 单元识别代码 (one code per smallest sales unit). */
  unitCode: string;
  traceUrl: string;
  layout: typeof SEED_LABEL_LAYOUT;
}

/** Captions a line may start with, per item (full-width or ASCII colon after them). */
const CAPTIONS: readonly (readonly string[])[] = [
  ['品种名称', '品种'],
  ['生产经营者名称', '进口商名称', '生产经营者', '进口商', '生产商', '企业名称'],
  ['单元识别代码', '识别代码'],
  ['追溯网址', '追溯网站', '网址'],
];

function invalid(field: string, rule: string, message: string): DomainError {
  return new DomainError('INVALID_LABEL_CODE', `${field} ${message}`, { field, rule, layout: SEED_LABEL_LAYOUT });
}

function withoutCaption(line: string, captions: readonly string[]): string {
  for (const caption of captions) {
    const match = new RegExp(`^${caption}\\s*[:：]\\s*`).exec(line);
    if (match) return line.slice(match[0].length).trim();
  }
  return line;
}

/**
 * Reads a scanned seed bag QR. Throws INVALID_LABEL_CODE naming the field and the rule (`lines`,
 * `variety`, `producer`, `unit_code`, `trace_url`) when the text is not four such lines.
 */
export function parseSeedLabel(input: unknown, field = 'code'): SeedLabel {
  if (typeof input !== 'string' || input.length === 0 || input.length > 1000) {
    throw invalid(field, 'format', 'must be the text of the seed bag QR (种子标签二维码)');
  }
  const lines = input.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length !== 4) {
    throw invalid(field, 'lines', `must hold four lines (品种名称, 生产经营者, 单元识别代码, 追溯网址); found ${lines.length}`);
  }
  const [variety, producer, unitCode, traceUrl] = lines.map((l, i) => withoutCaption(l, CAPTIONS[i]));
  if (!variety || variety.length > 100) throw invalid(field, 'variety', 'line 1 (品种名称) must be 1 to 100 characters');
  if (!producer || producer.length > 200) throw invalid(field, 'producer', 'line 2 (生产经营者名称或进口商名称) must be 1 to 200 characters');
  if (!isSeedUnitCode(unitCode)) {
    throw invalid(field, 'unit_code', 'line 3 (单元识别代码) must be 1 to 20 digits or Latin letters');
  }
  if (!isWebAddress(traceUrl)) throw invalid(field, 'trace_url', 'line 4 (追溯网址) must be an http(s) address');
  return { variety, producer, unitCode, traceUrl, layout: SEED_LABEL_LAYOUT };
}

/** A seed bag's 单元识别代码: set by the company, 1 to 20 digits or Latin letters. */
export function isSeedUnitCode(text: unknown): text is string {
  return typeof text === 'string' && /^[0-9A-Za-z]{1,20}$/.test(text);
}

function isWebAddress(text: string): boolean {
  if (text.length > 500 || /\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Whether a scanned text is laid out in lines, as a seed bag QR is (a pesticide label is one code or URL). */
export function isMultiLine(input: string): boolean {
  return input.split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0).length > 1;
}
