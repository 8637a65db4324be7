import { esc } from '../../../common/html';
import { INDICATORS } from '../../indicators/domain';
import type { IndicatorRow } from '../../indicators/domain';
import { metState, metText, referencesText, targetText } from '../domain/indicator-tables';
import { percent } from '../domain/table';

const NUMBER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 3 });

function count(value: string): string {
  const n = Number(value);
  return Number.isFinite(n) ? NUMBER.format(n) : esc(value);
}

/** One KPI tile: the rate, numerator/denominator with their meaning, the target and whether it is met. */
export function tile(row: IndicatorRow): string {
  const def = INDICATORS[row.indicator];
  const words = metText(row);
  const state = metState(words) ?? 'unknown';
  const data = `data-indicator="${esc(row.indicator)}" data-numerator="${esc(row.numerator)}" data-denominator="${esc(row.denominator)}"`;
  if (def.quantity) {
    return `<article class="tile unknown" ${data}><h3>${esc(row.name)}</h3>
<p class="big">${count(row.denominator)} <small>批次</small></p><p class="frac">${esc(def.denominatorLabel)}</p><p class="target">目标 ${targetText(row.target)}</p></article>`;
  }
  const verdict = state === 'unknown'
    ? `<p class="met unknown">${row.target ? '— 暂无可比数据' : '— 无目标'}</p>`
    : `<p class="met ${state}"><span aria-hidden="true">${state === 'yes' ? '✓' : '✗'}</span> ${esc(words)}</p>`;
  const previous = row.target?.kind === 'rising' && row.previousRate !== undefined ? ` · 上期 ${percent(row.previousRate)}` : '';
  const references = referencesText(row.indicator);
  return `<article class="tile ${state}" ${data}><h3>${esc(row.name)}</h3>
<p class="big">${percent(row.rate)}</p>
<p class="frac">${esc(def.numeratorLabel)} <b>${count(row.numerator)}</b> / ${esc(def.denominatorLabel)} <b>${count(row.denominator)}</b></p>
<p class="target">目标 ${esc(targetText(row.target))}${previous}</p>${verdict}${references ? `<p class="ref">参考 ${esc(references)}</p>` : ''}</article>`;
}

export function tiles(rows: IndicatorRow[]): string {
  return rows.length ? `<div class="tiles">${rows.map(tile).join('')}</div>` : '<p class="muted">没有指标数据</p>';
}
