/**
 * A 100,000-label print run end to end on the production path: create the run (codes inserted in
 * one transaction), then render the A4 PDF and the ZPL through the render job, in-process.
 *   npm run build && npx tsx bench/print-run.ts      (needs PostgreSQL; BENCH_COUNT to change the size)
 */
import { Client } from 'pg';
import { startProcess, stopProcess, table, waitForHealthy } from './support';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = `tianfu_bench_run_${process.pid}`;
const ADMIN = 'bench-admin-token-0123456789';
const PORT = 3921;
const API = `http://127.0.0.1:${PORT}`;

async function call(path: string, token: string, body?: unknown): Promise<{ status: number; json: any; bytes: number }> {
  const res = await fetch(`${API}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const buffer = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(buffer.toString()) : null;
  if (res.status >= 400) throw new Error(`${path}: ${res.status} ${buffer.toString().slice(0, 300)}`);
  return { status: res.status, json, bytes: buffer.length };
}

const ms = (from: bigint) => Math.round(Number(process.hrtime.bigint() - from) / 1e6);

async function untilReady(path: string, token: string): Promise<number> {
  for (;;) {
    const res = await call(path, token);
    if (res.status === 200) return res.bytes;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DB}`);
  const env = {
    DATABASE_URL: PG_ADMIN.replace(/\/[^/]*$/, `/${DB}`), ADMIN_TOKEN: ADMIN, SECRET_KEY: 'bench-secret-key-0123456789-0123456789',
    PORT: String(PORT), HOST: '127.0.0.1', PUBLIC_BASE_URL: 'https://trace.example.cn', LOG_LEVEL: 'warn', DEMO: 'false',
    FILES_DIR: `/tmp/tianfu-bench-files-${process.pid}`,
  };
  let api = startProcess(process.execPath, ['dist/src/cli.js', 'migrate'], env);
  await new Promise((resolve) => api.once('exit', resolve));
  api = startProcess(process.execPath, ['dist/src/main.js'], env);
  try {
    await waitForHealthy(`${API}/health`);
    const org = (await call('/api/v1/organizations', ADMIN, { name: '蒲江县绿源猕猴桃专业合作社', kind: 'cooperative', uscc: '91510114730209375B', regionCode: '510131' })).json;
    const key = (await call(`/api/v1/organizations/${org.id}/api-keys`, ADMIN, { role: 'org_admin' })).json.token;
    const product = (await call('/api/v1/products', key, { name: '蒲江猕猴桃（红阳）', category: '水果', gtin: '6901234567892' })).json;
    const site = (await call('/api/v1/sites', key, { name: '西来镇猕猴桃基地', regionCode: '510131' })).json;
    const batch = (await call('/api/v1/batches', key, { productId: product.id, siteId: site.id, quantity: { value: '1200', unit: 'kg' }, producedOn: '2026-10-08' })).json;

    let t = process.hrtime.bigint();
    const run = (await call(`/api/v1/batches/${batch.id}/print-runs`, key, { count: COUNT })).json;
    const rows = [{ step: `create print run (${COUNT} codes)`, ms: ms(t), size: '' }];
    for (const [format, layout] of [['pdf', 'a4-40'], ['zpl', 'roll-60x40']]) {
      t = process.hrtime.bigint();
      const bytes = await untilReady(`/api/v1/print-runs/${run.id}/labels.${format}?layout=${layout}`, key);
      rows.push({ step: `render + download labels.${format} (${layout}) as a job`, ms: ms(t), size: `${(bytes / 1e6).toFixed(1)} MB` });
    }
    console.log(`\nPrint run of ${COUNT} labels, PostgreSQL, jobs in-process\n`);
    console.log(table(rows));
  } finally {
    await stopProcess(api);
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
