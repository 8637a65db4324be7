import { columnsByField, ImportProblem, problemFromError, readCsv, writeCsvTable } from '../../../../libs/csv';
import type { RawMarkRecord } from './mark-inputs';

/**
 * CSV files of mark records, as regulators and certification bodies keep them in spreadsheets.
 * Headers are the snake_case names below (or their Chinese labels); lists are separated by `;`
 * (or `；`, `|`, `、`). Exports use the same columns, so an export re-imports unchanged.
 */
export const MARK_COLUMNS = [
  'scheme', 'number', 'holder_uscc', 'holder_name', 'enterprise_code', 'certifier', 'product_names', 'category_paths', 'product_ids',
  'site_ids', 'area_codes', 'valid_from', 'valid_to', 'quota_value', 'quota_unit', 'status', 'revoked_on', 'revoked_reason',
] as const;
type Column = (typeof MARK_COLUMNS)[number];

const CHINESE_HEADERS: Record<string, Column> = {
  '标志类型': 'scheme', '证书编号': 'number', '产品编号': 'number', '持有人统一社会信用代码': 'holder_uscc', '持有人': 'holder_name',
  '企业信息码': 'enterprise_code', '认证机构': 'certifier', '产品名称': 'product_names', '产品类别': 'category_paths',
  '基地': 'site_ids', '区域代码': 'area_codes', '有效期起': 'valid_from', '有效期止': 'valid_to', '年度配额': 'quota_value',
  '配额单位': 'quota_unit', '状态': 'status', '撤销日期': 'revoked_on', '撤销原因': 'revoked_reason',
};

const FIELD_COLUMNS: Record<string, Column> = {
  scheme: 'scheme', number: 'number', holderUscc: 'holder_uscc', holderName: 'holder_name', enterpriseCode: 'enterprise_code',
  certifier: 'certifier', productNames: 'product_names', categoryPaths: 'category_paths', productIds: 'product_ids', siteIds: 'site_ids',
  areaCodes: 'area_codes', validFrom: 'valid_from', validTo: 'valid_to', yearlyQuota: 'quota_value', 'yearlyQuota.value': 'quota_value',
  'yearlyQuota.unit': 'quota_unit', status: 'status', revokedOn: 'revoked_on', revokedReason: 'revoked_reason',
};

const columnOf = columnsByField(FIELD_COLUMNS);

/** A row's DomainError as its import problem, the field named by its CSV column. */
export function markRowError(row: number, error: unknown): ImportProblem {
  return problemFromError(row, error, columnOf);
}

const LIST_SEPARATOR = /[;；|、]/;
export const splitList = (cell: string): string[] => cell.split(LIST_SEPARATOR).map((v) => v.trim()).filter(Boolean);

export function parseMarksCsv(csv: string) {
  const { rows, problems, rowCount } = readCsv(csv, {
    columns: MARK_COLUMNS, required: ['scheme', 'number', 'holder_uscc', 'valid_from'], aliases: CHINESE_HEADERS, shortRows: 'pad',
  });
  return {
    problems,
    rowCount,
    rows: rows.map(({ row, cells: c }) => ({
      row,
      raw: {
        scheme: c.scheme, number: c.number, holderUscc: c.holder_uscc, holderName: c.holder_name, enterpriseCode: c.enterprise_code,
        certifier: c.certifier, productNames: splitList(c.product_names), categoryPaths: splitList(c.category_paths),
        productIds: splitList(c.product_ids), siteIds: splitList(c.site_ids), areaCodes: splitList(c.area_codes),
        validFrom: c.valid_from, validTo: c.valid_to || null,
        yearlyQuota: c.quota_value || c.quota_unit ? { value: c.quota_value, unit: c.quota_unit } : null,
        status: c.status, revokedOn: c.revoked_on, revokedReason: c.revoked_reason,
      } satisfies RawMarkRecord,
    })),
  };
}

export function marksToCsv(rows: Record<Column, string | number | boolean | null>[]): string {
  return writeCsvTable(MARK_COLUMNS, rows);
}
