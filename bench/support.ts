import { Client } from 'pg';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');

export function startProcess(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function waitForHealthy(url: string, attempts = 1200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never became healthy`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export function table(rows: Record<string, string | number>[]): string {
  const keys = Object.keys(rows[0]);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => String(r[k]))))].join('\n');
}

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchApi {
  url: string;
  databaseUrl: string;
  process: ChildProcess;
}

/**
 * A fresh PostgreSQL database (dropped afterwards), migrated, with the built API (dist/) started on
 * it at `port`; `use` runs against it.
 */
export async function withApi<T>(port: number, extraEnv: Record<string, string>, use: (api: BenchApi) => Promise<T>): Promise<T> {
  const name = `tianfu_bench_${process.pid}_${port}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const env = {
    DATABASE_URL: databaseUrl, ADMIN_TOKEN: BENCH_ADMIN_TOKEN, SECRET_KEY: 'bench-secret-key-0123456789-0123456789',
    PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: 'https://trace.example.cn', LOG_LEVEL: 'warn', DEMO: 'false',
    ...extraEnv,
  };
  const migrate = startProcess(process.execPath, ['dist/src/cli.js', 'migrate'], env);
  await new Promise((resolve) => migrate.once('exit', resolve));
  const api = startProcess(process.execPath, ['dist/src/main.js'], env);
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHealthy(`${url}/health`);
    return await use({ url, databaseUrl, process: api });
  } finally {
    await stopProcess(api);
    if (process.env.BENCH_KEEP_DB) console.error(`kept ${databaseUrl}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export interface CallResult {
  status: number;
  json: any;
  bytes: number;
}

/** One API call; throws on 4xx/5xx. */
export async function call(base: string, path: string, token: string, body?: unknown): Promise<CallResult> {
  const res = await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const buffer = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(buffer.toString()) : null;
  if (res.status >= 400) throw new Error(`${path}: ${res.status} ${buffer.toString().slice(0, 300)}`);
  return { status: res.status, json, bytes: buffer.length };
}

/** A cooperative with a product, a site and a batch, created over the API; returns its org_admin token. */
export async function demoBatch(base: string, product: Record<string, unknown> = {}): Promise<{ token: string; batchId: string; traceCode: string }> {
  const org = (await call(base, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '蒲江县绿源猕猴桃专业合作社', kind: 'cooperative', uscc: '91510114730209375B', regionCode: '510131' })).json;
  const token = (await call(base, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })).json.token;
  const p = (await call(base, '/api/v1/products', token, { name: '蒲江猕猴桃（红阳）', category: '水果', spec: '2.5kg/箱', ...product })).json;
  const site = (await call(base, '/api/v1/sites', token, { name: '西来镇猕猴桃基地', regionCode: '510131' })).json;
  const batch = (await call(base, '/api/v1/batches', token, { productId: p.id, siteId: site.id, quantity: { value: '1200', unit: 'kg' }, producedOn: '2026-10-08' })).json;
  return { token, batchId: batch.id, traceCode: batch.traceCode };
}

/** Runs a benchmark's main function, exiting non-zero on failure. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
