import { INDICATORS } from '../../indicators/domain';
import type { IndicatorRow } from '../../indicators/domain';
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

export function Tiles({ rows }: { rows: IndicatorRow[] }) {
  return rows.length ? <div class="tiles">{rows.map((row) => <Tile row={row} />)}</div> : <p class="muted">没有指标数据</p>;
}
