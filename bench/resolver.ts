/**
 * GS1 resolver answers against the scan page (issue 15: "resolver answers at least as fast as the scan
 * page"), on the real API with PostgreSQL, scans recorded, 50 connections × 10 s each, in one run:
 * the batch's scan page /t/{code}; its Digital Link /01/{gtin}/10/{lot} as HTML (our page, served
 * directly), as a linkset (Accept: application/linkset+json) and as a redirect to one link type; the
 * product level /01/{gtin}; and serialised items /01/{gtin}/21/{serial}, against the scan pages of the
 * same item codes.
 *   npm run build && npx tsx bench/resolver.ts        (needs PostgreSQL on 127.0.0.1:5432)
 * Settings: BENCH_DURATION (s), BENCH_CONNECTIONS. The API is pinned to core 0 and this process to
 * core 1 with taskset when it exists, as in bench/scan.ts.
 */
import { Client } from 'pg';
import { call, demoBatch, loadTest, pin, runBench, table, withApi } from './support';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const GTIN = '06901234567892';

runBench(async () => {
  pin(process.pid, 1);
  await withApi({ PUBLIC_RATE_LIMIT_MAX: '10000000' }, async (api) => {
    pin(api.process.pid!, 0);
    const { token, batchId, traceCode } = await demoBatch(api.url, { gtin: GTIN });
    const run = (await call(api.url, `/api/v1/batches/${batchId}/print-runs`, token, { count: 100 })).json as { id: string };
    const pg = new Client({ connectionString: api.databaseUrl });
    await pg.connect();
    const lot = (await pg.query('SELECT lot_code FROM batches WHERE id = $1', [batchId])).rows[0].lot_code as string;
    const items = (await pg.query('SELECT code FROM trace_codes WHERE print_run_id = $1', [run.id])).rows as { code: string }[];
    await pg.end();
    const digitalLink = `/01/${GTIN}/10/${encodeURIComponent(lot)}`;
    // Each row must measure the answer it names, not an error page.
    const expected: [string, number][] = [
      [digitalLink, 200], [`${digitalLink}?linkType=gs1:traceability`, 307], [`/01/${GTIN}`, 200], [`/01/${GTIN}/21/${items[0].code}`, 200],
    ];
    for (const [path, status] of expected) {
      const answer = await fetch(`${api.url}${path}`, { redirect: 'manual' });
      if (answer.status !== status) throw new Error(`${path} answered ${answer.status}, not ${status}`);
    }
    const server = api.process.pid!;
    const load = (title: string, paths: string[], headers?: Record<string, string>) =>
      loadTest(title, api.url, server, { duration: DURATION, connections: CONNECTIONS, paths, headers });
    const rows = [
      await load('/t/{code} scan page (reference)', [`/t/${traceCode}`]),
      await load('/01/{gtin}/10/{lot} (HTML: the page, served directly)', [digitalLink]),
      await load('/01/{gtin}/10/{lot} linkset (Accept: application/linkset+json)', [digitalLink], { accept: 'application/linkset+json' }),
      await load('/01/{gtin}/10/{lot}?linkType=gs1:traceability (redirect)', [`${digitalLink}?linkType=gs1:traceability`]),
      await load('/01/{gtin} (product level)', [`/01/${GTIN}`]),
      await load('/t/{code} scan page (reference, again)', [`/t/${traceCode}`]),
      // Serialised items against the scan pages of the same 100 item codes (each records its own scans).
      await load('/t/{item code} scan pages (reference for items, 100 items)', items.map((i) => `/t/${i.code}`)),
      await load('/01/{gtin}/21/{serial} (100 items)', items.map((i) => `/01/${GTIN}/21/${i.code}`)),
      await load('/t/{item code} scan pages (reference for items, again)', items.map((i) => `/t/${i.code}`)),
    ];
    // Each reference is measured before and after what is compared with it: the machine drifts.
    const reqs = (row: Record<string, string | number>) => Number(row['req/s (avg)']);
    const lotReference = (reqs(rows[0]) + reqs(rows[5])) / 2;
    const itemReference = (reqs(rows[6]) + reqs(rows[8])) / 2;
    rows.forEach((row, i) => {
      row['vs scan page'] = `${((reqs(row) / (i >= 6 ? itemReference : lotReference)) * 100).toFixed(0)}%`;
    });
    const load1 = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim();
    console.log(`GS1 resolver answers vs the scan page, ${CONNECTIONS} connections × ${DURATION} s each (load average at the end: ${load1})\n`);
    console.log(table(rows));
  });
});
