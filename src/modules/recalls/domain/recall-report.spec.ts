import { reportCsv, ReportRow, sortRows } from './recall-report';

const row = (over: Partial<ReportRow>): ReportRow => ({
  lot: 'L1', lotUri: 'https://x.cn/t/ABC', product: '猕猴桃', quantity: '10', unit: 'kg', location: '四川省成都市蒲江县',
  date: '2026-11-01T00:00:00.000Z', eventType: 'receiving', source: 'A', destination: 'B', referenceDocument: '', ...over,
});

describe('recall report', () => {
  it('sorts by any column, quantities as numbers', () => {
    const rows = [row({ lot: 'a', quantity: '9' }), row({ lot: 'b', quantity: '10' }), row({ lot: 'c', quantity: '100' })];
    expect(sortRows(rows, 'quantity', 'asc').map((r) => r.lot)).toEqual(['a', 'b', 'c']);
    expect(sortRows(rows, 'quantity', 'desc').map((r) => r.lot)).toEqual(['c', 'b', 'a']);
    expect(sortRows(rows, 'lot', 'desc').map((r) => r.lot)).toEqual(['c', 'b', 'a']);
  });

  it('writes CSV with a BOM, quoting, and no formulas', () => {
    const csv = reportCsv([row({ source: '蒲江, "绿源"', referenceDocument: '=HYPERLINK("x")' })]);
    expect(csv.startsWith('\uFEFF日期 Date,')).toBe(true);
    const line = csv.split('\r\n')[1];
    expect(line).toContain('"蒲江, ""绿源"""');
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
