/*
 * Label rendering benchmark: `npx tsx bench/labels-pdf.ts [count]` (default 10,000 labels).
 *
 * In one run: the naive PDF pipeline (per label: QRCode.toString(svg) → path → pdfkit doc.path(),
 * plus the same text through doc.text() with widthOfString() fitting, same layout) against
 * renderLabelsPdf() for the a4-40 sheet, then renderLabelsPdf() on a roll (median of 3, and its
 * rate as a share of the A4 rate), and ZPL and TSPL. Wall-clock and process CPU (all threads).
 * Prints a table; asserts nothing (see DESIGN.md: performance is measured in bench/).
 *
 * Note on the naive QR: qrcode's SVG draws dark modules as a *stroked* path of 1-unit horizontal
 * lines ("M0 0.5h7…"), so `doc.path(d).fill()` would paint nothing; the naive pipeline strokes it
 * with line width 1, which is what the SVG means and costs the same path parsing.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { LABEL_LAYOUTS, renderLabelsPdf, renderLabelsTspl, renderLabelsZpl, type LabelContent, type LabelLayout } from '../libs/labels';
import { cjkFontData } from '../libs/labels/cjk-font';
import { CAPTION, ELLIPSIS, labelPlan, rowBaselinesMm, rowsFor, rowText } from '../libs/labels/label-plan';
import { mmToPt } from '../libs/labels/layouts';
import { QR_QUIET_ZONE } from '../libs/labels/qr-matrix';
import { runBench } from './support';

const COUNT = Number(process.argv[2] ?? 10_000);
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Deterministic pseudo-random trace codes (13 Crockford base32 characters). */
function makeLabels(n: number): LabelContent[] {
  let seed = 20261127;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  const code = (): string => Array.from({ length: 13 }, () => CROCKFORD[next() % 32]).join('');
  return Array.from({ length: n }, (_, i) => ({
    // Half short trace URLs, half GS1 Digital Link URLs (serial = trace code).
    qrText:
      i % 2 === 0
        ? `https://trace.example.cn/t/${code()}`
        : `https://trace.example.cn/01/06901234567892/10/2611270A3F/21/${code()}`,
    productName: '蒲江猕猴桃（红阳）',
    lot: '2611270A3F',
    serial: String(i + 1).padStart(6, '0'),
    date: '2026-11-27',
    producer: '蒲江县绿源猕猴桃专业合作社',
  }));
}

/** The straightforward pdfkit pipeline, same geometry as renderLabelsPdf. */
async function naivePdf(labels: LabelContent[], layout: LabelLayout): Promise<Buffer> {
  const spec = LABEL_LAYOUTS[layout];
  const plan = labelPlan(layout);
  const size = [mmToPt(spec.pageWidthMm), mmToPt(spec.pageHeightMm)];
  const doc = new PDFDocument({ size, margin: 0, autoFirstPage: false });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', cjkFontData('regular'));
  doc.registerFont('bold', cjkFontData('bold'));
  const perPage = spec.columns * spec.rows;
  const textX = mmToPt(plan.text.xMm);
  const textW = mmToPt(plan.text.widthMm);
  const draw = (text: string, font: string, size0: number, min: number, maxW: number, x: number, baseline: number, center: boolean): void => {
    doc.font(font).fontSize(size0);
    let s = text;
    let w = doc.widthOfString(s);
    if (w > maxW) {
      const size = Math.max(min, Math.floor(((size0 * maxW) / w) * 10) / 10);
      doc.fontSize(size);
      w = doc.widthOfString(s);
      while (w > maxW && s.length > 0) {
        s = Array.from(s).slice(0, -1).join('');
        w = doc.widthOfString(s + ELLIPSIS);
        if (w <= maxW) s += ELLIPSIS;
      }
    }
    doc.text(s, center ? x - w / 2 : x, baseline, { lineBreak: false, baseline: 'alphabetic' });
  };
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const cell = i % perPage;
    if (cell === 0) doc.addPage({ size, margin: 0 });
    const x = (cell % spec.columns) * mmToPt(spec.labelWidthMm);
    const y = Math.floor(cell / spec.columns) * mmToPt(spec.labelHeightMm);
    const svg = await QRCode.toString(label.qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
    const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    const modules = Number(/viewBox="0 0 (\d+)/.exec(svg)?.[1]);
    const m = mmToPt(plan.qr.sizeMm) / (modules + 2 * QR_QUIET_ZONE);
    doc
      .save()
      .translate(x + mmToPt(plan.qr.xMm) + QR_QUIET_ZONE * m, y + mmToPt(plan.qr.yMm) + QR_QUIET_ZONE * m)
      .scale(m)
      .path(d)
      .lineWidth(1)
      .stroke('#000000')
      .restore();
    draw(CAPTION, 'bold', plan.caption.sizePt, plan.caption.sizePt, mmToPt(plan.qr.sizeMm), x + mmToPt(plan.caption.centerXMm), y + mmToPt(plan.caption.baselineMm), true);
    const rows = rowsFor(plan, label);
    const baselines = rowBaselinesMm(plan, rows);
    rows.forEach((row, k) => {
      const text = rowText(row, label);
      const center = plan.text.align === 'center';
      draw(text, row.weight, row.sizePt, row.minSizePt, textW, x + (center ? textX + textW / 2 : textX), y + mmToPt(baselines[k]), center);
    });
  }
  doc.end();
  return done;
}

interface Row {
  name: string;
  ms: number;
  /** CPU of the whole process (main thread, libuv pool, deflate worker): comparable on a loaded machine. */
  cpuMs: number;
  bytes: number;
  labels: number;
}

async function time(name: string, labels: number, fn: () => Promise<Buffer | string> | Buffer | string): Promise<Row> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { name, ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes: typeof out === 'string' ? Buffer.byteLength(out) : out.length, labels };
}

async function main(): Promise<void> {
  const labels = makeLabels(COUNT);
  const warm = makeLabels(200);
  // Warm-up (JIT, font parsing) for both pipelines, so the table compares steady-state work.
  await naivePdf(warm, 'a4-40');
  await renderLabelsPdf(warm, 'a4-40');
  await renderLabelsPdf(warm, 'roll-60x40');
  renderLabelsZpl(warm, 'roll-60x40');
  renderLabelsTspl(warm, 'roll-60x40');

  const rows: Row[] = [];
  const naive = await time('naive pdfkit PDF, a4-40', COUNT, () => naivePdf(labels, 'a4-40'));
  rows.push(naive);
  const fast: Row[] = [];
  for (let r = 0; r < 3; r++) fast.push(await time('renderLabelsPdf, a4-40', COUNT, () => renderLabelsPdf(labels, 'a4-40')));
  fast.sort((a, b) => a.ms - b.ms);
  rows.push({ ...fast[1], name: 'renderLabelsPdf, a4-40 (median of 3)' });
  rows.push({ ...fast[0], name: 'renderLabelsPdf, a4-40 (best of 3)' });
  rows.push(await time('renderLabelsPdf, a4-40, deflate 6', COUNT, () => renderLabelsPdf(labels, 'a4-40', { deflateLevel: 6 })));
  rows.push(await time('renderLabelsPdf, a4-40, deflate 1', COUNT, () => renderLabelsPdf(labels, 'a4-40', { deflateLevel: 1 })));
  const roll: Row[] = [];
  for (let r = 0; r < 3; r++) roll.push(await time('renderLabelsPdf, roll-60x40', COUNT, () => renderLabelsPdf(labels, 'roll-60x40')));
  roll.sort((a, b) => a.ms - b.ms);
  rows.push({ ...roll[1], name: 'renderLabelsPdf, roll-60x40 (median of 3)' });
  rows.push(await time('renderLabelsZpl, roll-60x40', COUNT, () => renderLabelsZpl(labels, 'roll-60x40')));
  rows.push(await time('renderLabelsTspl, roll-60x40', COUNT, () => renderLabelsTspl(labels, 'roll-60x40')));

  const pad = (s: string, n: number): string => s.padStart(n);
  console.log(`labels: ${COUNT} · node ${process.version} · ${cpus().length} cores · load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${'pipeline'.padEnd(44)}${pad('ms', 9)}${pad('CPU ms', 9)}${pad('MB', 8)}${pad('labels/s', 11)}${pad('/CPU-s', 9)}${pad('speed-up', 10)}`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(44)}${pad(r.ms.toFixed(0), 9)}${pad(r.cpuMs.toFixed(0), 9)}${pad((r.bytes / 1e6).toFixed(2), 8)}` +
        `${pad(Math.round((r.labels / r.ms) * 1000).toString(), 11)}${pad(Math.round((r.labels / r.cpuMs) * 1000).toString(), 9)}` +
        `${pad(`${(naive.ms / r.ms).toFixed(1)}x`, 10)}`,
    );
  }
  const median = rows[1];
  const rollMedian = roll[1];
  console.log(`\nroll-60x40 / a4-40 (median runs): ${(median.ms / rollMedian.ms).toFixed(2)} of the A4 rate by wall clock, ` +
    `${(median.cpuMs / rollMedian.cpuMs).toFixed(2)} by process CPU (issue 21 target: 1.0)`);
  console.log(
    `\na4-40 target: < 5000 ms and >= 5x the naive pipeline → ${median.ms.toFixed(0)} ms, ` +
      `${(naive.ms / median.ms).toFixed(1)}x: ${median.ms < 5000 && naive.ms / median.ms >= 5 ? 'MET' : 'NOT MET'}`,
  );
}

runBench(main);
