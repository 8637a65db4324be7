/**
 * Consumer reports (问题反馈, issue 19): POST /api/v1/consumer-reports with no photo and with three
 * photos (1280 × 960 JPEGs as the scan page's script sends them: each checked and re-encoded by
 * sharp without metadata), and the recall plan and summary report PDF (GET /api/v1/recalls/{id}/report.pdf).
 * Sequential requests, ms per request.
 *   npm run build && npx tsx bench/consumer-reports.ts     (needs PostgreSQL; BENCH_REPORTS, BENCH_PDFS)
 */
import sharp from 'sharp';
import { call, demoBatch, runBench, table, withApi } from './support';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 60);
const PDFS = Number(process.env.BENCH_PDFS ?? 30);

function stats(samples: number[]): Record<string, string> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return { mean: (samples.reduce((s, v) => s + v, 0) / samples.length).toFixed(1), p50: at(0.5), p95: at(0.95) };
}

async function timed(n: number, run: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times;
}

runBench(() => withApi({ CONSUMER_REPORT_RATE_LIMIT_MAX: '10000', TRUST_PROXY: 'true' }, async ({ url }) => {
  const { token, batchId, traceCode } = await demoBatch(url);
  // A photo with detail (noise), so the JPEG is as large as a real one shrunk in the browser (~150–230 KB).
  const raw = Buffer.alloc(1280 * 960 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = ((i % 3840) >> 4) + ((i * 7919) & 0x3f);
  let photo = Buffer.alloc(0);
  // As the page's script does: the best quality that stays within 230 KB.
  for (const quality of [82, 70, 55, 40, 25]) {
    photo = await sharp(raw, { raw: { width: 1280, height: 960, channels: 3 } }).jpeg({ quality }).toBuffer();
    if (photo.length <= 230 * 1024) break;
  }
  const data = photo.toString('base64');
  const post = async (i: number, photos: unknown[]) => {
    const res = await fetch(`${url}/api/v1/consumer-reports`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i % 250}`, 'user-agent': `bench ${i}` },
      body: JSON.stringify({ code: traceCode, category: 'quality', text: '猕猴桃有异味，已经变质', photos }),
    });
    if (res.status !== 201) throw new Error(`report: ${res.status} ${await res.text()}`);
  };
  const rows: Record<string, string | number>[] = [];
  rows.push({ what: 'report, no photo', requests: REPORTS, ...stats((await timed(REPORTS, (i) => post(i, []))).slice(5)) });
  rows.push({
    what: `report, 3 photos of ${(photo.length / 1024).toFixed(0)} KB`, requests: REPORTS,
    ...stats((await timed(REPORTS, (i) => post(i, [1, 2, 3].map(() => ({ contentType: 'image/jpeg', data }))))).slice(5)),
  });
  const recall = (await call(url, '/api/v1/recalls', token, { batchId, reason: '抽检不合格', grade: 1 })).json;
  await call(url, `/api/v1/recalls/${recall.id}/confirmations`, token, { recovered: { value: '1000', unit: 'kg' }, disposed: { value: '100', unit: 'kg' }, soldThrough: { value: '100', unit: 'kg' } });
  let bytes = 0;
  const pdfTimes = await timed(PDFS, async () => { bytes = (await call(url, `/api/v1/recalls/${recall.id}/report.pdf`, token)).bytes; });
  rows.push({ what: `recall report PDF (${(bytes / 1024).toFixed(0)} KB)`, requests: PDFS, ...stats(pdfTimes.slice(3)) });
  console.log('consumer reports and the recall report PDF, ms per request, sequential:');
  console.log(table(rows));
}));
