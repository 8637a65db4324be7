/**
 * The public notices page (issue 19: target ≤ 100 ms p95). BENCH_FAILED failed samples made through
 * the API (each disposed of; every third lot also recalled, 一级), their verdicts moved 10 days back
 * so the recheck window has closed, then GET /notices/{county|province}?period=2026 sequentially.
 *   npm run build && npx tsx bench/notices.ts     (needs PostgreSQL; BENCH_FAILED, BENCH_GETS)
 */
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import { BENCH_ADMIN_TOKEN, call, demoBatch, runBench, table, withApi } from './support';

const FAILED = Number(process.env.BENCH_FAILED ?? 60);
const GETS = Number(process.env.BENCH_GETS ?? 300);
const COLLECT = { place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' };

function stats(samples: number[]): Record<string, string> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  return { mean: (samples.reduce((s, v) => s + v, 0) / samples.length).toFixed(2), p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

runBench(() => withApi({}, async ({ url, databaseUrl }) => {
  const org = async (body: Record<string, unknown>, role: string) => {
    const o = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, body)).json;
    return { id: o.id as string, token: (await call(url, `/api/v1/organizations/${o.id}/api-keys`, BENCH_ADMIN_TOKEN, { role })).json.token as string };
  };
  const regulator = await org({ name: '蒲江县农业农村局', kind: 'regulator', uscc: completeUscc('11510131MB1C6666'), regionCode: '510131' }, 'regulator');
  const lab = await org({ name: '四川省农产品质量安全检测中心', kind: 'lab', uscc: completeUscc('12510000MB0P0777'), regionCode: '510131' }, 'lab');
  const first = await demoBatch(url, { category: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃' });
  const product = (await call(url, `/api/v1/batches/${first.batchId}`, first.token)).json;
  for (let i = 0; i < FAILED; i++) {
    const batch = (await call(url, '/api/v1/batches', first.token, { productId: product.product.id, siteId: product.siteId, quantity: { value: '1200', unit: 'kg' }, producedOn: '2026-10-08' })).json;
    const sample = (await call(url, '/api/v1/sampling/samples', regulator.token, { batchId: batch.id, stream: 'supervisory_sampling', labOrganizationId: lab.id, analytes: ['溴氰菊酯'] })).json;
    await call(url, `/api/v1/sampling/samples/${sample.id}/collect`, regulator.token, COLLECT);
    await call(url, `/api/v1/sampling/samples/${sample.id}/receive`, lab.token, {});
    await call(url, `/api/v1/sampling/samples/${sample.id}/results`, lab.token, { results: [{ analyte: '溴氰菊酯', value: '5', unit: 'mg/kg' }] });
    for (let tries = 0; (await call(url, `/api/v1/sampling/samples/${sample.id}`, regulator.token)).json.status !== 'judged'; tries++) {
      if (tries > 200) throw new Error('sample not judged');
      await new Promise((r) => setTimeout(r, 50));
    }
    await call(url, '/api/v1/disposals', regulator.token, { batchId: batch.id, method: 'destroy', quantity: { value: '1200', unit: 'kg' }, disposedOn: '2026-11-25', witness: '蒲江县农业农村局 李四' });
    if (i % 3 === 0) await call(url, '/api/v1/recalls', first.token, { batchId: batch.id, reason: '抽检不合格', grade: 1, discoveredAt: '2026-11-20T10:00:00+08:00' });
  }
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query('UPDATE samples SET judged_on = judged_on - 10');
  await db.end();

  const rows: Record<string, string | number>[] = [];
  for (const path of ['/notices/510131?period=2026', '/notices/510000?period=2026', '/notices/510131?period=2026-11']) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < GETS; i++) {
      const t = process.hrtime.bigint();
      const res = await fetch(`${url}${path}`);
      bytes = (await res.arrayBuffer()).byteLength;
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    }
    rows.push({ path, requests: GETS, kB: (bytes / 1024).toFixed(1), ...stats(times.slice(10)) });
  }
  console.log(`notices page, ${FAILED} failed samples (disposed; ${Math.ceil(FAILED / 3)} recalled), ms per request, sequential:`);
  console.log(table(rows));
}));
