import fc from 'fast-check';
import { DomainError } from '../errors';
import { readCsv, readCsvRecords } from './csv-reader';
import { writeCsv } from './csv-writer';

const cells = (text: string) => readCsvRecords(text).map((r) => r.cells);
const rows = (text: string) => readCsvRecords(text).map((r) => r.row);

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('the CSV reader', () => {
  it('reads a BOM, quoted fields with commas, doubled quotes and line breaks, and CRLF, LF or CR line ends, mixed', () => {
    expect(cells('\uFEFFa,"b, ""c"""\r\nd,"e\r\nf"\ng,h\ri,j')).toEqual([['a', 'b, "c"'], ['d', 'e\r\nf'], ['g', 'h'], ['i', 'j']]);
  });

  it('trims whitespace around fields, keeps it inside quotes; a quote after spaces still opens a quoted field', () => {
    // Spreadsheets write `a, "b, c"` — the reason the limits reader once was hand-written.
    expect(cells('a, "b, c",d')).toEqual([['a', 'b, c', 'd']]);
    expect(cells(' a ,"  b  ",\u3000c\u3000, "d" ')).toEqual([['a', '  b  ', 'c', 'd']]);
  });

  it('reads a quote inside an unquoted field as text', () => {
    expect(cells('12" pipe,x "y" z')).toEqual([['12" pipe', 'x "y" z']]);
  });

  it('numbers rows as a spreadsheet shows them: a quoted line break stays in its row, a blank line is a row (skipped)', () => {
    expect(rows('a,"b\nc",d\ne,f,g')).toEqual([1, 2]);
    expect(readCsvRecords('a\r\n\r\n  \nb\n,\n')).toEqual([{ row: 1, cells: ['a'] }, { row: 4, cells: ['b'] }, { row: 5, cells: ['', ''] }]);
  });

  it('takes off the apostrophe the writer put before formula-like cells', () => {
    expect(cells(`'=1+1,'-x,''=y,'abc,-1.5`)).toEqual([['=1+1', '-x', "'=y", "'abc", '-1.5']]);
  });

  it('refuses a broken file with INVALID_CSV (or the importer\'s code) naming the row', () => {
    expect(thrown(() => readCsvRecords('a,b\n\nx,"y\nz'))).toMatchObject({ code: 'INVALID_CSV', details: { rule: 'csv', row: 3 } });
    expect(thrown(() => readCsvRecords('a\n"b"c', { code: 'INVALID_LIMIT_FILE' }))).toMatchObject({ code: 'INVALID_LIMIT_FILE', details: { rule: 'csv', row: 2 } });
    expect(thrown(() => readCsvRecords('a,b\n', { maxBytes: 3 }))).toMatchObject({ code: 'INVALID_CSV', details: { rule: 'max_bytes', maxBytes: 3 } });
  });
});

describe('reading a table with a header', () => {
  const columns = ['sample_no', 'analyte', 'value', 'method'] as const;
  const options = { columns, required: ['sample_no', 'analyte'] as const, aliases: { 样品编号: 'sample_no' as const } };

  it('maps header names (any case, aliases, any order) to columns; absent optional columns read as empty', () => {
    const table = readCsv('Analyte , 样品编号,VALUE\n毒死蜱,S1,0.1\n', options);
    expect(table).toEqual({
      columns: ['analyte', 'sample_no', 'value'],
      rows: [{ row: 2, cells: { sample_no: 'S1', analyte: '毒死蜱', value: '0.1', method: '' } }],
      problems: [],
      rowCount: 1,
    });
  });

  it('refuses unknown, missing and repeated columns in one error (or ignores unknown ones when told)', () => {
    expect(thrown(() => readCsv('sample_no,colour,Sample_No\n', options))).toMatchObject({
      code: 'INVALID_CSV',
      details: { rule: 'header', unknownColumns: ['colour'], missingColumns: ['analyte'], duplicateColumns: ['sample_no'] },
    });
    expect(readCsv('sample_no,colour,analyte,\nS1,red,x,\n', { ...options, unknownColumns: 'ignore' }).rows[0].cells).toMatchObject({ sample_no: 'S1', analyte: 'x' });
    expect(thrown(() => readCsv('\n\n', options))).toMatchObject({ code: 'INVALID_CSV', message: expect.stringMatching(/empty/) });
  });

  it('reports rows that do not fit the header as BAD_ROW problems; pads short rows when told', () => {
    const text = 'sample_no,analyte,value\nS1,x\nS2,y,1,\nS3,z,1,extra\nS4,w,2';
    const strict = readCsv(text, options);
    expect(strict.rows.map((r) => r.row)).toEqual([3, 5]);
    expect(strict.problems).toEqual([
      { row: 2, column: null, code: 'BAD_ROW', message: 'expected 3 cells, found 2' },
      { row: 4, column: null, code: 'BAD_ROW', message: 'expected 3 cells, found 4' },
    ]);
    expect(strict.rowCount).toBe(4);
    const padded = readCsv(text, { ...options, shortRows: 'pad' });
    expect(padded.rows.map((r) => r.row)).toEqual([2, 3, 5]);
    expect(padded.rows[0].cells.value).toBe('');
  });

  it('refuses more rows than allowed', () => {
    expect(thrown(() => readCsv('sample_no,analyte\n1,a\n2,b\n3,c', { ...options, maxRows: 2, code: 'INVALID_RESULTS_FILE' })))
      .toMatchObject({ code: 'INVALID_RESULTS_FILE', details: { rule: 'max_rows', maxRows: 2, rows: 3 } });
    expect(readCsv('sample_no,analyte\n1,a\n2,b', { ...options, maxRows: 2 }).rows).toHaveLength(2);
  });
});

/** Text with what matters over-represented: formula starts, apostrophes, quotes, separators, line ends, edge whitespace, CJK. */
const cellText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", "''=", '"', ',', '\n', '\r\n', ' ', '\u3000', '\uFEFF', '猕猴桃'), fc.string({ maxLength: 8 }),
    fc.constantFrom('', ' ', '\t', '"', '\n', '\u3000', '，'))
    .map(([a, b, c]) => a + b + c),
  fc.constantFrom('-1.5', '=HYPERLINK("http://x.cn","点我")', '-2+3+cmd|\' /C calc\'!A0', '汉源花椒, 四川', '"', '""', ' '),
);
/** A one-cell empty row is a blank line (a spreadsheet shows it empty too): the reader skips it. */
const record = fc.array(cellText, { minLength: 1, maxLength: 6 }).filter((r) => r.length > 1 || r[0] !== '');

describe('reader and writer together', () => {
  it('property: the reader gives back exactly the cells the writer wrote', () => {
    fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 6 }), (records) => {
      expect(cells(writeCsv(records))).toEqual(records);
    }), { numRuns: 1000 });
  });

  it('property: an exported table re-imports cell for cell under its header', () => {
    const columns = ['a', 'b', 'c'] as const;
    fc.assert(fc.property(fc.array(fc.tuple(cellText, cellText, cellText), { maxLength: 6 }), (data) => {
      const table = readCsv(writeCsv([columns, ...data]), { columns });
      expect(table.problems).toEqual([]);
      expect(table.rows.map((r) => [r.cells.a, r.cells.b, r.cells.c])).toEqual(data);
      expect(table.rows.map((r) => r.row)).toEqual(data.map((_, i) => i + 2));
    }), { numRuns: 500 });
  });

  it('property: any bytes either read or fail with a DomainError naming the row — never anything else', () => {
    const special = [0x2c, 0x22, 0x0d, 0x0a, 0x20, 0x27, 0x3d, 0x09, 0xef, 0xbb, 0xbf, 0xe3, 0x80, 0x00, 0xff];
    const bytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...special)), { maxLength: 200 }).map((b) => Buffer.from(b));
    fc.assert(fc.property(bytes, fc.constantFrom('utf8', 'latin1') as fc.Arbitrary<BufferEncoding>, (soup, encoding) => {
      const text = soup.toString(encoding);
      for (const read of [() => readCsvRecords(text), () => readCsv(text, { columns: ['a', 'b'], required: [], unknownColumns: 'ignore' })]) {
        try {
          read();
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          const { code, details } = error as DomainError;
          expect(code).toBe('INVALID_CSV');
          if (details?.rule === 'csv') expect(details.row).toEqual(expect.any(Number));
        }
      }
    }), { numRuns: 3000 });
  });
});
