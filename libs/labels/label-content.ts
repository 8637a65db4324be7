import { DomainError } from '../errors';
import { isLabelLayout, LABEL_LAYOUT_NAMES, type LabelLayout } from './layouts';

/** What one printed label shows. All strings are shown as they are (no trimming). */
export interface LabelContent {
  /** URL encoded into the QR (e.g. `https://trace.example.cn/t/0K5M7Q2X9ABCD`). */
  qrText: string;
  /** Chinese product name, e.g. '蒲江猕猴桃（红阳）'. */
  productName: string;
  /** Lot code, e.g. '2611270A3F'. */
  lot: string;
  /** Item serial shown as text, e.g. '000123'; absent on batch labels. */
  serial?: string;
  /** The label's 有机码 (organic products), printed after the words 「有机码」; absent otherwise. */
  organicCode?: string;
  /** Production date, YYYY-MM-DD. */
  date: string;
  /** Producer name, e.g. '蒲江县绿源猕猴桃专业合作社'. */
  producer: string;
}

export interface RenderOptions {
  /**
   * Called after each finished page with (labels done, labels total), and awaited: a job can
   * update its progress bar from here. Rendering also yields to the event loop between pages.
   */
  onProgress?: (done: number, total: number) => void | Promise<void>;
  /**
   * zlib level (0–9) for the PDF's label content streams; default 4. Level 6 (zlib's default)
   * gives ~15 % smaller files for ~2.5× the compression time; see bench/labels-pdf.ts.
   */
  deflateLevel?: number;
}

const REQUIRED_FIELDS = ['qrText', 'lot', 'date'] as const;
/** May be empty (the line is then left blank), e.g. a product whose name is not known yet. */
const OPTIONAL_TEXT_FIELDS = ['productName', 'producer'] as const;
const TEXT_FIELDS = [...REQUIRED_FIELDS, ...OPTIONAL_TEXT_FIELDS];
// C0/C1 controls (incl. CR/LF/TAB) and the Unicode line/paragraph separators: a label line is
// one line, and in ZPL/TSPL a newline would end the command in the middle of the data.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Longest text field we accept; anything longer cannot be shown on a label anyway. */
const MAX_FIELD_LENGTH = 200;

function fieldError(index: number, field: string, message: string): DomainError {
  const path = field ? `labels[${index}].${field}` : `labels[${index}]`;
  return new DomainError('LABEL_FIELD_INVALID', `${path}: ${message}`, { field: path, index, rule: 'label_field' });
}

/** Throws DomainError for anything a renderer cannot draw; returns nothing. */
export function assertLabelsInput(labels: readonly LabelContent[], layout: LabelLayout): void {
  if (!isLabelLayout(layout)) {
    throw new DomainError('UNKNOWN_LAYOUT', `layout must be one of ${LABEL_LAYOUT_NAMES.join(', ')}`, {
      field: 'layout',
      rule: 'enum',
      allowed: LABEL_LAYOUT_NAMES,
    });
  }
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new DomainError('LABELS_EMPTY', 'at least one label is required', { field: 'labels', rule: 'non_empty' });
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === null || typeof label !== 'object') {
      throw fieldError(i, '', 'must be an object');
    }
    for (const field of REQUIRED_FIELDS) {
      const value = label[field];
      if (typeof value !== 'string' || value.length === 0) throw fieldError(i, field, 'must be a non-empty string');
    }
    for (const field of TEXT_FIELDS) {
      const value = label[field];
      if (typeof value !== 'string') throw fieldError(i, field, 'must be a string');
      if (field !== 'qrText' && value.length > MAX_FIELD_LENGTH) {
        throw fieldError(i, field, `longer than ${MAX_FIELD_LENGTH} characters`);
      }
      if (CONTROL_CHARS.test(value)) throw fieldError(i, field, 'contains a control character or line break');
      if (LONE_SURROGATE.test(value)) throw fieldError(i, field, 'is not valid Unicode (lone surrogate)');
    }
    if (label.serial !== undefined) {
      if (typeof label.serial !== 'string' || label.serial.length === 0) {
        throw fieldError(i, 'serial', 'must be a non-empty string when present');
      }
      if (label.serial.length > MAX_FIELD_LENGTH || CONTROL_CHARS.test(label.serial) || LONE_SURROGATE.test(label.serial)) {
        throw fieldError(i, 'serial', 'too long, or contains a control character or a lone surrogate');
      }
    }
    if (label.organicCode !== undefined && (typeof label.organicCode !== 'string' || !/^[0-9A-Z]{1,40}$/.test(label.organicCode))) {
      throw fieldError(i, 'organicCode', 'must be 1–40 digits or capitals when present');
    }
    if (!DATE.test(label.date)) throw fieldError(i, 'date', 'must be YYYY-MM-DD');
  }
}
