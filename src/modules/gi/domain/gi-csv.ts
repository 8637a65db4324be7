import { parse } from 'csv-parse/sync';
import { restoreCell, writeCsv } from '../../../../libs/csv';
import { DomainError } from '../../../../libs/errors';
import type { RawAuthorisation, RawGiRecord } from './gi-inputs';

/**
 * CSV files of GI records and authorisations, as regulators keep them in spreadsheets. Headers are
 * the snake_case names below (or their Chinese labels); exports use the same columns so an export
 * re-imports unchanged (cells neutralised against formula injection are restored on import).
 * Parsing is csv-parse's; writing is the shared CSV writer's.
 */
export const RECORD_COLUMNS = [
  'regime', 'registration_number', 'product_name', 'holder_uscc', 'holder_name', 'area_codes', 'area_text',
  'bbox_min_lat', 'bbox_min_lng', 'bbox_max_lat', 'bbox_max_lng', 'spec_reference', 'announcement_number',
  'announced_on', 'china_eu', 'status', 'revoked_on', 'revoked_reason',
] as const;

export const AUTHORISATION_COLUMNS = [
  'regime', 'registration_number', 'organization', 'organization_name', 'valid_from', 'valid_to', 'quota_value', 'quota_unit',
  'status', 'revoked_on', 'revoked_reason',
] as const;

const CHINESE_HEADERS: Record<string, string> = {
  '类型': 'regime', '登记证书编号': 'registration_number', '登记编号': 'registration_number', '产品名称': 'product_name',
  '持有人统一社会信用代码': 'holder_uscc', '持有人': 'holder_name', '保护范围代码': 'area_codes', '保护范围': 'area_text',
  '质量技术要求': 'spec_reference', '公告号': 'announcement_number', '公告日期': 'announced_on', '中欧协定': 'china_eu',
  '状态': 'status', '撤销日期': 'revoked_on', '撤销原因': 'revoked_reason', '授权用户': 'organization',
  '授权用户名称': 'organization_name', '起始日期': 'valid_from', '截止日期': 'valid_to', '年度配额': 'quota_value', '配额单位': 'quota_unit',
};

/** One problem with one row; `row` is the line's number in the file as a spreadsheet shows it (header = 1). */
export interface RowError {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

export interface CsvRow<T> {
  row: number;
  raw: T;
}

/** Field name in our inputs → CSV column, to report errors by column. */
const FIELD_COLUMNS: Record<string, string> = {
  regime: 'regime', registrationNumber: 'registration_number', productName: 'product_name', holderUscc: 'holder_uscc',
  holderName: 'holder_name', areaCodes: 'area_codes', areaText: 'area_text', boundingBox: 'bbox_min_lat',
  specReference: 'spec_reference', announcementNumber: 'announcement_number', announcedOn: 'announced_on', chinaEu: 'china_eu',
  status: 'status', revokedOn: 'revoked_on', revokedReason: 'revoked_reason', organization: 'organization',
  validFrom: 'valid_from', validTo: 'valid_to', yearlyQuota: 'quota_value', 'yearlyQuota.value': 'quota_value',
  'yearlyQuota.unit': 'quota_unit',
};

export function rowError(row: number, error: unknown): RowError {
  if (error instanceof DomainError) {
    const field = typeof error.details?.field === 'string' ? error.details.field : null;
    const column = field ? FIELD_COLUMNS[field] ?? FIELD_COLUMNS[field.replace(/\[\d+\]$/, '')] ?? field : null;
    return { row, column, code: error.code, message: error.message };
  }
  throw error;
}

function parseTable(csv: string, known: readonly string[]): { header: string[]; rows: { row: number; cells: Record<string, string> }[] } {
  let records: string[][];
  let lines: number[];
  try {
    const parsed = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    records = parsed.map((p) => p.record.map(restoreCell));
    lines = parsed.map((p) => p.info.lines);
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new DomainError('INVALID_CSV', `The file is not valid CSV${line ? ` (line ${line})` : ''}: ${(error as Error).message}`, { line });
  }
  if (records.length === 0) throw new DomainError('INVALID_CSV', 'The file is empty: the first line must name the columns');
  const header = records[0].map((h) => CHINESE_HEADERS[h.trim()] ?? h.trim().toLowerCase());
  const unknown = header.filter((h) => h && !known.includes(h));
  if (unknown.length) {
    throw new DomainError('INVALID_CSV', `Unknown columns: ${unknown.join(', ')}`, { unknownColumns: unknown, allowedColumns: known });
  }
  return {
    header,
    rows: records.slice(1).map((cells, i) => ({
      row: lines[i + 1],
      cells: Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])),
    })),
  };
}

function requireColumns(header: string[], needed: string[]): void {
  const missing = needed.filter((c) => !header.includes(c));
  if (missing.length) throw new DomainError('INVALID_CSV', `Missing columns: ${missing.join(', ')}`, { missingColumns: missing });
}

const num = (v: string): number | string => (v === '' ? v : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

export function parseRecordsCsv(csv: string): CsvRow<RawGiRecord>[] {
  const { header, rows } = parseTable(csv, RECORD_COLUMNS);
  requireColumns(header, ['regime', 'registration_number', 'product_name', 'holder_uscc', 'area_codes']);
  return rows.map(({ row, cells: c }) => {
    const box = [c.bbox_min_lat, c.bbox_min_lng, c.bbox_max_lat, c.bbox_max_lng];
    const hasBox = box.some((v) => v);
    return {
      row,
      raw: {
        regime: c.regime,
        registrationNumber: c.registration_number,
        productName: c.product_name,
        holderUscc: c.holder_uscc,
        holderName: c.holder_name,
        areaCodes: (c.area_codes ?? '').split(/[\s;,，；、|]+/).filter(Boolean),
        areaText: c.area_text,
        boundingBox: hasBox ? { minLat: num(box[0]), minLng: num(box[1]), maxLat: num(box[2]), maxLng: num(box[3]) } as never : null,
        specReference: c.spec_reference,
        announcementNumber: c.announcement_number,
        announcedOn: c.announced_on,
        chinaEu: c.china_eu,
        status: c.status,
        revokedOn: c.revoked_on,
        revokedReason: c.revoked_reason,
      },
    };
  });
}

export interface RawAuthorisationRow extends RawAuthorisation {
  regime: string;
  registrationNumber: string;
  /** Organisation id (UUID) or USCC. */
  organization: string;
  status: string;
  revokedOn: string;
  revokedReason: string;
}

export function parseAuthorisationsCsv(csv: string): CsvRow<RawAuthorisationRow>[] {
  const { header, rows } = parseTable(csv, AUTHORISATION_COLUMNS);
  requireColumns(header, ['regime', 'registration_number', 'organization', 'valid_from']);
  return rows.map(({ row, cells: c }) => ({
    row,
    raw: {
      regime: c.regime,
      registrationNumber: c.registration_number,
      organization: c.organization ?? '',
      validFrom: c.valid_from,
      validTo: c.valid_to || null,
      yearlyQuota: c.quota_value || c.quota_unit ? { value: c.quota_value, unit: c.quota_unit } : null,
      status: c.status ?? '',
      revokedOn: c.revoked_on ?? '',
      revokedReason: c.revoked_reason ?? '',
    },
  }));
}

/** The rows under a header of `columns`, through the shared writer (BOM, CRLF, formulas neutralised). */
export function toCsv(columns: readonly string[], rows: Record<string, string | number | boolean | null>[]): string {
  return writeCsv([columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))]);
}
