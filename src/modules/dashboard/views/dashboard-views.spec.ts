import { result, row } from '../testing/indicator-fixtures';
import { regionTable } from '../domain/indicator-tables';
import { h } from 'preact';
import { renderHtml } from '../../../common/html';
import type { IndicatorRow } from '../../indicators/domain';
import type { Table } from '../domain/table';
import { TableCard, TableCardOptions } from './table-html';
import { Tile, Tiles } from './tiles';

const tile = (row: IndicatorRow) => renderHtml(h(Tile, { row }));
const tiles = (rows: IndicatorRow[]) => renderHtml(h(Tiles, { rows }));
const tableCard = (table: Table, exportQuery: string, o?: TableCardOptions) => renderHtml(h(TableCard, { table, exportQuery, o }));

describe('dashboard views', () => {
  it('shows a tile\'s rate, numerator/denominator, target and met state in words and symbol', () => {
    const html = tile(row('routine_monitoring', 994, 1000));
    expect(html).toContain('data-indicator="routine_monitoring" data-numerator="994" data-denominator="1000"');
    expect(html).toContain('99.40%');
    expect(html).toContain('合格样品数 <b>994</b> / 检测样品数 <b>1,000</b>');
    expect(html).toContain('目标 ≥ 99%');
    expect(html).toMatch(/class="met yes"><span aria-hidden="true">✓<\/span> 达标/);
    const failing = tile(row('food_sampling', 97, 100));
    expect(failing).toContain('class="tile no"');
    expect(failing).toMatch(/✗<\/span> 未达标/);
    // The plan's published figures, to compare against (DOMAIN.md §6).
    expect(html).toContain('参考 四川省 2023 年 99.4% · 四川省 2024 年 99.5% · 全国 2024 年第一次 98%');
    expect(failing).toContain('参考 全国 2023 年 97.27%');
    expect(tile(row('certificate_issuance', 3, 4))).not.toContain('参考');
  });

  it('says when there is nothing to compare with, and shows a quantity as a count', () => {
    expect(tile(row('routine_monitoring', 0, 0))).toContain('— 暂无可比数据');
    expect(tile(row('certificate_issuance', 3, 4, { met: null, previousRate: null }))).toContain('上期 —');
    const gi = tile(row('gi_claimed', 1234.5, 12));
    expect(gi).toContain('12 <small>批次</small>');
    expect(gi).not.toContain('%');
    expect(tiles([])).toContain('没有指标数据');
  });

  it('renders a breakdown table with drill-down links, one cell per indicator, export links, escaped text', () => {
    const table = regionTable(result([
      row('routine_monitoring', 12, 13, { region: { code: '510131', name: '蒲江县<script>', level: 'county' } }),
    ], ['region']), (code) => `/app/dashboard?region=${code}&from=2026-01`);
    const html = tableCard(table, '?region=510100&from=2026-01');
    expect(html).toContain('<a href="/app/dashboard?region=510131&amp;from=2026-01">蒲江县&lt;script></a>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<th scope="col">农产品质量安全例行监测合格率</th>');
    expect(html).toMatch(/<td class="ind"><strong>92.31%<\/strong> <small>12\/13<\/small> <span class="met no">/);
    expect(html).toContain('href="/app/dashboard/export/regions.csv?region=510100&amp;from=2026-01"');
    expect(html).toContain('href="/app/dashboard/export/regions.xlsx?region=510100&amp;from=2026-01"');
  });

  it('says so when a table has no rows', () => {
    expect(tableCard({ id: 'batches', title: '批次', columns: [], rows: [] }, '', { empty: '该期间没有批次' })).toContain('该期间没有批次');
  });
});
