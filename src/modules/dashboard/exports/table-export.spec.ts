import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Table } from '../domain/table';
import { contentDisposition, tableCsv, tableXlsx } from './table-export';

const table: Table = {
  id: 'regions', title: '分地区',
  columns: [
    { key: 'region', header: '地区', kind: 'text' },
    { key: 'rm.rate', header: '比率', kind: 'rate', group: '例行监测合格率' },
    { key: 'rm.num', header: '合格样品数', kind: 'count', group: '例行监测合格率' },
    { key: 'rm.den', header: '检测样品数', kind: 'count', group: '例行监测合格率' },
    { key: 'rm.met', header: '达标', kind: 'met', group: '例行监测合格率' },
  ],
  rows: [
    { cells: { region: '蒲江县', 'rm.rate': 12 / 13, 'rm.num': 12, 'rm.den': 13, 'rm.met': '未达标' }, href: '/x' },
    { cells: { region: '=HYPERLINK("http://evil")', 'rm.rate': null, 'rm.num': 0, 'rm.den': 0, 'rm.met': '—' } },
  ],
};

const meta = { title: '分地区', filters: [['地区', '四川省']] as [string, string][], generatedAt: new Date('2026-11-27T02:00:00Z') };

async function readXlsx(buffer: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}

describe('table exports', () => {
  it('writes CSV with a UTF-8 BOM, CRLF, group·column headers and numbers as numbers', () => {
    const csv = tableCsv(table);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('\r\n');
    const rows = parse(csv, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['地区', '例行监测合格率·比率', '例行监测合格率·合格样品数', '例行监测合格率·检测样品数', '例行监测合格率·达标']);
    expect(rows[1]).toEqual(['蒲江县', '0.923077', '12', '13', '未达标']);
    expect(rows[2][2]).toBe('0');
    expect(rows[2][1]).toBe('');
  });

  it('keeps a formula-looking name as text in the CSV', () => {
    const rows = parse(tableCsv(table), { bom: true }) as string[][];
    expect(rows[2][0]).toBe('\'=HYPERLINK("http://evil")');
  });

  it('writes XLSX with the same rows: counts as numbers, rates as numbers with a % format, a 说明 sheet', async () => {
    const book = await readXlsx(await tableXlsx(table, meta));
    const sheet = book.getWorksheet('分地区')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '地区', '例行监测合格率·比率', '例行监测合格率·合格样品数', '例行监测合格率·检测样品数', '例行监测合格率·达标']);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('蒲江县');
    expect(first.getCell(2).value).toBeCloseTo(0.923077, 6);
    expect(first.getCell(2).numFmt).toBe('0.00%');
    expect(first.getCell(3).value).toBe(12);
    expect(sheet.getRow(3).getCell(1).value).toBe('=HYPERLINK("http://evil")');
    expect(sheet.getRow(3).getCell(1).formula).toBeUndefined();
    expect(sheet.rowCount).toBe(3);
    const about = book.getWorksheet('说明')!;
    expect(about.getRow(2).values).toEqual([undefined, '地区', '四川省']);
  });

  it('says in the file when rows stop at the cap', async () => {
    const capped = { ...table, truncatedAt: 2 };
    const rows = parse(tableCsv(capped), { bom: true, relax_column_count: true }) as string[][];
    expect(rows[rows.length - 1][0]).toMatch(/^仅导出前 2 行/);
    const book = await readXlsx(await tableXlsx(capped, meta));
    expect(String(book.getWorksheet('分地区')!.getRow(4).getCell(1).value)).toMatch(/^仅导出前 2 行/);
    expect(JSON.stringify(book.getWorksheet('说明')!.getSheetValues())).toContain('仅导出前 2 行');
  });

  it('names the file in RFC 5987 form with an ASCII fallback', () => {
    expect(contentDisposition('不合格样品-四川省.csv', 'dashboard-failed "x".csv'))
      .toBe(`attachment; filename="dashboard-failed _x_.csv"; filename*=UTF-8''%E4%B8%8D%E5%90%88%E6%A0%BC%E6%A0%B7%E5%93%81-%E5%9B%9B%E5%B7%9D%E7%9C%81.csv`);
    expect(contentDisposition("a'(b).csv", 'a.csv')).toContain("filename*=UTF-8''a%27%28b%29.csv");
  });
});
