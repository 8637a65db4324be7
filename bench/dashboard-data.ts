import type { Client } from 'pg';
import { regionsWithin } from '../src/modules/dashboard/domain/jurisdiction';

export interface DashboardSizes {
  organizations: number;
  batches: number;
  samples: number;
}

/** md5 of a tag and an index shaped as a version-4 UUID (the API checks ids are UUIDs). */
export const UUID_SQL = (tag: string, expr: string) => `overlay(overlay(md5('${tag}' || (${expr})) placing '4' from 13) placing '8' from 17)::uuid`;

const CATEGORIES = [
  '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', '水果>柑橘类水果>橙', '蔬菜>叶菜类蔬菜>芹菜', '蔬菜>茄果类蔬菜>辣椒',
  '蔬菜>茎类蔬菜>芦笋', '饮料类>茶叶', '肉类>畜肉>猪肉', '禽蛋', '水产品', '蔬菜>食用菌',
];

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

/**
 * A province's worth of records made with generate_series straight in the database (not through
 * the API): organisations spread over every Sichuan county, one product and site each, batches
 * produced through 2026-01-01…2026-11-26, 80% with a valid certificate, samples (routine
 * monitoring and supervisory sampling, alternately) judged 0–19 days after production, about 1.5%
 * failed, one analyte result each. Returns the ids the benchmark drills into.
 */
export async function generateDashboardData(db: Client, s: DashboardSizes, log = console.log): Promise<{ regulatorId: string; labId: string }> {
  const counties = regionsWithin('510000').filter((r) => r.level === 'county').map((r) => `'${r.code}'`);
  const countyArr = `ARRAY[${counties.join(',')}]::char(6)[]`;
  const catArr = `ARRAY[${CATEGORIES.map((c) => `'${c}'`).join(',')}]`;
  const org = (expr: string) => UUID_SQL('org', expr);
  const step = async (label: string, sql: string) => {
    const t = process.hrtime.bigint();
    await db.query(sql);
    log(`  ${label}: ${(ms(t) / 1000).toFixed(1)} s`);
  };
  const [{ regulator, lab }] = (await db.query(`
    INSERT INTO organizations (id, name, kind, uscc, uscc_status, region_code) VALUES
      (gen_random_uuid(), '四川省农业农村厅', 'regulator', NULL, 'none', '510000'),
      (gen_random_uuid(), '四川省农产品质量安全检测中心', 'lab', NULL, 'none', '510104')
    RETURNING id`)).rows.map((r: { id: string }) => r.id).reduce((acc: { regulator: string; lab: string }[], id: string, i: number) => {
    if (i === 0) acc.push({ regulator: id, lab: '' });
    else acc[0].lab = id;
    return acc;
  }, []);
  await step(`${s.organizations} organisations, products, sites`, `
    INSERT INTO organizations (id, name, kind, uscc, uscc_status, region_code, created_at)
    SELECT ${org('i')}, '合作社' || i, CASE WHEN i % 10 = 0 THEN 'individual' ELSE 'cooperative' END,
           CASE WHEN i % 10 = 0 THEN NULL ELSE '93' || lpad(i::text, 16, '0') END, CASE WHEN i % 10 = 0 THEN 'none' ELSE 'valid' END,
           (${countyArr})[1 + i % ${counties.length}], timestamptz '2025-06-01' + i * interval '1 minute'
    FROM generate_series(0, ${s.organizations - 1}) i;
    INSERT INTO products (id, organization_id, name, category_path, gtin, created_at)
    SELECT ${UUID_SQL('prod', 'i')}, ${org('i')}, '产品' || i, (${catArr})[1 + i % ${CATEGORIES.length}],
           CASE WHEN i % 2 = 0 THEN lpad(i::text, 14, '0') END, timestamptz '2025-06-01' + i * interval '1 minute'
    FROM generate_series(0, ${s.organizations - 1}) i;
    INSERT INTO sites (id, organization_id, name, region_code, created_at)
    SELECT ${UUID_SQL('site', 'i')}, ${org('i')}, '基地' || i, (${countyArr})[1 + i % ${counties.length}], timestamptz '2025-06-01' + i * interval '1 minute'
    FROM generate_series(0, ${s.organizations - 1}) i`);
  await step(`${s.batches} batches`, `
    INSERT INTO batches (id, organization_id, product_id, site_id, region_code, lot_code, quantity_value, quantity_unit, produced_on, trace_code, created_at)
    SELECT ${UUID_SQL('batch', 'i')}, ${org(`i % ${s.organizations}`)}, ${UUID_SQL('prod', `i % ${s.organizations}`)}, ${UUID_SQL('site', `i % ${s.organizations}`)},
           (${countyArr})[1 + (i % ${s.organizations}) % ${counties.length}], 'L' || i, 1000, 'kg', date '2026-01-01' + (i * 330 / ${s.batches}),
           'S' || lpad(i::text, 11, '0'), timestamptz '2026-01-01 08:00+08' + (i * 330 / ${s.batches}) * interval '1 day' + (i % 1000) * interval '1 second'
    FROM generate_series(0, ${s.batches - 1}) i`);
  await step('certificates (80% of batches)', `
    INSERT INTO certificates (id, number, token, template_version, style, organization_id, batch_id, region_code, product_name, product_category,
      quantity_value, quantity_unit, base_milli, origin, issuer_name, issued_on, commitment, basis, evidence, retain_until, created_at)
    SELECT ${UUID_SQL('cert', 'b.i')}, 'C' || b.i, substr(md5('tok' || b.i), 1, 22), '2026', 'producer', x.organization_id, x.id, x.region_code,
           '产品', '水果', 1000, 'kg', 1000000, '四川', '合作社', x.produced_on, '我承诺', '{quality_control}', '{}', x.produced_on + 730, x.created_at
    FROM generate_series(0, ${s.batches - 1}) b(i) JOIN batches x ON x.id = ${UUID_SQL('batch', 'b.i')} WHERE b.i % 5 <> 0`);
  await step(`${s.samples} samples`, `
    INSERT INTO samples (id, sample_no, stream, batch_id, organization_id, site_id, region_code, category_path, issuer_organization_id, lab_organization_id,
      analytes, status, collected_at, judged_on, verdict, created_at)
    SELECT ${UUID_SQL('sample', 'g.i')}, 'N' || lpad(g.i::text, 12, '0'), CASE WHEN g.i % 2 = 0 THEN 'routine_monitoring' ELSE 'supervisory_sampling' END,
           b.id, b.organization_id, b.site_id, b.region_code, p.category_path, '${regulator}', '${lab}', '{毒死蜱}', 'judged',
           b.created_at + interval '1 day', least(b.produced_on + (g.i % 20), date '2026-11-26'), CASE WHEN g.i % 67 = 0 THEN 'fail' ELSE 'pass' END,
           b.created_at + interval '1 day'
    FROM generate_series(0, ${s.samples - 1}) g(i) JOIN batches b ON b.id = ${UUID_SQL('batch', `g.i % ${s.batches}`)} JOIN products p ON p.id = b.product_id`);
  await step('sample results (one per sample)', `
    INSERT INTO sample_results (sample_id, analyte, value, unit, detected, verdict, reason)
    SELECT id, '毒死蜱', CASE WHEN verdict = 'fail' THEN '0.5' ELSE '0.001' END, 'mg/kg', true, verdict,
           CASE WHEN verdict = 'fail' THEN 'over_limit' ELSE 'within_limit' END FROM samples`);
  await step('ANALYZE', 'ANALYZE');
  return { regulatorId: regulator, labId: lab };
}
