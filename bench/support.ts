import autocannon from 'autocannon';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');

export function startProcess(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface Listening {
  process: ChildProcess;
  url: string;
}

/**
 * Starts a server that listens on a port the OS picks (PORT=0) and prints "Listening on: http://…"
 * (main.js's banner, hello-fastify.ts); resolves with that URL. Fixed ports collided with other
 * runs on this shared machine.
 */
export async function startListening(command: string, args: string[], env: Record<string, string>): Promise<Listening> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    let found = false;
    // Read to the end, not only to the line: a full pipe would block the server.
    child.stdout!.on('data', (chunk: Buffer) => {
      if (found) return;
      seen += chunk.toString();
      const match = /Listening on:\s+(http:\/\/\S+)/.exec(seen);
      if (match) {
        found = true;
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => { if (!found) reject(new Error(`${args.join(' ')} exited (${code}) before listening:\n${seen.slice(-2000)}`)); });
  });
  return { process: child, url };
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
export const BENCH_AUDIT_SIGNING_KEY = Buffer.alloc(32, 0xbe).toString('base64');
const PG_ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchApi {
  url: string;
  databaseUrl: string;
  process: ChildProcess;
}

let databases = 0;

/** The settings of a bench API process on `databaseUrl` (withApi's; more replicas on one database use them too). */
export function benchApiEnv(databaseUrl: string, extraEnv: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl, ADMIN_TOKEN: BENCH_ADMIN_TOKEN, SECRET_KEY: 'bench-secret-key-0123456789-0123456789', AUDIT_SIGNING_KEY: BENCH_AUDIT_SIGNING_KEY,
    HOST: '127.0.0.1', PUBLIC_BASE_URL: 'https://trace.example.cn', LOG_LEVEL: 'warn', DEMO: 'false',
    ...extraEnv,
  };
}

/**
 * A fresh PostgreSQL database (dropped afterwards), migrated, with the built API (dist/) started on
 * it on a free port; `use` runs against it.
 */
export async function withApi<T>(extraEnv: Record<string, string>, use: (api: BenchApi) => Promise<T>): Promise<T> {
  const name = `tianfu_bench_${process.pid}_${++databases}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const env = benchApiEnv(databaseUrl, extraEnv);
  const migrate = startProcess(process.execPath, ['dist/src/cli.js', 'migrate'], env);
  await new Promise((resolve) => migrate.once('exit', resolve));
  let api: Listening | undefined;
  try {
    // BENCH_API_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"): node flags for the API process only, to profile it.
    const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter((a) => a);
    api = await startListening(process.execPath, [...nodeArgs, 'dist/src/main.js'], env);
    await waitForHealthy(`${api.url}/health`);
    return await use({ url: api.url, databaseUrl, process: api.process });
  } finally {
    if (api) await stopProcess(api.process);
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

export interface LoadOptions {
  duration: number;
  connections: number;
  /** Paths requested in turn (default: the URL's own path). */
  paths?: string[];
  /** Request headers (e.g. an Accept header to ask for another representation). */
  headers?: Record<string, string>;
}

/**
 * autocannon against `url` (2 s warm-up, then `duration` s measured): requests per second,
 * latency percentiles, and the CPU used by the server process and by PostgreSQL meanwhile.
 */
export async function loadTest(title: string, url: string, server: number, { duration: DURATION, connections: CONNECTIONS, paths, headers }: LoadOptions): Promise<Record<string, string | number>> {
  let i = 0;
  const options = (duration: number): autocannon.Options => ({
    url,
    connections: CONNECTIONS,
    duration,
    headers,
    requests: paths ? [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }] : undefined,
  });
  await autocannon(options(2)); // warm-up: JIT and caches, not measured
  const pgBefore = cpuTicks(postgresPids());
  const serverBefore = cpuTicks([server]);
  const result = await autocannon(options(DURATION));
  const pgCpu = ticksSince(pgBefore) / 100 / DURATION;
  const serverCpu = ticksSince(serverBefore) / 100 / DURATION;
  return {
    target: title,
    'req/s (avg)': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    '2xx': result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    'server CPU': `${Math.round(serverCpu * 100)}%`,
    'PostgreSQL CPU': `${Math.round(pgCpu * 100)}%`,
  };
}

export function postgresPids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'postgres']).toString().trim().split('\n').map(Number);
  } catch {
    return [];
  }
}

/** CPU ticks (1/100 s) used so far by each process (Linux /proc; empty elsewhere). */
export function cpuTicks(pids: number[]): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone, or no /proc
    }
  }
  return ticks;
}

/** Ticks used since `before` by the processes that still exist. */
export function ticksSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, now] of cpuTicks([...before.keys()])) total += now - before.get(pid)!;
  return total;
}

/** Pins a process to one core (Linux taskset); a no-op where taskset or the core is missing. */
export function pin(pid: number, core: number): void {
  if (cpus().length < 2) return;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
  } catch {
    // unpinned: figures are noisier but still comparable within one run
  }
}

/** A browser reduced to a cookie jar and form posts, for console pages over plain HTTP. */
export class ConsoleSession {
  cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<{ status: number; text: string; bytes: number; location: string | null }> {
    const res = await fetch(`${this.base}${path}`, { headers: { cookie: this.header() }, redirect: 'manual' });
    this.remember(res);
    const buf = Buffer.from(await res.arrayBuffer());
    return { status: res.status, text: buf.toString(), bytes: buf.length, location: res.headers.get('location') };
  }

  async post(path: string, form: Record<string, string>): Promise<{ status: number; location: string | null }> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(form).toString(),
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${path}: ${res.status}`);
    return { status: res.status, location: res.headers.get('location') };
  }

  static hidden(html: string, action: string): Record<string, string> {
    const start = html.indexOf(`action="${action}"`);
    const part = html.slice(start, html.indexOf('</form>', start));
    // JSX writes void elements as `<input …/>`.
    return Object.fromEntries([...part.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)].map((m) => [m[1], m[2]]));
  }
}

/** Deletes a bench's Redis keys (its QUEUE_PREFIX), so runs leave nothing behind in a shared Redis. */
export async function removeRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: null });
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
