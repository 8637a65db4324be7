import { columnsByField, ImportProblem, problemFromError, readCsv, writeCsvTable } from '../../../../libs/csv';
import type { RawAuthorisation, RawGiRecord } from './gi-inputs';

/**
 * CSV files of GI records and authorisations, as regulators keep them in spreadsheets. Headers are
 * the snake_case names below (or their Chinese labels); exports use the same columns so an export
 * re-imports unchanged (cells neutralised against formula injection are restored on import).
 * Reading and writing are the shared CSV reader's and writer's.
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

const CHINESE_HEADERS: Record<string, (typeof RECORD_COLUMNS)[number] | (typeof AUTHORISATION_COLUMNS)[number]> = {
  '类型': 'regime', '登记证书编号': 'registration_number', '登记编号': 'registration_number', '产品名称': 'product_name',
  '持有人统一社会信用代码': 'holder_uscc', '持有人': 'holder_name', '保护范围代码': 'area_codes', '保护范围': 'area_text',
  '质量技术要求': 'spec_reference', '公告号': 'announcement_number', '公告日期': 'announced_on', '中欧协定': 'china_eu',
  '状态': 'status', '撤销日期': 'revoked_on', '撤销原因': 'revoked_reason', '授权用户': 'organization',
  '授权用户名称': 'organization_name', '起始日期': 'valid_from', '截止日期': 'valid_to', '年度配额': 'quota_value', '配额单位': 'quota_unit',
};

/** One row of a file, as the raw input the JSON routes take; `row` as a spreadsheet numbers it. */
export interface GiCsvRow<T> {
  row: number;
  raw: T;
}

/** The rows of a file, the rows that did not fit its header, and how many data rows it had. */
export interface GiCsvFile<T> {
  rows: GiCsvRow<T>[];
  problems: ImportProblem[];
  rowCount: number;
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

/** A row's DomainError as its import problem, the input's field named by its CSV column. */
const columnOf = columnsByField(FIELD_COLUMNS);

export function rowError(row: number, error: unknown): ImportProblem {
  return problemFromError(row, error, columnOf);
}

/** Hand-kept files may leave out trailing empty cells: short rows are padded. */
function readGiCsv<C extends string>(csv: string, columns: readonly C[], required: readonly C[]) {
  return readCsv(csv, { columns, required, aliases: CHINESE_HEADERS as Record<string, C>, shortRows: 'pad' });
}

const num = (v: string): number | string => (v === '' ? v : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

export function parseRecordsCsv(csv: string): GiCsvFile<RawGiRecord> {
  const { rows, problems, rowCount } = readGiCsv(csv, RECORD_COLUMNS, ['regime', 'registration_number', 'product_name', 'holder_uscc', 'area_codes']);
  return { problems, rowCount, rows: rows.map(({ row, cells: c }) => {
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
        areaCodes: c.area_codes.split(/[\s;,，；、|]+/).filter(Boolean),
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
  }) };
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

export function parseAuthorisationsCsv(csv: string): GiCsvFile<RawAuthorisationRow> {
  const { rows, problems, rowCount } = readGiCsv(csv, AUTHORISATION_COLUMNS, ['regime', 'registration_number', 'organization', 'valid_from']);
  return { problems, rowCount, rows: rows.map(({ row, cells: c }) => ({
    row,
    raw: {
      regime: c.regime,
      registrationNumber: c.registration_number,
      organization: c.organization,
      validFrom: c.valid_from,
      validTo: c.valid_to || null,
      yearlyQuota: c.quota_value || c.quota_unit ? { value: c.quota_value, unit: c.quota_unit } : null,
      status: c.status,
      revokedOn: c.revoked_on,
      revokedReason: c.revoked_reason,
    },
  })) };
}

/** The rows under a header of `columns`, through the shared writer (BOM, CRLF, formulas neutralised). */
export const toCsv = writeCsvTable;
