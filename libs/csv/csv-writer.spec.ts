import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvChunks, csvLine, neutraliseCell, restoreCell, writeCsv } from './csv-writer';

const FORMULA = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** Text with the characters that matter over-represented: formula starts, apostrophes, quotes, separators. */
const cellText = fc.oneof(
  fc.string(),
  fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", "''=", "'-", '"', ',', '\n'), fc.string()).map(([a, b]) => a + b),
  fc.constantFrom('-1.5', '-40', '+1', '-', '=1+1', '@SUM(A1)', '=HYPERLINK("http://x.cn","点我")', '-2+3+cmd|\' /C calc\'!A0', '猕猴桃'),
);
const table = fc.array(fc.array(cellText, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 6 });
const read = (csv: string) => parse(csv, { bom: true, relax_column_count: true }) as string[][];

describe('the CSV writer', () => {
  it('property: csvChunks writes the very bytes of writeCsv, in any chunk size', () => {
    const spaced = fc.oneof(cellText, fc.constantFrom(' a', 'a ', '\u3000猕猴桃', 'x\u00a0', '', 'a"b', '"'));
    fc.assert(fc.property(fc.array(fc.array(fc.option(spaced, { nil: undefined }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 50 }), (rows, size) => {
      expect([...csvChunks(rows, size)].join('')).toBe(writeCsv(rows));
    }), { numRuns: 1000 });
  });

  it('property: no written cell starts like a formula, except plain numbers', () => {
    fc.assert(fc.property(table, (rows) => {
      for (const cell of read(writeCsv(rows)).flat()) expect(!FORMULA.test(cell) || PLAIN_NUMBER.test(cell)).toBe(true);
    }), { numRuns: 500 });
  });

  it('property: reading back and restoring gives the exact cells (quoting and neutralisation are lossless)', () => {
    fc.assert(fc.property(table, (rows) => {
      expect(read(writeCsv(rows)).map((r) => r.map(restoreCell))).toEqual(rows);
    }), { numRuns: 500 });
  });

  it('property: text that cannot start a formula is written as it is', () => {
    fc.assert(fc.property(fc.string().filter((s) => !/^'*[=+\-@\t\r]/.test(s)), (s) => expect(neutraliseCell(s)).toBe(s)), { numRuns: 500 });
  });

  it('property: a line is the same record as in a file', () => {
    fc.assert(fc.property(fc.array(cellText, { minLength: 2, maxLength: 6 }), (cells) => {
      expect(writeCsv([cells])).toBe(`\uFEFF${csvLine(cells)}\r\n`);
    }), { numRuns: 300 });
  });

  it('neutralises formulas, keeps plain negative numbers', () => {
    expect(['=1+1', '+1', '-', '@SUM(A1)', '\tx', '\rx', '-1e5', '- 3', "'=x"].map(neutraliseCell))
      .toEqual(["'=1+1", "'+1", "'-", "'@SUM(A1)", "'\tx", "'\rx", "'-1e5", "'- 3", "''=x"]);
    expect(['-1.5', '-40', '0', '12.50', "'abc", '猕猴桃', ''].map(neutraliseCell)).toEqual(['-1.5', '-40', '0', '12.50', "'abc", '猕猴桃', '']);
    expect(csvLine([-1.5, 3, -Infinity, NaN, true, false, null, undefined, '=A1,B1'])).toBe(`-1.5,3,'-Infinity,NaN,1,,,,"'=A1,B1"`);
  });

  it('quotes cells with whitespace at either end (readers trim it from unquoted cells)', () => {
    expect(csvLine([' a', 'b\t', '\u3000c', 'd e', ''])).toBe('" a","b\t","\u3000c",d e,');
  });

  it('writes a BOM and CRLF lines', () => {
    expect(writeCsv([['a', 'b'], ['猕猴桃', '1']])).toBe('\uFEFFa,b\r\n猕猴桃,1\r\n');
  });
});
