import { INDICATORS, INDICATOR_KEYS, IndicatorKey, IndicatorResult, IndicatorRow, IndicatorTarget } from '../../indicators/domain';
import type { RegionLevel } from '../../regions/domain';
import { Cell, Column, Table, TableRow, toNumber } from './table';

/** "≥ 99%", "逐期提高", or "—" when the plan sets no target. */
export function targetText(target: IndicatorTarget): string {
  if (!target) return '—';
  return target.kind === 'at_least' ? `≥ ${Number((target.value * 100).toFixed(2))}%` : '逐期提高';
}

const MET_WORDS = { at_least: { yes: '达标', no: '未达标' }, rising: { yes: '较上期提高', no: '未提高' } } as const;

/** Published comparison figures in one line: "四川省 2024 年 99.5% · 全国 2024 年第一次 98%"; '' when none. */
export function referencesText(key: IndicatorKey): string {
  return (INDICATORS[key].references ?? []).map((r) => `${r.label} ${Number((r.rate * 100).toFixed(2))}%`).join(' · ');
}

/** Whether a row meets its target, in words (the page adds ✓/✗ and colour, never colour alone). */
export function metText(row: Pick<IndicatorRow, 'met' | 'target'>): string {
  if (row.met === null || !row.target) return '—';
  return MET_WORDS[row.target.kind][row.met ? 'yes' : 'no'];
}

/** Back from the words to the state, for the badge. */
export function metState(text: string): 'yes' | 'no' | null {
  for (const words of Object.values(MET_WORDS)) {
    if (text === words.yes) return 'yes';
    if (text === words.no) return 'no';
  }
  return null;
}

/** Indicators present in a result, in the plan's order. */
export function indicatorsIn(result: IndicatorResult): IndicatorKey[] {
  const present = new Set(result.rows.map((r) => r.indicator));
  return INDICATOR_KEYS.filter((k) => present.has(k));
}

/**
 * gi_claimed adds up claimed amounts in each GI product's own unit (kg, 箱 …): without a split by
 * GI product the sum mixes units, so the dashboard shows only its count of claiming batches.
 */
function isQuantity(key: IndicatorKey): boolean {
  return !!INDICATORS[key].quantity;
}

/**
 * A column group: one per indicator, and for the quality-mark indicators one per scheme (and unit),
 * whose figures are never added together.
 */
interface Series {
  key: IndicatorKey;
  id: string;
  title: string;
}

function seriesOf(row: IndicatorRow): Series {
  const def = INDICATORS[row.indicator];
  if (def.detail !== 'scheme' || !row.scheme) return { key: row.indicator, id: row.indicator, title: def.name };
  const unit = row.scheme.unit;
  return { key: row.indicator, id: `${row.indicator}.${row.scheme.id}${unit ? `.${unit}` : ''}`, title: `${def.name}·${row.scheme.name}${unit ? `(${unit})` : ''}` };
}

function indicatorColumns(series: Series): Column[] {
  const def = INDICATORS[series.key];
  const group = series.title;
  if (isQuantity(series.key)) return [{ key: `${series.id}.den`, header: def.denominatorLabel, kind: 'count', group }];
  return [
    // A rate per N (consumer reports per 10,000 scans) is a number, not a percentage.
    // A value in a unit (median reply hours) is a number too.
    def.unit ? { key: `${series.id}.rate`, header: def.unit, kind: 'amount', group }
      : def.per ? { key: `${series.id}.rate`, header: def.per === 10_000 ? '每万' : `每 ${def.per}`, kind: 'amount', group } : { key: `${series.id}.rate`, header: '比率', kind: 'rate', group },
    { key: `${series.id}.num`, header: def.numeratorLabel, kind: 'count', group },
    { key: `${series.id}.den`, header: def.denominatorLabel, kind: 'count', group },
    { key: `${series.id}.met`, header: '达标', kind: 'met', group },
  ];
}

function indicatorCells(row: IndicatorRow): Record<string, Cell> {
  const id = seriesOf(row).id;
  if (isQuantity(row.indicator)) return { [`${id}.den`]: toNumber(row.denominator) };
  return {
    [`${id}.rate`]: row.rate, [`${id}.num`]: toNumber(row.numerator), [`${id}.den`]: toNumber(row.denominator), [`${id}.met`]: metText(row),
  };
}

/** One table row per indicator: the KPI tiles as a table. */
export function kpiTable(result: IndicatorResult): Table {
  const rows: TableRow[] = result.rows.map((r) => {
    const def = INDICATORS[r.indicator];
    const quantity = isQuantity(r.indicator);
    return {
      cells: {
        indicator: seriesOf(r).title, numerator: quantity ? null : toNumber(r.numerator), denominator: toNumber(r.denominator),
        rate: quantity ? null : r.rate, previousRate: r.previousRate ?? null, target: targetText(r.target), met: metText(r),
        numeratorLabel: quantity ? '' : def.numeratorLabel, denominatorLabel: def.denominatorLabel, references: referencesText(r.indicator),
        description: def.description ?? '',
      },
    };
  });
  return {
    id: 'kpi', title: '指标总览',
    columns: [
      { key: 'indicator', header: '指标', kind: 'text' },
      { key: 'rate', header: '比率', kind: 'rate' },
      { key: 'numerator', header: '分子', kind: 'count' },
      { key: 'denominator', header: '分母', kind: 'count' },
      { key: 'target', header: '目标', kind: 'text' },
      { key: 'met', header: '达标情况', kind: 'met' },
      { key: 'previousRate', header: '上期比率', kind: 'rate' },
      { key: 'numeratorLabel', header: '分子含义', kind: 'text' },
      { key: 'denominatorLabel', header: '分母含义', kind: 'text' },
      { key: 'references', header: '参考值', kind: 'text' },
      { key: 'description', header: '口径说明', kind: 'text' },
    ],
    rows,
  };
}

/** Rows of one dimension value (a period, a region, an organisation) with a column group per indicator. */
function pivot(result: IndicatorResult, keyOf: (r: IndicatorRow) => string | null, head: (r: IndicatorRow) => TableRow): TableRow[] {
  const byKey = new Map<string, TableRow>();
  for (const row of result.rows) {
    const key = keyOf(row);
    if (key === null) continue;
    let out = byKey.get(key);
    if (!out) {
      out = head(row);
      byKey.set(key, out);
    }
    Object.assign(out.cells, indicatorCells(row));
  }
  return [...byKey.values()];
}

function groupColumns(result: IndicatorResult): Column[] {
  const series = new Map<string, Series>();
  for (const key of indicatorsIn(result)) {
    for (const row of result.rows) {
      if (row.indicator !== key) continue;
      const s = seriesOf(row);
      if (!series.has(s.id)) series.set(s.id, s);
    }
  }
  return [...series.values()].flatMap(indicatorColumns);
}

/** Periods down, indicators across (the figures behind the trend charts). */
export function trendTable(result: IndicatorResult): Table {
  const rows = pivot(result, (r) => r.period?.key ?? null, (r) => ({
    cells: { period: r.period!.key, from: r.period!.from, to: r.period!.to },
  })).sort((a, b) => String(a.cells.from).localeCompare(String(b.cells.from)));
  return {
    id: 'trend', title: '趋势',
    columns: [
      { key: 'period', header: '期间', kind: 'text' }, { key: 'from', header: '起', kind: 'date' }, { key: 'to', header: '止', kind: 'date' },
      ...groupColumns(result),
    ],
    rows,
  };
}

const LEVEL_TEXT: Record<RegionLevel, string> = { province: '省', prefecture: '市(州)', county: '县(市、区)' };

/**
 * Child regions down in code order (the parent's own figures, named 本级, first), indicators across.
 * (Each indicator lists only the regions it has figures for, so the first-seen order is no order.)
 * 本级 has no link: drilling into it would show the parent again.
 */
export function regionTable(result: IndicatorResult, link: (code: string) => string | undefined): Table {
  const rows = pivot(result, (r) => (r.region ? `${r.region.self ? 0 : 1}${r.region.code}` : null), (r) => ({
    cells: { regionCode: r.region!.code, region: r.region!.name, level: LEVEL_TEXT[r.region!.level] },
    href: r.region!.self ? undefined : link(r.region!.code),
  }));
  rows.sort((a, b) => (a.href ? 1 : 0) - (b.href ? 1 : 0) || String(a.cells.regionCode).localeCompare(String(b.cells.regionCode)));
  return {
    id: 'regions', title: '分地区',
    columns: [
      { key: 'region', header: '地区', kind: 'text' }, { key: 'regionCode', header: '区划代码', kind: 'text' }, { key: 'level', header: '级别', kind: 'text' },
      ...groupColumns(result),
    ],
    rows,
  };
}

/** Child categories down (the queried category's own figures first, as 本级), indicators across. */
export function categoryTable(result: IndicatorResult, link: (path: string) => string | undefined): Table {
  const rows = pivot(result, (r) => (r.category ? `${r.category.self ? 0 : 1}${r.category.path}` : null), (r) => ({
    cells: { category: r.category!.name, path: r.category!.path },
    href: r.category!.self ? undefined : link(r.category!.path),
  }));
  rows.sort((a, b) => (a.href ? 1 : 0) - (b.href ? 1 : 0) || String(a.cells.path).localeCompare(String(b.cells.path), 'zh-CN'));
  return {
    id: 'categories', title: '分产品类别',
    columns: [
      { key: 'category', header: '类别', kind: 'text' }, { key: 'path', header: '类别路径', kind: 'text' },
      ...groupColumns(result),
    ],
    rows,
  };
}

/** Organisations down by name, indicators across. */
export function organizationTable(result: IndicatorResult, link: (id: string) => string | undefined): Table {
  const rows = pivot(result, (r) => r.organization?.id ?? null, (r) => ({
    cells: { organization: r.organization!.name, regionCode: r.organization!.regionCode },
    href: link(r.organization!.id),
  }));
  rows.sort((a, b) => String(a.cells.organization).localeCompare(String(b.cells.organization), 'zh-CN'));
  return {
    id: 'organizations', title: '分主体',
    columns: [
      { key: 'organization', header: '主体', kind: 'text' }, { key: 'regionCode', header: '所在区划代码', kind: 'text' },
      ...groupColumns(result),
    ],
    rows,
  };
}

/**
 * Claimed quantities per GI product, in its own unit (never added across units), by name. The
 * figures are gi_claimed's: batches produced in the window that carry the GI mark.
 */
export function giTable(result: IndicatorResult): Table {
  const rows: TableRow[] = result.rows
    .filter((r) => r.indicator === 'gi_claimed' && r.gi)
    .map((r) => ({ cells: { gi: r.gi!.name, unit: r.gi!.unit, claimed: toNumber(r.numerator), batches: toNumber(r.denominator) } }));
  rows.sort((a, b) => String(a.cells.gi).localeCompare(String(b.cells.gi), 'zh-CN') || String(a.cells.unit).localeCompare(String(b.cells.unit)));
  const def = INDICATORS.gi_claimed;
  return {
    id: 'gi', title: '地理标志产品',
    columns: [
      { key: 'gi', header: '地理标志产品', kind: 'text' }, { key: 'unit', header: '单位', kind: 'text' },
      { key: 'claimed', header: def.numeratorLabel, kind: 'amount' }, { key: 'batches', header: def.denominatorLabel, kind: 'count' },
    ],
    rows,
  };
}
