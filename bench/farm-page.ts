/**
 * The console's 农事 page per site (issue 16: under 300 ms): GET /app/farm/sites/{id} over HTTP with a
 * session cookie, as a phone's browser asks for it — the plain page (harvest outlook per crop, the
 * picker with the inputs used lately, the last 30 records), after a scan (`?code=` a 32-digit label
 * code resolved against the catalogue) and with an input chosen (`?inputId=`, the record form filled
 * from its last use); then POST of the record form (a whole "scan → 记录" round trip, redirect
 * followed). The database holds BENCH_APPLICATIONS farm records over BENCH_SITES sites (set-based
 * SQL, indicator triggers on), BENCH_SITE_RECORDS of them on the measured site within the year, 20
 * crops as products and BENCH_INPUTS catalogue inputs.
 *   npm run build && npx tsx bench/farm-page.ts     (needs PostgreSQL; BENCH_RUNS, BENCH_APPLICATIONS, BENCH_SITES, BENCH_SITE_RECORDS, BENCH_INPUTS)
 */
import { Client } from 'pg';
import { BENCH_ADMIN_TOKEN, call, ConsoleSession, runBench, table, withApi } from './support';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 200_000);
const SITES = Number(process.env.BENCH_SITES ?? 2_000);
const SITE_RECORDS = Number(process.env.BENCH_SITE_RECORDS ?? 2_000);
const INPUTS = Number(process.env.BENCH_INPUTS ?? 500);
const PASSWORD = '绿源猕猴桃2026春天';
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

function stats(samples: number[]): Record<string, string> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return { mean: (samples.reduce((s, v) => s + v, 0) / samples.length).toFixed(1), p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1].toFixed(1) };
}

runBench(() => withApi({ PUBLIC_BASE_URL: 'http://127.0.0.1' }, async ({ url, databaseUrl }) => {
  const org = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '蒲江县绿源猕猴桃专业合作社', kind: 'cooperative', uscc: '91510114730209375B', regionCode: '510131' })).json;
  const token = (await call(url, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })).json.token;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  // 20 crops as the cooperative's products: the kiwi and 19 other foods under 水果 and 蔬菜.
  const others = (await db.query(`SELECT path FROM food_categories WHERE (path LIKE '水果>%' OR path LIKE '蔬菜>%') AND path <> $1 ORDER BY path LIMIT 19`, [KIWI])).rows as { path: string }[];
  const categories = [KIWI, ...others.map((r) => r.path)];
  for (const [i, category] of categories.entries()) await call(url, '/api/v1/products', token, { name: `产品${i}`, category });
  const input = (await call(url, '/api/v1/inputs', BENCH_ADMIN_TOKEN, {
    kind: 'pesticide', name: '2.5%溴氰菊酯乳油', registrationNumber: 'PD20080005', activeIngredients: [{ analyte: '溴氰菊酯' }],
    cropRules: [{ category: '水果', intervalDays: 14 }, { category: KIWI, intervalDays: 21, maxDose: { value: '40', unit: 'mL/亩' } }], verified: false, source: 'bench',
  })).json;
  const site = (await call(url, '/api/v1/sites', token, { name: '测量基地', regionCode: '510131' })).json;
  const invite = (await call(url, `/api/v1/organizations/${org.id}/console-invites`, BENCH_ADMIN_TOKEN, { loginName: 'bench-grower', displayName: '王丽', role: 'operator' })).json;

  let t = process.hrtime.bigint();
  // The catalogue: BENCH_INPUTS pesticides (registration numbers PD2100xxxx) with a rule on 水果.
  await db.query(`INSERT INTO farm_inputs (kind, name, registration_number, crop_rules, source)
    SELECT 'pesticide', '基准农药' || g, 'PD21' || lpad(g::text, 6, '0'), '[{"category":"水果","intervalDays":7,"maxDose":null}]', 'bench' FROM generate_series(1, $1) g`, [INPUTS]);
  await db.query(`INSERT INTO sites (organization_id, name, region_code) SELECT $1, '基地' || g, '510131' FROM generate_series(1, $2) g`, [org.id, SITES]);
  const insert = (siteWhere: string, params: unknown[], perSite: number) => db.query(
    `INSERT INTO input_applications (organization_id, site_id, region_code, input_id, input_kind, crop_category, applied_at, applied_on,
       dose_value, dose_unit, area_value, area_unit, target, operator_name, low_risk, organic)
     SELECT s.organization_id, s.id, s.region_code, i.id, 'pesticide', $1, at, (at AT TIME ZONE 'Asia/Shanghai')::date, 150, 'mL', 5, '亩', '蚜虫', '基准', false, false
     FROM (SELECT * FROM sites WHERE ${siteWhere}) s CROSS JOIN generate_series(1, ${perSite}) g
     CROSS JOIN LATERAL (SELECT now() - make_interval(days => 1 + (g * 7919 % 360))) d(at)
     JOIN LATERAL (SELECT id FROM farm_inputs WHERE registration_number = 'PD21' || lpad((1 + g % ${INPUTS})::text, 6, '0')) i ON true`, params);
  const perSite = Math.max(1, Math.floor(APPLICATIONS / SITES));
  const sites = (await db.query(`SELECT id FROM sites WHERE organization_id = $1 AND name LIKE '基地%' ORDER BY id`, [org.id])).rows as { id: string }[];
  const chunk = Math.max(1, Math.floor(50_000 / perSite));
  for (let i = 0; i < sites.length; i += chunk) await insert('id = ANY($2::uuid[])', [KIWI, sites.slice(i, i + chunk).map((s) => s.id)], perSite);
  await insert('id = $2', [KIWI, site.id], SITE_RECORDS);
  const loadMs = ms(t);
  await db.query('VACUUM ANALYZE input_applications');
  await db.query('VACUUM ANALYZE farm_inputs');
  const count = Number((await db.query('SELECT count(*) FROM input_applications')).rows[0].count);
  await db.end();
  console.log(`\n${count.toLocaleString('en')} applications (${SITE_RECORDS.toLocaleString('en')} on the measured site), ${INPUTS + 1} inputs, ${categories.length} crops; loaded in ${(loadMs / 1000).toFixed(1)} s\n`);

  const session = new ConsoleSession(url);
  const invitePath = new URL(invite.inviteUrl as string).pathname;
  const invitePage = await session.get(invitePath);
  await session.post(invitePath, { ...ConsoleSession.hidden(invitePage.text, invitePath), password: PASSWORD, confirm: PASSWORD });

  const code = `1080005100${'1'.repeat(22)}`;
  const pagePath = `/app/farm/sites/${site.id}`;
  const pages: [string, string][] = [['site page', pagePath], ['after a scan (?code=)', `${pagePath}?code=${code}`], ['input chosen (?inputId=)', `${pagePath}?inputId=${input.id}`]];
  for (let i = 0; i < 10; i++) for (const [, path] of pages) await session.get(path); // warm-up
  const samples = new Map<string, number[]>(pages.map(([name]) => [name, []]));
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    for (const [name, path] of i % 2 ? [...pages].reverse() : pages) {
      t = process.hrtime.bigint();
      const res = await session.get(path);
      samples.get(name)!.push(ms(t));
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      bytes = Math.max(bytes, res.bytes);
    }
  }
  // The record round trip: the form as shown (filled from the last use), posted, the page it redirects to fetched.
  const posts: number[] = [];
  const action = `${pagePath}/applications`;
  for (let i = 0; i < Math.min(RUNS, 50); i++) {
    const shown = await session.get(`${pagePath}?code=${code}`);
    const form = {
      ...ConsoleSession.hidden(shown.text, action), crop: KIWI, appliedAt: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16),
      'dose.value': '150', 'dose.unit': 'mL', 'area.value': '5', 'area.unit': '亩', target: '蚜虫', operator: '王丽',
    };
    t = process.hrtime.bigint();
    const res = await session.post(action, form);
    if (res.status !== 303 || !res.location) throw new Error(`record: ${res.status}`);
    await session.get(res.location);
    posts.push(ms(t));
  }
  console.log(`GET ${pagePath} as a cooperative operator, ${RUNS} each, sequential, interleaved (ms, HTTP round trip; largest page ${(bytes / 1024).toFixed(1)} KB)\n`);
  console.log(table([
    ...pages.map(([name]) => ({ request: name, ...stats(samples.get(name)!) })),
    { request: '记录: POST the form + GET the page it redirects to', ...stats(posts) },
  ]));
  console.log('\ntarget: the page under 300 ms');
}));
