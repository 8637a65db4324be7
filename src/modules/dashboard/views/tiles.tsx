import { INDICATORS } from '../../indicators/domain';
import type { IndicatorRow } from '../../indicators/domain';
import type { MarketSamplingFigure } from '../../market-sampling';
import { metState, metText, referencesText, targetText } from '../domain/indicator-tables';
import { percent } from '../domain/table';

const NUMBER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 3 });

function count(value: string): string {
  const n = Number(value);
  return Number.isFinite(n) ? NUMBER.format(n) : value;
}

/** A rate per N (consumer reports per 10,000 scans): "3.2 / 万". */
function perText(rate: number | null, per: number): string {
  return rate === null ? '—' : `${NUMBER.format(Math.round(rate * 100) / 100)} / ${per === 10_000 ? '万' : NUMBER.format(per)}`;
}

/** One KPI tile: the rate, numerator/denominator with their meaning, the target and whether it is met. */
export function Tile({ row }: { row: IndicatorRow }) {
  const def = INDICATORS[row.indicator];
  const words = metText(row);
  const state = metState(words) ?? 'unknown';
  const data = { 'data-indicator': row.indicator, 'data-numerator': row.numerator, 'data-denominator': row.denominator };
  if (def.quantity) {
    return (
      <article class="tile unknown" {...data}><h3>{row.name}</h3>
        <p class="big">{count(row.denominator)} <small>批次</small></p><p class="frac">{def.denominatorLabel}</p>
        <p class="target">目标 {targetText(row.target)}</p></article>
    );
  }
  const previous = row.target?.kind === 'rising' && row.previousRate !== undefined ? ` · 上期 ${percent(row.previousRate)}` : '';
  const references = referencesText(row.indicator);
  return (
    <article class={`tile ${state}`} {...data}><h3>{row.name}</h3>
      <p class="big">{row.populationMissing ? '无人口数据' : def.unit ? (row.rate === null ? '—' : `${NUMBER.format(row.rate)} ${def.unit}`) : def.per ? perText(row.rate, def.per) : percent(row.rate)}</p>
      <p class="frac">{def.numeratorLabel} <b>{count(row.numerator)}</b> / {def.denominatorLabel} <b>{count(row.denominator)}</b></p>
      <p class="target">目标 {targetText(row.target)}{previous}</p>
      {state === 'unknown'
        ? <p class="met unknown">{row.target ? '— 暂无可比数据' : '— 无目标'}</p>
        : <p class={`met ${state}`}><span aria-hidden="true">{state === 'yes' ? '✓' : '✗'}</span> {words}</p>}
      {references && <p class="ref">参考 {references}</p>}
      {def.scope && <p class="ref" data-scope="">{def.scope}</p>}
    </article>
  );
}

/**
 * The market regulator's published all-food sampling pass rate (市场监管部门食品抽检合格率), the
 * figure the plan's 食品抽检合格率 target is judged on, with its period, region and source.
 */
export function MarketSamplingTile({ figure }: { figure: MarketSamplingFigure }) {
  const target = INDICATORS.food_sampling.target;
  const met = target?.kind === 'at_least' ? figure.passRate >= target.value : null;
  return (
    <article class={`tile ${met === null ? 'unknown' : met ? 'yes' : 'no'}`} data-market-sampling={figure.period}>
      <h3>食品抽检合格率（市场监管部门公布）</h3>
      <p class="big">{percent(figure.passRate)}</p>
      <p class="frac">合格批次 <b>{count(String(figure.samples - figure.failed))}</b> / 抽检批次 <b>{count(String(figure.samples))}</b></p>
      <p class="target">目标 {targetText(target)} · 期间 {figure.period} · {figure.regionName}</p>
      {met !== null && <p class={`met ${met ? 'yes' : 'no'}`}><span aria-hidden="true">{met ? '✓' : '✗'}</span> {met ? '达标' : '未达标'}</p>}
      <p class="ref" data-scope="">口径：市场监管部门全品类食品安全监督抽检（规划考核口径），由省级监管部门导入 · 来源：{figure.source}{figure.fileName ? `（${figure.fileName}）` : ''}</p>
    </article>
  );
}

export function Tiles({ rows, marketSampling }: { rows: IndicatorRow[]; marketSampling?: MarketSamplingFigure | null }) {
  if (!rows.length) return <p class="muted">没有指标数据</p>;
  // The published figure sits right after the platform's own 食品抽检合格率, so the two read side by side.
  return (
    <div class="tiles">{rows.map((row) => (row.indicator === 'food_sampling' && marketSampling
      ? <><Tile row={row} /><MarketSamplingTile figure={marketSampling} /></>
      : <Tile row={row} />))}</div>
  );
}
