/**
 * The regulator dashboard at provincial scale.
 *   npm run build && npx tsx bench/dashboard.ts     (needs PostgreSQL; BENCH_SAMPLES / BENCH_BATCHES / BENCH_ORGS to change the size)
 *
 * A scratch database gets 2,000 organisations over every Sichuan county, 200,000 batches (80% with
 * a certificate) and 1,000,000 judged samples (~1.5% failed), made with generate_series straight in
 * SQL (bench/dashboard-data.ts); the indicator triggers record them and the API's in-process fold
 * job folds them before timing starts. A provincial regulator then logs in to the console and every
 * dashboard page is fetched over HTTP, one request at a time (3 warm-ups, then BENCH_RUNS timed):
 * p50 / p95 / max of the whole response, and its size. Target: ≤ 300 ms a page.
 */
import { Client } from 'pg';
import { generateDashboardData } from './dashboard-data';
import { BENCH_ADMIN_TOKEN, call, runBench, table, withApi } from './support';

const SIZES = {
  organizations: Number(process.env.BENCH_ORGS ?? 2_000),
  batches: Number(process.env.BENCH_BATCHES ?? 200_000),
  samples: Number(process.env.BENCH_SAMPLES ?? 1_000_000),
};
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PORT = 3947;
const PASSWORD = '四川省监管基准测试2026';

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function cookieOf(res: Response, name: string): string | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return line?.split(';')[0].slice(name.length + 1);
}

/** Accepts a console invitation like a browser (the login CSRF cookie and the form's token) and returns the session cookie. */
async function acceptInvite(base: string, inviteUrl: string): Promise<string> {
  const path = new URL(inviteUrl).pathname;
  const form = await fetch(`${base}${path}`);
  const csrfCookie = cookieOf(form, 'tf_lcsrf')!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const res = await fetch(`${base}${path}`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `tf_lcsrf=${csrfCookie}` },
    body: new URLSearchParams({ _csrf: csrf, password: PASSWORD, confirm: PASSWORD }).toString(),
  });
  const session = cookieOf(res, 'tf_sid');
  if (res.status !== 303 || !session) throw new Error(`invite acceptance answered ${res.status}`);
  return `tf_sid=${session}`;
}

async function waitForFold(db: Client): Promise<void> {
  for (;;) {
    const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM indicator_deltas')).rows as { n: number }[];
    if (n === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function time(base: string, cookie: string, path: string): Promise<{ ms: number; bytes: number }> {
  const started = process.hrtime.bigint();
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  const body = Buffer.from(await res.arrayBuffer());
  const took = ms(started);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.toString().slice(0, 300)}`);
  return { ms: took, bytes: body.length };
}

runBench(async () => {
  await withApi(PORT, {}, async (api) => {
    const db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    console.log(`Generating ${SIZES.organizations} organisations, ${SIZES.batches} batches, ${SIZES.samples} samples …`);
    const { regulatorId } = await generateDashboardData(db, SIZES);
    const t = process.hrtime.bigint();
    await waitForFold(db);
    console.log(`  indicator deltas folded by the API's fold job: ${(ms(t) / 1000).toFixed(1)} s`);
    const invite = (await call(api.url, `/api/v1/organizations/${regulatorId}/console-invites`, BENCH_ADMIN_TOKEN,
      { loginName: 'sichuan-bench', displayName: '省级监管', role: 'regulator' })).json as { inviteUrl: string };
    const cookie = await acceptInvite(api.url, invite.inviteUrl.replace(/^https?:\/\/[^/]+/, api.url));

    const [{ org, batch }] = (await db.query(`SELECT b.organization_id AS org, s.batch_id AS batch FROM samples s JOIN batches b ON b.id = s.batch_id
      WHERE s.verdict = 'fail' AND s.region_code = '510131' LIMIT 1`)).rows as { org: string; batch: string }[];
    const pages: [string, string][] = [
      ['overview: province (市(州) table)', '/app/dashboard'],
      ['overview: province by quarter', '/app/dashboard?period=quarter'],
      ['overview: 成都市 (county table)', '/app/dashboard?region=510100'],
      ['overview: 蒲江县 (organisations)', '/app/dashboard?region=510131'],
      ['overview: province, 水果', '/app/dashboard?category=%E6%B0%B4%E6%9E%9C'],
      ['organisation: batches page', `/app/dashboard/organizations/${org}?region=510131`],
      ['batch: samples', `/app/dashboard/batches/${batch}`],
      ['failed samples: province', '/app/dashboard/failed-samples'],
      ['failed samples: 蒲江县', '/app/dashboard/failed-samples?region=510131'],
      ['certificate gaps: province', '/app/dashboard/certificate-gaps'],
      ['certificate gaps: 蒲江县', '/app/dashboard/certificate-gaps?region=510131'],
      ['export regions.xlsx', '/app/dashboard/export/regions.xlsx'],
      ['export failed-samples.csv (province, all)', '/app/dashboard/export/failed-samples.csv'],
      ['export failed-samples.xlsx (province, all)', '/app/dashboard/export/failed-samples.xlsx'],
      ['export certificate-gaps.csv (province, all)', '/app/dashboard/export/certificate-gaps.csv'],
    ];
    const rows: Record<string, string | number>[] = [];
    for (const [label, path] of pages) {
      for (let i = 0; i < 3; i++) await time(api.url, cookie, path);
      const runs = label.startsWith('export') ? Math.max(3, Math.floor(RUNS / 4)) : RUNS;
      const timings: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const r = await time(api.url, cookie, path);
        timings.push(r.ms);
        bytes = r.bytes;
      }
      timings.sort((a, b) => a - b);
      rows.push({ page: label, runs, 'p50 ms': pct(timings, 50).toFixed(0), 'p95 ms': pct(timings, 95).toFixed(0), 'max ms': timings[timings.length - 1].toFixed(0), KB: (bytes / 1024).toFixed(0) });
      console.log(`  ${label}: p50 ${pct(timings, 50).toFixed(0)} ms`);
    }
    console.log(`\nDashboard pages over HTTP, one request at a time (${SIZES.samples} samples, ${SIZES.batches} batches):\n`);
    console.log(table(rows));
    await db.end();
  });
});
