import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../../../libs/errors';
import { parseCategoryCsv } from './category-path';

const SEED = join(__dirname, '..', '..', '..', 'database', 'seed', 'food-categories.csv');

describe('the category tree file', () => {
  it('reads the seed file: every path with its parent and depth', () => {
    const rows = parseCategoryCsv(readFileSync(SEED, 'utf8'));
    expect(rows.length).toBeGreaterThan(50);
    expect(rows).toContainEqual({ path: '蔬菜>叶菜类蔬菜', name: '叶菜类蔬菜', parentPath: '蔬菜', depth: 2 });
  });

  it('reads the file as a spreadsheet saves it (BOM, CRLF, quotes, full-width separators) through the shared reader', () => {
    expect(parseCategoryCsv('\uFEFFPath\r\n"水果"\r\n\r\n 水果 ＞ 柑橘类水果 \r\n').map((r) => [r.path, r.parentPath])).toEqual([
      ['水果', null], ['水果>柑橘类水果', '水果'],
    ]);
  });

  it('refuses a wrong header or a broken row as a whole, naming the row', () => {
    expect(() => parseCategoryCsv('name\n水果')).toThrow(expect.objectContaining({ code: 'INVALID_CATEGORY_FILE', details: expect.objectContaining({ rule: 'header' }) }));
    let error: unknown;
    try {
      parseCategoryCsv('path\n水果\n水果>>苹果\n蔬菜,x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details).toMatchObject({
      rowCount: 3, problems: [{ row: 3, column: 'path', code: 'VALIDATION_FAILED' }, { row: 4, column: null, code: 'BAD_ROW' }],
    });
  });
});
