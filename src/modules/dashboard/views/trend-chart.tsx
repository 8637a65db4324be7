import type { ComponentChildren } from 'preact';
import { percent } from '../domain/table';

export interface TrendPoint {
  /** Period key as the indicator rows give it (`2026-03`, `2026-Q1`, `2026`). */
  label: string;
  rate: number | null;
  numerator: number | null;
  denominator: number | null;
}

const W = 320;
const H = 150;
const PAD = { left: 44, right: 10, top: 12, bottom: 24 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

function xAt(i: number, n: number): number {
  return PAD.left + (n === 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1));
}

/**
 * The rate axis: up to 100%, down to a 5% step below the lowest rate or target, so 98.7% against a
 * 99% target is visible rather than flattened against a 0–100% axis.
 */
export function rateDomain(rates: number[], target: number | null): { lo: number; hi: number } {
  const lowest = Math.min(...rates, ...(target === null ? [] : [target]), 1);
  return { lo: Math.max(0, Math.floor((lowest - 0.02) * 20) / 20), hi: 1 };
}

/**
 * Labels under the axis stand this far apart at least: a 10px "2026-03" is about 40 units wide, and
 * next to the end-anchored last label a centred one needs one and a half widths.
 */
const LABEL_GAP = 60;

/**
 * Which of `n` periods, `pitch` units apart, get a label: the first, the last, and every `step`-th
 * between, with `step` the fewest periods that keep labels LABEL_GAP apart.
 */
export function labelledPeriods(n: number, pitch: number): number[] {
  if (n <= 1) return n === 1 ? [0] : [];
  const step = Math.max(1, Math.ceil(LABEL_GAP / pitch));
  const picked: number[] = [];
  for (let i = 0; i < n - 1; i += step) picked.push(i);
  // The last label must not crowd the one before it (the first always stays).
  if (picked.length > 1 && (n - 1 - picked[picked.length - 1]) * pitch < LABEL_GAP) picked.pop();
  return [...picked, n - 1];
}

/**
 * Rate (or count) at the top and bottom of the plot; period labels under it. A line's first and
 * last points sit on the plot's edges, so their labels start and end there; bars' labels are centred.
 */
function AxisLabels({ points, lo, hi, xOf, edges }: { points: TrendPoint[]; lo: string; hi: string; xOf: (i: number) => number; edges: 'points' | 'bars' }) {
  const n = points.length;
  const pitch = n > 1 ? xOf(1) - xOf(0) : PLOT_W;
  const anchor = (i: number) => (edges === 'bars' || n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle');
  return <>
    <text x={PAD.left - 4} y={PAD.top + 4} text-anchor="end">{hi}</text>
    <text x={PAD.left - 4} y={PAD.top + PLOT_H} text-anchor="end">{lo}</text>
    {labelledPeriods(n, pitch).map((i) => <>
      <line class="tick" x1={xOf(i).toFixed(1)} y1={PAD.top + PLOT_H} x2={xOf(i).toFixed(1)} y2={PAD.top + PLOT_H + 3} />
      <text x={xOf(i).toFixed(1)} y={H - 6} text-anchor={anchor(i)}>{points[i].label}</text>
    </>)}
    <line class="axis" x1={PAD.left} y1={PAD.top + PLOT_H} x2={W - PAD.right} y2={PAD.top + PLOT_H} />
  </>;
}

function describe(name: string, points: TrendPoint[], value: (p: TrendPoint) => string): string {
  return `${name}：${points.map((p) => `${p.label} ${value(p)}`).join('，')}`;
}

function Chart({ label, children }: { label: string; children: ComponentChildren }) {
  return <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>{children}</svg>;
}

const NO_DATA = <p class="muted">该期间没有数据</p>;

/**
 * A rate over periods as a server-rendered SVG line (no chart library: a polyline per run of
 * periods with data, a dashed target line, a dot per period with its figures as a tooltip).
 * Periods without samples (rate null) break the line instead of drawing a zero.
 */
export function rateChart(name: string, points: TrendPoint[], target: number | null): ComponentChildren {
  if (!points.some((p) => p.rate !== null)) return NO_DATA;
  const rates = points.map((p) => p.rate).filter((r): r is number => r !== null);
  const { lo, hi } = rateDomain(rates, target);
  const yAt = (rate: number) => PAD.top + ((hi - rate) / (hi - lo)) * PLOT_H;
  const n = points.length;
  const runs: string[][] = [[]];
  points.forEach((p, i) => {
    if (p.rate === null) runs.push([]);
    else runs[runs.length - 1].push(`${xAt(i, n).toFixed(1)},${yAt(p.rate).toFixed(1)}`);
  });
  return (
    <Chart label={describe(name, points, (p) => percent(p.rate))}>
      <AxisLabels points={points} lo={percent(lo, 0)} hi={percent(hi, 0)} xOf={(i) => xAt(i, n)} edges="points" />
      {target !== null && <>
        <line class="target" x1={PAD.left} y1={yAt(target).toFixed(1)} x2={W - PAD.right} y2={yAt(target).toFixed(1)} />
        <text class="target-label" x={W - PAD.right} y={(yAt(target) - 3).toFixed(1)} text-anchor="end">目标 {percent(target, 0)}</text>
      </>}
      {runs.filter((r) => r.length > 1).map((r) => <polyline class="line" points={r.join(' ')} />)}
      {points.map((p, i) => (p.rate === null ? null : (
        <circle class="dot" cx={xAt(i, n).toFixed(1)} cy={yAt(p.rate).toFixed(1)} r={3}>
          <title>{p.label}：{percent(p.rate)}（{p.numerator ?? 0}/{p.denominator ?? 0}）</title></circle>
      )))}
    </Chart>
  );
}

/** A count over periods as bars (gi_claimed: claiming batches), same frame as the rate chart. */
export function countChart(name: string, points: TrendPoint[]): ComponentChildren {
  const max = Math.max(0, ...points.map((p) => p.denominator ?? 0));
  if (max === 0) return NO_DATA;
  const n = points.length;
  const slot = PLOT_W / n;
  const centre = (i: number) => PAD.left + (i + 0.5) * slot;
  return (
    <Chart label={describe(name, points, (p) => String(p.denominator ?? 0))}>
      <AxisLabels points={points} lo="0" hi={String(max)} xOf={centre} edges="bars" />
      {points.map((p, i) => {
        const h = ((p.denominator ?? 0) / max) * PLOT_H;
        return (
          <rect class="bar" x={(PAD.left + i * slot + slot * 0.15).toFixed(1)} y={(PAD.top + PLOT_H - h).toFixed(1)} width={(slot * 0.7).toFixed(1)} height={h.toFixed(1)}>
            <title>{p.label}：{p.denominator ?? 0}</title></rect>
        );
      })}
    </Chart>
  );
}
