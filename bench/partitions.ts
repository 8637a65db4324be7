/**
 * Partitioned trace_codes (issue 21): lookup p50/p95/p99 of one code by its key as the table grows,
 * and the disk per million codes (table + indexes of every partition).
 *   npm run build && npx tsx bench/partitions.ts        (needs PostgreSQL on 127.0.0.1:5432)
 * Settings: BENCH_CODES (default 10,000,000), BENCH_STEP (codes per measuring point, default
 * 2,500,000), BENCH_LOOKUPS (per point, default 20,000), BENCH_KEEP_DB=1 keeps the database.
 * Codes are loaded with generate_series in statements of 500,000 rows, with the indicator triggers
 * and foreign-key checks off for the load (session_replication_role = replica; one real batch and
 * print run own them all), then ANALYZE. Lookups are `SELECT … WHERE code = $1` for random existing
 * codes over one connection, one at a time (what the resolver and the scan page run), and the
 * plan is printed to show that one partition is read.
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { call, demoBatch, runBench, table, withApi } from './support';

const CODES = Number(process.env.BENCH_CODES ?? 10_000_000);
const STEP = Number(process.env.BENCH_STEP ?? 2_500_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 20_000);
const CHUNK = 500_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The code of serial i: 13 characters, as the app's are (here from md5, uppercase hex). */
const CODE_SQL = "upper(substr(md5('bench' || i::text), 1, 13))";

/** The code of serial i, computed the way the load does (md5 in SQL = md5 here). */
function codeOf(i: number): string {
  return createHash('md5').update(`bench${i}`).digest('hex').slice(0, 13).toUpperCase();
}

runBench(async () => {
  await withApi({}, async (api) => {
    const { token, batchId } = await demoBatch(api.url);
    const run = (await call(api.url, `/api/v1/batches/${batchId}/print-runs`, token, { count: 1 })).json as { id: string };
    const pg = new Client({ connectionString: api.databaseUrl });
    await pg.connect();
    const rows: Record<string, string | number>[] = [];
    let loaded = 0;
    let loadSeconds = 0;
    while (loaded < CODES) {
      const target = Math.min(CODES, loaded + STEP);
      const t0 = performance.now();
      await pg.query("SET session_replication_role = 'replica'");
      for (let from = loaded; from < target; from += CHUNK) {
        const to = Math.min(target, from + CHUNK);
        await pg.query(
          `INSERT INTO trace_codes (code, kind, batch_id, print_run_id, serial)
           SELECT ${CODE_SQL}, 'item', $1, $2, i + 2 FROM generate_series($3::bigint, $4::bigint - 1) AS i ON CONFLICT DO NOTHING`,
          [batchId, run.id, from, to],
        );
      }
      await pg.query("SET session_replication_role = 'origin'");
      await pg.query('ANALYZE trace_codes');
      loadSeconds += (performance.now() - t0) / 1000;
      loaded = target;

      const latencies: number[] = [];
      for (let k = 0; k < LOOKUPS; k++) {
        const code = codeOf(Math.floor(Math.random() * loaded));
        const t = performance.now();
        const res = await pg.query('SELECT code, kind, batch_id, print_run_id, serial, scan_count FROM trace_codes WHERE code = $1', [code]);
        latencies.push(performance.now() - t);
        if (res.rowCount !== 1) throw new Error(`code ${code} not found`);
      }
      latencies.sort((a, b) => a - b);
      const [{ bytes }] = (await pg.query(
        `SELECT sum(pg_total_relation_size(relid))::bigint AS bytes FROM pg_partition_tree('trace_codes') WHERE isleaf`,
      )).rows as { bytes: string }[];
      const [{ count }] = (await pg.query('SELECT count(*)::bigint AS count FROM trace_codes')).rows as { count: string }[];
      rows.push({
        codes: Number(count).toLocaleString('en'), 'lookup p50 ms': percentile(latencies, 50).toFixed(3), 'p95 ms': percentile(latencies, 95).toFixed(3),
        'p99 ms': percentile(latencies, 99).toFixed(3), 'max ms': latencies[latencies.length - 1].toFixed(2),
        'MB per million codes': ((Number(bytes) / Number(count)) * 1e6 / 1048576).toFixed(1), 'total MB': Math.round(Number(bytes) / 1048576),
        'load codes/s': Math.round(loaded / loadSeconds), load: loadavg()[0].toFixed(1),
      });
      console.error(`${loaded} codes: p99 ${rows[rows.length - 1]['p99 ms']} ms`);
    }
    const plan = (await pg.query(`EXPLAIN SELECT * FROM trace_codes WHERE code = '${codeOf(1)}'`)).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
    await pg.end();
    console.log(`\nPartitioned trace_codes (HASH on code, 16 partitions): ${LOOKUPS} random lookups by code per point, one connection\n`);
    console.log(table(rows));
    console.log(`\nPlan of a lookup:\n${plan.join('\n')}`);
  });

});
