import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../../../libs/errors';
import { parseCategoryCsv } from '../../categories/domain';
import { formatDecimal } from '../../../../libs/decimal';
import { formatLimitRow, LIMIT_CSV_COLUMNS, marksBanned, parseLimitCsv, standardFamily } from './limit-csv';

const SEED = join(__dirname, '..', '..', '..', 'database', 'seed');
const foods = new Set(parseCategoryCsv(readFileSync(join(SEED, 'food-categories.csv'), 'utf8')).map((c) => c.path));
const known = (p: string) => foods.has(p);
const HEADER = LIMIT_CSV_COLUMNS.join(',');

describe('limit table CSV', () => {
  it('parses the starter table without a problem', () => {
    const { rows, problems, total } = parseLimitCsv(readFileSync(join(SEED, 'limits-starter.csv'), 'utf8'), known);
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(total);
    expect(rows.length).toBeGreaterThan(80);
    const tea = rows.find((r) => r.analyte === '铅' && r.food === '饮料类>茶叶')!;
    expect(tea).toMatchObject({ standard: 'GB 2762', edition: '2017', effectiveFrom: '2017-09-17', kind: 'contaminant', verified: true });
    expect(formatDecimal(tea.limit!)).toBe('5');
  });

  it('reads quoted fields, doubled quotes, CRLF and a BOM; rows are numbered as a spreadsheet shows them', () => {
    const text = `\ufeff${HEADER}\r\nGB 2763,2021,2021-09-03,毒死蜱,chlorpyrifos,mrl,水果>柑橘类水果,1,no,"a note, with ""quotes"""\r\n`;
    const { rows, problems } = parseLimitCsv(text, known);
    expect(problems).toEqual([]);
    expect(rows[0].note).toBe('a note, with "quotes"');
    // A line break inside quotes does not start a row; a quote after spaces opens a quoted field.
    const multiline = `${HEADER}\nGB 2763,2021,2021-09-03,毒死蜱,chlorpyrifos,mrl,水果>柑橘类水果,1,no,"two\nlines"\nGB 2763,2021,2021-09-03,多菌灵,carbendazim,mrl,谷物,2,no, "a, b"`;
    expect(parseLimitCsv(multiline, known).rows.map((r) => [r.row, r.note])).toEqual([[2, 'two\nlines'], [3, 'a, b']]);
  });

  it('reports every broken row by row and column, and keeps none of them', () => {
    const text = [
      HEADER,
      'GB 2763,2021,2021-09-03,毒死蜱,chlorpyrifos,mrl,水果>柑橘类水果,1,no,', // line 2 fine
      'GB 2763,2021,2021-02-30,毒死蜱,chlorpyrifos,mrl,水果>仁果类水果>苹果,1,no,', // 3 bad date
      'GB 2763,2021,2021-09-03,毒死蜱,chlorpyrifos,maximum,水果>仁果类水果>苹果,1,no,', // 4 bad kind
      'GB 2763,2021,2021-09-03,毒死蜱,chlorpyrifos,mrl,水果>榴莲,1,no,', // 5 unknown food
      'GB 2763,2021,2021-09-03,毒死蜱,chlorpyrifos,mrl,谷物,-1,no,', // 6 negative
      'GB 2763,2021,2021-09-03,毒死蜱,chlorpyrifos,mrl,水果>柑橘类水果,2,no,', // 7 duplicate of line 2
      'GB 2763,2021,2021-09-04,多菌灵,carbendazim,mrl,谷物,2,no,', // 8 second date for the edition
      'GB 2763,2021,2021-09-03,多菌灵,carbendazim,mrl', // 9 short
      'GB2763x,21,2021-09-03,,x,mrl,谷物,,maybe,', // 10 many
      'GB 2763,2021,2021-09-03,多菌灵,carbendazim,mrl,蔬菜,0,no,', // 11 zero MRL
      'GB 2763,2026,2025-12-01,多菌灵,carbendazim,mrl,蔬菜,1,no,', // 12 effective before the edition year
    ].join('\n');
    const { rows, problems, total } = parseLimitCsv(text, known);
    expect(total).toBe(11);
    expect(rows.map((r) => r.row)).toEqual([2]);
    const at = (row: number) => problems.filter((p) => p.row === row).map((p) => `${p.column}:${p.code}:${p.message}`);
    expect(at(3)).toEqual([expect.stringMatching(/^effective_from:VALIDATION_FAILED:.*not a date/)]);
    expect(at(4)).toEqual([expect.stringMatching(/^kind:VALIDATION_FAILED:"maximum" is not one of/)]);
    expect(at(5)).toEqual([expect.stringMatching(/^food:UNKNOWN_FOOD:/)]);
    expect(at(6)).toEqual([expect.stringMatching(/^limit_mg_per_kg:VALIDATION_FAILED:.*not a non-negative decimal/)]);
    expect(at(7)).toEqual([expect.stringMatching(/^food:DUPLICATE_IN_FILE:.*\(row 2\)/)]);
    expect(at(8)).toEqual([expect.stringMatching(/^effective_from:EDITION_DATE_CONFLICT:/)]);
    expect(at(9)).toEqual(['null:BAD_ROW:expected 10 cells, found 6']);
    expect(at(10).map((p) => p.split(':').slice(0, 2).join(':'))).toEqual(expect.arrayContaining([
      'standard:VALIDATION_FAILED', 'edition:VALIDATION_FAILED', 'analyte:VALIDATION_FAILED', 'limit_mg_per_kg:VALIDATION_FAILED', 'verified:VALIDATION_FAILED',
    ]));
    expect(at(11)).toEqual([expect.stringMatching(/^limit_mg_per_kg:VALIDATION_FAILED:.*use kind not_detectable/)]);
    expect(at(12)).toEqual([expect.stringMatching(/^effective_from:VALIDATION_FAILED:.*before edition 2026/)]);
  });

  it('accepts withdrawn rows without a limit and must-not-be-detected rows with 0', () => {
    const text = `${HEADER}\nGB 2763,2026,2026-03-01,毒死蜱,chlorpyrifos,withdrawn,饮料类>茶叶,,no,dropped\nGB 31650,2019,2020-04-01,克伦特罗,clenbuterol,not_detectable,肉类,,no,`;
    const { rows, problems } = parseLimitCsv(text, known);
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({ kind: 'withdrawn', limit: null });
    expect(formatDecimal(rows[1].limit!)).toBe('0');
  });

  it('refuses a wrong header as a whole', () => {
    expect(() => parseLimitCsv('standard,edition\nGB 2763,2021', known)).toThrow(DomainError);
    expect(() => parseLimitCsv('', known)).toThrow(/empty/);
  });

  it('groups numbered parts with their standard and reads the banned marker', () => {
    expect(standardFamily('GB 2763.1')).toBe('GB 2763');
    expect(standardFamily('GB 31650')).toBe('GB 31650');
    expect(marksBanned('mrl', 'sum with 3-hydroxycarbofuran; banned pesticide')).toBe(true);
    expect(marksBanned('banned', '')).toBe(true);
    expect(marksBanned('mrl', 'applies to citrus not listed separately')).toBe(false);
  });

  it('round-trips rows through formatLimitRow', () => {
    const { rows } = parseLimitCsv(readFileSync(join(SEED, 'limits-starter.csv'), 'utf8'), known);
    const again = parseLimitCsv([HEADER, ...rows.map(formatLimitRow)].join('\n'), known);
    expect(again.problems).toEqual([]);
    expect(again.rows.map(formatLimitRow)).toEqual(rows.map(formatLimitRow));
  });

  it('property: any text either parses (rows + problems) or throws a DomainError — never crashes', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('GB 2763', '2021', '2021-09-03', 'mrl', 'withdrawn', '水果', '0.5', '"', '""', ',', '\n', '\r\n', 'µg'));
    const line = fc.array(cell, { maxLength: 12 }).map((cells) => cells.join(','));
    const table = fc.array(line, { maxLength: 8 }).map((lines) => [HEADER, ...lines].join('\n'));
    fc.assert(fc.property(fc.oneof(table, fc.string()), (text) => {
      try {
        const { rows, problems, total } = parseLimitCsv(text, known);
        expect(rows.length).toBeLessThanOrEqual(total);
        for (const p of problems) expect(p.row).toBeGreaterThan(1);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
      }
    }), { numRuns: 3000 });
  });
});
