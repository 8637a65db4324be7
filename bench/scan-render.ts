/**
 * In-process cost of rendering the consumer page /t/{code} (no HTTP, no database): pages/s for
 * item codes of one cached batch (the per-batch parts are cached, only the code line and the
 * scan count are new) and for a batch seen for the first time (everything rendered).
 *   npx tsx bench/scan-render.ts        Settings: BENCH_MS (per round, default 2000), BENCH_ROUNDS (5).
 * Prints the median of the rounds. Machine load drifts: compare runs made back to back.
 */
import { renderScanPage } from '../src/modules/scan/views/scan-page';
import type { ScanView } from '../src/modules/scan/scan.service';

const MS = Number(process.env.BENCH_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const SECTIONS = '<section class="card" id="certificates"><h2>承诺达标合格证</h2><ul class="certs"><li><a href="https://trace.example/c/x">HG510131-2026-000001</a> <span class="cert-valid">有效</span></li></ul></section>'
  + '<section class="card" id="tests"><h2>检测信息</h2><ul class="tests"><li><span>2026-10-01 · 农药残留 · 12 项</span> <b class="verdict pass">合格</b></li></ul></section>';

function view(i: number, product: ScanView['product']): ScanView {
  return {
    code: `742B4XNBN9Z${String(i % 100).padStart(2, '0')}`, kind: 'item', serial: i, traceUrl: 'https://trace.example/t/x', qrContent: 'x',
    status: 'active', banner: null, product,
    producer: { name: '蒲江县明月猕猴桃专业合作社', kind: 'cooperative', regionCode: '510131', regionName: '四川省成都市蒲江县' },
    site: { name: '明月村基地', regionCode: '510131', regionName: '四川省成都市蒲江县' },
    batch: { lotCode: 'L20261001-01', producedOn: '2026-10-01', quantity: { value: '1200', unit: 'kg' } },
    scans: { count: 1 + (i % 7), clients: 1, firstScannedAt: '2026-10-02T02:03:04.000Z', copyWarning: false },
  };
}

const product = (): ScanView['product'] => ({ name: '蒲江猕猴桃', category: '水果>浆果和其他小型水果>猕猴桃', gtin: '06901234567892', spec: '5kg/箱', standard: 'NY/T 1794' });

function round(fresh: boolean): number {
  const shared = product();
  let n = 0;
  let bytes = 0;
  const end = performance.now() + MS;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++, n++) bytes += renderScanPage(view(n, fresh ? product() : shared), SECTIONS).length;
  }
  if (bytes === 0) throw new Error('nothing rendered');
  return n / (MS / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cached: number[] = [];
const fresh: number[] = [];
round(false); round(true); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  cached.push(round(false));
  fresh.push(round(true));
}
console.log(`renderScanPage, median of ${ROUNDS} rounds × ${MS} ms, node ${process.version}`);
console.log(`  item code of a cached batch : ${Math.round(median(cached)).toLocaleString('en')} pages/s`);
console.log(`  batch rendered from scratch : ${Math.round(median(fresh)).toLocaleString('en')} pages/s`);
console.log(`  page size                   : ${renderScanPage(view(1, product()), SECTIONS).length} bytes`);
