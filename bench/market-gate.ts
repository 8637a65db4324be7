/**
 * The market gate (入场查验, issue 18): how long one gate check takes — a scanned certificate QR
 * through POST /api/v1/market-entries to the verdict, with the certificate checks and the quantity
 * ledger — when 1,000,000 certificates are on record, and how many entries one market records per
 * minute with several gate phones at once.
 *   npm run build && npx tsx bench/market-gate.ts        (needs PostgreSQL on 127.0.0.1:5432)
 * Settings: BENCH_CERTIFICATES (default 1000000), BENCH_CHECKS (sequential checks, default 1000),
 * BENCH_GATES (entries in flight, default 8), BENCH_DURATION (s, default 20), BENCH_BASELINE_DIST (another build's
 * dist/, e.g. main's, started on the same database: the sequential checks alternate between the two). Targets: p95 ≤ 50 ms,
 * ≥ 200 entries per minute per market. The API is pinned to core 0 and this process to core 1.
 * Prints the lookups' plans (EXPLAIN ANALYZE) on the loaded tables first, and the load average
 * before and after (the machine is shared: figures are "under load N").
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { join } from 'node:path';
import { BENCH_ADMIN_TOKEN, benchApiEnv, call, demoBatch, pin, runBench, startListening, stopProcess, table, waitForHealthy, withApi } from './support';

const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 1_000_000);
const CHECKS = Number(process.env.BENCH_CHECKS ?? 1000);
const GATES = Number(process.env.BENCH_GATES ?? 8);
const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const BASELINE_DIST = process.env.BENCH_BASELINE_DIST;
const CHUNK = 100_000;
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function post(base: string, token: string, body: unknown): Promise<number> {
  const res = await fetch(`${base}/api/v1/market-entries`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

runBench(async () => {
  pin(process.pid, 1);
  await withApi({ PUBLIC_RATE_LIMIT_MAX: '10000000' }, async (api) => {
    pin(api.process.pid!, 0);
    const producer = await demoBatch(api.url);
    const template = (await call(api.url, '/api/v1/certificates', producer.token, {
      batchId: producer.batchId, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '1', unit: 'kg' },
    })).json;
    const pg = new Client({ connectionString: api.databaseUrl });
    await pg.connect();
    // 1,000,000 certificates of 1,000 kg each, cloned from a real one with their own numbers and tokens (set-based, 100,000 per statement).
    const loadStart = performance.now();
    for (let from = 1; from <= CERTIFICATES; from += CHUNK) {
      const to = Math.min(CERTIFICATES, from + CHUNK - 1);
      await pg.query(`INSERT INTO certificates (number, token, template_version, style, organization_id, batch_id, region_code, product_name, product_category,
          quantity_value, quantity_unit, base_milli, origin, issuer_name, issuer_contact, signed_by, issued_on, commitment, basis, evidence, status, retain_until)
        SELECT '510131-20261008-' || lpad(i::text, 7, '0'), 'b' || lpad(to_hex(i), 21, '0'), c.template_version, c.style, c.organization_id, c.batch_id, c.region_code,
          c.product_name, c.product_category, 1000, 'kg', 1000000000, c.origin, c.issuer_name, c.issuer_contact, c.signed_by, c.issued_on, c.commitment, c.basis,
          c.evidence, 'valid', c.retain_until
        FROM certificates c, generate_series($2::int, $3::int) i WHERE c.id = $1`, [template.id, from, to]);
    }
    await pg.query('VACUUM ANALYZE certificates');
    const loadSeconds = (performance.now() - loadStart) / 1000;

    const marketOrg = (await call(api.url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '成都蒙阳农产品批发市场', kind: 'market', uscc: '9151070367836756X2', regionCode: '510104' })).json;
    const market = (await call(api.url, `/api/v1/organizations/${marketOrg.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'operator' })).json.token as string;
    await call(api.url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '成都市金牛区农业农村局', kind: 'regulator', uscc: '91520000214434146R', regionCode: '510106' });
    const seller = (await call(api.url, '/api/v1/market-sellers', market, { name: '张三', kind: 'business', uscc: '91510114730209375B', originRegionCode: '510131' })).json;
    const token = (i: number) => `b${(i % CERTIFICATES + 1).toString(16).padStart(21, '0')}`;

    // The gate's lookups on the loaded tables, as PostgreSQL runs them (index use, time).
    const explain = async (name: string, sql: string, params: unknown[]) => {
      const plan = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params)).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
      console.log(`\n${name}\n  ${plan.join('\n  ')}`);
    };
    const some = token(Math.floor(CERTIFICATES / 2));
    const [{ number: someNumber, id: someId }] = (await pg.query('SELECT id, number FROM certificates WHERE token = $1', [some])).rows as { id: string; number: string }[];
    await explain('certificate by scanned QR token', 'SELECT * FROM certificates WHERE token = $1', [some]);
    await explain('certificate by typed number', 'SELECT * FROM certificates WHERE number = $1', [someNumber]);
    await explain('ledger row, locked for the draw', 'SELECT * FROM certificate_ledger WHERE certificate_id = ANY($1::uuid[]) FOR UPDATE', [[someId]]);
    await explain('seller and its stall (one read)', `SELECT s.*, (SELECT st.id FROM market_stalls st WHERE st.organization_id = s.organization_id AND st.seller_id = s.id
      ORDER BY st.created_at LIMIT 1) FROM market_sellers s WHERE s.id = $1 AND s.organization_id = $2`, [seller.id, marketOrg.id]);
    await explain(`a trace code's certificate (newest valid of its batch; here the batch has ${CERTIFICATES.toLocaleString('en')})`,
      `SELECT * FROM certificates WHERE batch_id = $1 AND status = 'valid' ORDER BY created_at DESC LIMIT 1`, [producer.batchId]);
    const entry = (i: number) => ({ sellerId: seller.id, vehiclePlate: '川A12345', items: [
      { certificate: `https://trace.example.cn/c/${token(i)}`, category: KIWI, quantity: { value: '10', unit: 'kg' } },
    ] });

    const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    // BENCH_BASELINE_DIST: another build's dist/ (e.g. main's) runs as a second API on the same database; the
    // checks alternate between the two, so both see the same load on a shared machine.
    const baseline = BASELINE_DIST ? await startListening(process.execPath, [join(BASELINE_DIST, 'src', 'main.js')], benchApiEnv(api.databaseUrl, { PUBLIC_RATE_LIMIT_MAX: '10000000' })) : null;
    if (baseline) {
      pin(baseline.process.pid!, 0);
      await waitForHealthy(`${baseline.url}/health`);
    }
    const targets = [{ name: 'this build', url: api.url }, ...(baseline ? [{ name: `baseline ${BASELINE_DIST}`, url: baseline.url }] : [])];
    // Warm-up (JIT, pools), not measured.
    for (const target of targets) for (let i = 0; i < 50; i++) await post(target.url, market, entry(CERTIFICATES - 1 - i - (target === targets[0] ? 0 : 50)));
    const runs = targets.map(() => ({ latencies: [] as number[], statuses: new Map<number, number>() }));
    for (let i = 0; i < CHECKS * targets.length; i++) {
      const which = i % targets.length;
      const at = Math.floor(Math.random() * (CERTIFICATES - 200));
      const t0 = performance.now();
      const status = await post(targets[which].url, market, entry(at));
      runs[which].latencies.push(performance.now() - t0);
      runs[which].statuses.set(status, (runs[which].statuses.get(status) ?? 0) + 1);
    }
    for (const run of runs) run.latencies.sort((a, b) => a - b);
    if (baseline) await stopProcess(baseline.process);

    let done = 0;
    let refused = 0;
    const until = performance.now() + DURATION * 1000;
    let next = 0;
    await Promise.all(Array.from({ length: GATES }, async () => {
      while (performance.now() < until) {
        const status = await post(api.url, market, entry(Math.floor(Math.random() * (CERTIFICATES - 100)) + (next++ % 7)));
        if (status === 201) done++;
        else refused++;
      }
    }));
    const [{ n }] = (await pg.query('SELECT count(*)::int AS n FROM market_entries')).rows as { n: number }[];
    await pg.end();
    console.log(`\nMarket gate with ${CERTIFICATES.toLocaleString('en')} certificates on record (loaded in ${loadSeconds.toFixed(1)} s)`);
    console.log(`load average at the start of the checks: ${loadAtStart}; at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
    console.log(table(runs.map(({ latencies, statuses }, i) => ({
      measure: `gate check, one at a time (${CHECKS}${targets.length > 1 ? ', interleaved' : ''})`, build: targets[i].name,
      p50_ms: percentile(latencies, 50).toFixed(1), p95_ms: percentile(latencies, 95).toFixed(1),
      p99_ms: percentile(latencies, 99).toFixed(1), max_ms: latencies[latencies.length - 1].toFixed(1), statuses: JSON.stringify(Object.fromEntries(statuses)),
    }))));
    console.log(table([{
      measure: `entries, ${GATES} gates at once for ${DURATION} s`, accepted: done, refused, entries_per_minute: Math.round(((done + refused) / DURATION) * 60), rows: n,
    }]));
  });
});
