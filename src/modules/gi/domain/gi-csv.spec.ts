import fc from 'fast-check';
import { completeUscc } from '../../../../libs/codes';
import { DomainError } from '../../../../libs/errors';
import { parseAuthorisationsCsv, parseRecordsCsv, rowError, toCsv, RECORD_COLUMNS } from './gi-csv';
import { normalizeAuthorisationTerms, normalizeGiRecord } from './gi-inputs';

const HOLDER = completeUscc('5151013100000000');

/** Every row either normalises or fails with a DomainError that becomes a row report. */
function checkAll(csv: string): void {
  try {
    for (const { row, raw } of parseRecordsCsv(csv).rows) {
      try {
        normalizeGiRecord(raw);
      } catch (error) {
        expect(rowError(row, error).code).toMatch(/^[A-Z_]+$/);
      }
    }
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
  }
}

describe('GI CSV files', () => {
  it('reads headers in English or Chinese, a BOM, quotes and CRLF; rows keep their spreadsheet row numbers', () => {
    const csv = `\uFEFF类型,登记证书编号,产品名称,持有人统一社会信用代码,保护范围代码,持有人\r\nagi,AGI02738,涪城芦笋,${HOLDER},510703,"绵阳市涪城区现代农业技术推广办公室,\r\n示例"\r\n\r\npgi,示例PGI汉源花椒,汉源花椒,${HOLDER},"511823;510100",\r\n`;
    const { rows } = parseRecordsCsv(csv);
    // A line break inside a quoted cell stays in its row, as in a spreadsheet; the blank line is row 3.
    expect(rows.map((r) => r.row)).toEqual([2, 4]);
    expect(normalizeGiRecord(rows[0].raw)).toMatchObject({ regime: 'agi', registrationNumber: 'AGI02738', holderName: '绵阳市涪城区现代农业技术推广办公室,\r\n示例' });
    expect(normalizeGiRecord(rows[1].raw).areaCodes).toEqual(['510100', '511823']);
  });

  it('names the column of a row problem', () => {
    const { rows: [row] } = parseAuthorisationsCsv('regime,registration_number,organization,valid_from,quota_value,quota_unit\nagi,AGI02738,x,2026-01-01,5,cm');
    expect(() => normalizeAuthorisationTerms(row.raw)).toThrow(DomainError);
    try {
      normalizeAuthorisationTerms(row.raw);
    } catch (error) {
      expect(rowError(row.row, error)).toMatchObject({ row: 2, column: 'quota_unit', code: 'INVALID_QUANTITY' });
    }
  });

  it('round-trips an export', () => {
    const csv = toCsv(RECORD_COLUMNS, [{ regime: 'agi', registration_number: 'AGI02738', product_name: '涪城芦笋', holder_uscc: HOLDER, area_codes: '510703', area_text: 'a, "b"' }]);
    const { rows: [row] } = parseRecordsCsv(csv);
    expect(normalizeGiRecord(row.raw)).toMatchObject({ productName: '涪城芦笋', areaText: 'a, "b"', chinaEu: false, status: 'active' });
  });

  it('reads cells named like Object.prototype members as plain text (a regime of "valueOf" is unknown)', () => {
    const header = 'regime,registration_number,product_name,holder_uscc,area_codes';
    for (const name of ['valueOf', 'constructor', '__proto__', 'toString']) checkAll(`${header}\n${name},${name},${name},${name},${name}`);
  });

  it('never crashes on arbitrary files: rows or DomainErrors only', () => {
    const header = 'regime,registration_number,product_name,holder_uscc,area_codes,announced_on,china_eu,bbox_min_lat,bbox_min_lng,bbox_max_lat,bbox_max_lng,status,revoked_on';
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('agi', 'pgi', 'AGI02738', HOLDER, '510131', '2026-02-30', '是', '30.1', '"', ',', '\n'));
    fc.assert(fc.property(fc.array(fc.array(cell, { maxLength: 14 }), { maxLength: 6 }), (rows) => {
      checkAll([header, ...rows.map((r) => r.join(','))].join('\n'));
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => checkAll(text)), { numRuns: 300 });
  });
});
