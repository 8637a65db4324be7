/**
 * A 100,000-label print run end to end on the production path: create the run (codes inserted in
 * one transaction), then render the A4 PDF and the ZPL through the render job, in-process.
 *   npm run build && npx tsx bench/print-run.ts      (needs PostgreSQL; BENCH_COUNT to change the size)
 */
import { call, demoBatch, runBench, table, withApi } from './support';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);

const ms = (from: bigint) => Math.round(Number(process.hrtime.bigint() - from) / 1e6);

async function untilReady(base: string, path: string, token: string): Promise<number> {
  for (;;) {
    const res = await call(base, path, token);
    if (res.status === 200) return res.bytes;
    await new Promise((r) => setTimeout(r, 200));
  }
}

runBench(() => withApi({ FILES_DIR: `/tmp/tianfu-bench-files-${process.pid}` }, async ({ url }) => {
  const { token, batchId } = await demoBatch(url, { gtin: '6901234567892' });
  let t = process.hrtime.bigint();
  const run = (await call(url, `/api/v1/batches/${batchId}/print-runs`, token, { count: COUNT })).json;
  const rows = [{ step: `create print run (${COUNT} codes)`, ms: ms(t), size: '' }];
  for (const [format, layout] of [['pdf', 'a4-40'], ['zpl', 'roll-60x40']]) {
    t = process.hrtime.bigint();
    const bytes = await untilReady(url, `/api/v1/print-runs/${run.id}/labels.${format}?layout=${layout}`, token);
    rows.push({ step: `render + download labels.${format} (${layout}) as a job`, ms: ms(t), size: `${(bytes / 1e6).toFixed(1)} MB` });
  }
  console.log(`\nPrint run of ${COUNT} labels, PostgreSQL, jobs in-process\n`);
  console.log(table(rows));
}));
