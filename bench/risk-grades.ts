/**
 * Risk grading (issue 19: 100,000 organisations in ≤ 60 s). BENCH_ORGS producers spread over ten
 * Sichuan counties, made with set-based SQL (triggers on), each with a product (vegetables, fruit,
 * tea or grain: the rule per product group applies), BENCH_FINDINGS of them with an open inspection
 * finding (half past the deadline); then POST /api/v1/risk-grades/compute as the provincial
 * regulator for the whole province, twice (first run inserts the drafts, the second recomputes
 * them), and the publish. Each step's wall time; the grades by level.
 *   npm run build && npx tsx bench/risk-grades.ts     (needs PostgreSQL; BENCH_ORGS, BENCH_FINDINGS)
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { completeUscc } from '../libs/codes';
import { BENCH_ADMIN_TOKEN, call, runBench, table, withApi } from './support';

const ORGS = Number(process.env.BENCH_ORGS ?? 100_000);
const cat = (path: string) => readFileSync(path, 'utf8').trim();
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 5_000);
const COUNTIES = ['510131', '510129', '510132', '510121', '510181', '510182', '510183', '510184', '511823', '513401'];
const CATEGORIES = ['蔬菜>叶菜类蔬菜', '水果>浆果和其他小型水果', '饮料类>茶叶', '谷物>稻类>稻谷'];

runBench(() => withApi(process.env.BENCH_AUDIT_OFF ? { AUDIT_LOG: 'false' } : {}, async ({ url, databaseUrl }) => {
  const province = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN,
    { name: '四川省农业农村厅', kind: 'regulator', uscc: completeUscc('11510000MB0P0888'), regionCode: '510000' })).json;
  const token = (await call(url, `/api/v1/organizations/${province.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'regulator' })).json.token as string;
  const db = new Client({ connectionString: databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const start = process.hrtime.bigint();
    const result = await work();
    return [result, Number(process.hrtime.bigint() - start) / 1e6];
  };
  const rows: Record<string, string | number>[] = [];
  const [, load] = await timed(async () => {
    await db.query(`INSERT INTO organizations (name, kind, uscc_status, region_code)
      SELECT '合作社 ' || i, 'cooperative', 'none', ($1::text[])[1 + i % $2] FROM generate_series(1, $3) i`, [COUNTIES, COUNTIES.length, ORGS]);
    await db.query(`INSERT INTO products (organization_id, name, category_path)
      SELECT o.id, '产品', ($1::text[])[1 + (row_number() OVER (ORDER BY o.id))::int % $2] FROM organizations o WHERE o.kind = 'cooperative'`, [CATEGORIES, CATEGORIES.length]);
    const template = (await db.query("SELECT id FROM inspection_templates WHERE code = 'planting' AND version = 1")).rows[0].id as string;
    await db.query(`WITH picked AS (SELECT id, region_code, row_number() OVER (ORDER BY id) AS n FROM organizations WHERE kind = 'cooperative' ORDER BY id LIMIT $1),
        made AS (INSERT INTO inspections (organization_id, region_code, template_id, inspected_on, inspectors, inspector_organization_id, item_results)
          SELECT id, region_code, $2, DATE '2026-10-12', ARRAY['张三'], $3, '[]' FROM picked RETURNING id, organization_id, region_code)
      INSERT INTO inspection_findings (inspection_id, organization_id, region_code, item_key, description, severity, deadline)
      SELECT m.id, m.organization_id, m.region_code, 'labelling', '未开具合格证', 'minor',
        CASE WHEN p.n % 2 = 0 THEN DATE '2026-10-30' ELSE DATE '2099-12-31' END
      FROM made m JOIN picked p ON p.id = m.organization_id`, [FINDINGS, template, province.id]);
    await db.query('ANALYZE');
  });
  rows.push({ step: `load ${ORGS.toLocaleString()} organisations, products, ${FINDINGS.toLocaleString()} findings (SQL)`, seconds: (load / 1000).toFixed(2), graded: '', high: '', medium: '', low: '' });
  for (const label of ['compute (insert drafts)', 'compute again (update drafts)']) {
    const [summary, ms] = await timed(async () => (await call(url, '/api/v1/risk-grades/compute', token, { regionCode: '510000', period: '2026' })).json);
    rows.push({ step: label, seconds: (ms / 1000).toFixed(2), graded: summary.graded, high: summary.byGrade.high, medium: summary.byGrade.medium, low: summary.byGrade.low });
  }
  const [published, ms] = await timed(async () => (await call(url, '/api/v1/risk-grades/publish', token, { regionCode: '510000', period: '2026' })).json);
  rows.push({ step: 'publish', seconds: (ms / 1000).toFixed(2), graded: published.published, high: '', medium: '', low: '' });
  await db.end();
  console.log(`load ${cat('/proc/loadavg')}`);
  console.log(`risk grading of a province (${ORGS.toLocaleString()} organisations), wall time per step:`);
  console.log(table(rows));
}));
