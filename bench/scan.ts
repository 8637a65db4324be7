/**
 * Scan throughput: /t/{code} and /api/v1/scan/{code} on the real API (PostgreSQL, scans recorded)
 * against a bare Fastify hello-world, 50 connections × 10 s each, in one run.
 *   npm run build && npx tsx bench/scan.ts        (needs PostgreSQL on 127.0.0.1:5432)
 * Settings: BENCH_DURATION (s), BENCH_CONNECTIONS, BENCH_PG_ADMIN_URL.
 * On a 2-core machine the servers are pinned to core 0 and the load generator (this process) to
 * core 1 with taskset when it exists, so every server gets the same CPU; PostgreSQL is not pinned.
 */
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BenchApi, call, demoBatch, loadTest, pin, runBench, startListening, stopProcess, table, waitForHealthy, withApi } from './support';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

/** 1,000 item codes and the batch code of a fresh batch. */
async function fixtures(api: BenchApi): Promise<{ itemCodes: string[]; batchCode: string }> {
  const { token, batchId, traceCode } = await demoBatch(api.url);
  const run = (await call(api.url, `/api/v1/batches/${batchId}/print-runs`, token, { count: 1000 })).json;
  const pg = new Client({ connectionString: api.databaseUrl });
  await pg.connect();
  const rows = (await pg.query('SELECT code FROM trace_codes WHERE print_run_id = $1', [run.id])).rows as { code: string }[];
  await pg.end();
  return { itemCodes: rows.map((r) => r.code), batchCode: traceCode };
}

const load = (title: string, url: string, server: number, paths?: string[]) => loadTest(title, url, server, { duration: DURATION, connections: CONNECTIONS, paths });

runBench(async () => {
  pin(process.pid, 1);
  const hello = await startListening(process.execPath, ['-r', 'tsx/cjs', 'bench/hello-fastify.ts'], {});
  pin(hello.process.pid!, 0);
  try {
    await withApi({ PUBLIC_RATE_LIMIT_MAX: '10000000' }, async (api) => {
      pin(api.process.pid!, 0);
      await waitForHealthy(`${hello.url}/`);
      const { itemCodes, batchCode } = await fixtures(api);
      const pageFile = join(tmpdir(), `tianfu-bench-page-${process.pid}.html`);
      writeFileSync(pageFile, await (await fetch(`${api.url}/t/${batchCode}`)).text());
      const samePage = await startListening(process.execPath, ['-r', 'tsx/cjs', 'bench/hello-fastify.ts'], { PAGE_FILE: pageFile });
      pin(samePage.process.pid!, 0);
      await waitForHealthy(`${samePage.url}/`);
      const server = api.process.pid!;
      // This machine's speed drifts: the baseline runs before and after, and "vs bare" uses their mean.
      const rows = [
        await load('bare Fastify hello-world (before)', `${hello.url}/`, hello.process.pid!),
        await load('bare Fastify, same HTML bytes (reference)', `${samePage.url}/`, samePage.process.pid!),
        await load('/t/{code} (HTML, 1000 item codes)', api.url, server, itemCodes.map((c) => `/t/${c}`)),
        await load('/api/v1/scan/{code} (JSON)', api.url, server, itemCodes.map((c) => `/api/v1/scan/${c}`)),
        await load('/t/{code} (one batch code)', api.url, server, [`/t/${batchCode}`]),
        await load('bare Fastify hello-world (after)', `${hello.url}/`, hello.process.pid!),
      ];
      await stopProcess(samePage.process);
      const bare = (Number(rows[0]['req/s (avg)']) + Number(rows[rows.length - 1]['req/s (avg)'])) / 2;
      for (const row of rows) row['vs bare'] = `${((Number(row['req/s (avg)']) / bare) * 100).toFixed(0)}%`;
      await new Promise((r) => setTimeout(r, 2500)); // let the last scan flush land
      const pg = new Client({ connectionString: api.databaseUrl });
      await pg.connect();
      const recorded = Number((await pg.query('SELECT count(*) FROM scan_events')).rows[0].count);
      await pg.end();
      const served = rows.slice(2, 5).reduce((n, r) => n + Number(r['2xx']), 0);
      console.log(`\nScan throughput — ${CONNECTIONS} connections × ${DURATION} s per target, node ${process.version}, ${cpus().length} cores\n`);
      console.log(table(rows));
      console.log(`\nscans served in measured runs (2xx): ${served} · scan records in PostgreSQL (incl. warm-ups): ${recorded}`);
    });
  } finally {
    await stopProcess(hello.process);
  }
});
