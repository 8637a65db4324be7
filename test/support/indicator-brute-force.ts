import type { DataSource } from 'typeorm';
import { selfAndAncestors } from '../../src/modules/categories/domain/category-path';
import { INDICATORS } from '../../src/modules/indicators/domain/indicator-definitions';
import type { IndicatorSpec } from '../../src/modules/indicators/domain/indicator-query';
import type { IndicatorResult } from '../../src/modules/indicators/domain/indicator-types';
import { amountOf, baseQuantity, type Quantity } from '../../libs/quantity';

/**
 * The indicators counted the slow way: every source row of a region read back and counted in
 * TypeScript, written from DOMAIN.md §6 without looking at the triggers or the aggregate SQL.
 */
interface Fact {
  indicator: string;
  detail: string;
  org: string;
  region: string;
  category: string;
  month: string;
  n: number;
  d: number;
}

const chinaMonth = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
const dayMonth = (day: string | Date) => (typeof day === 'string' ? day : new Date(day.getTime() + 8 * 3_600_000).toISOString()).slice(0, 7);

export async function sourceFacts(db: DataSource, prefix: string): Promise<Fact[]> {
  const like = `${prefix}%`;
  const q = <T>(sql: string) => db.query(sql, [like]) as Promise<T[]>;
  const [orgs, products, batches, certs, runs, codes, samples, claims] = await Promise.all([
    q<{ id: string; kind: string; uscc_status: string; region_code: string; created_at: Date }>('SELECT * FROM organizations WHERE region_code LIKE $1'),
    q<{ id: string; organization_id: string; category_path: string; gtin: string | null; created_at: Date; region_code: string }>(
      'SELECT p.*, o.region_code FROM products p JOIN organizations o ON o.id = p.organization_id WHERE o.region_code LIKE $1'),
    q<{ id: string; organization_id: string; product_id: string; region_code: string; produced_on: string; trace_code: string | null }>(
      "SELECT b.id, b.organization_id, b.product_id, b.region_code, to_char(b.produced_on, 'YYYY-MM-DD') AS produced_on, b.trace_code FROM batches b WHERE b.region_code LIKE $1"),
    q<{ batch_id: string; status: string }>('SELECT c.batch_id, c.status FROM certificates c JOIN batches b ON b.id = c.batch_id WHERE b.region_code LIKE $1'),
    q<{ batch_id: string; count: number }>('SELECT r.batch_id, r.count FROM print_runs r JOIN batches b ON b.id = r.batch_id WHERE b.region_code LIKE $1'),
    q<{ batch_id: string; print_run_id: string | null; first_scanned_at: Date | null }>(
      'SELECT t.batch_id, t.print_run_id, t.first_scanned_at FROM trace_codes t JOIN batches b ON b.id = t.batch_id WHERE b.region_code LIKE $1'),
    q<{ id: string; organization_id: string; region_code: string; category_path: string; stream: string; status: string; verdict: string | null; recheck_of: string | null; collected_at: Date | null; judged_on: string | null }>(
      "SELECT s.*, to_char(s.judged_on, 'YYYY-MM-DD') AS judged_on FROM samples s WHERE s.region_code LIKE $1"),
    q<{ gi_id: string; base_unit: string; base_amount: string; organization_id: string; region_code: string; produced_on: string; batch_id: string }>(
      "SELECT g.*, to_char(g.produced_on, 'YYYY-MM-DD') AS produced_on FROM gi_claims g WHERE g.region_code LIKE $1"),
  ]);
  const orgKind = new Map(orgs.map((o) => [o.id, o.kind]));
  const allOrgKinds = new Map((await db.query('SELECT id, kind FROM organizations') as { id: string; kind: string }[]).map((o) => [o.id, o.kind]));
  const productCategory = new Map((await db.query('SELECT id, category_path FROM products') as { id: string; category_path: string }[]).map((p) => [p.id, p.category_path]));
  // Which categories need a certificate, from the rules themselves (not the flags the app derives from them).
  const ruleRoots = new Set((await db.query('SELECT category_path FROM certificate_scope_rules') as { category_path: string }[]).map((r) => r.category_path));
  const isCertificateRequired = (category: string) => selfAndAncestors(category).some((p) => ruleRoots.has(p));
  const batchProduct = new Map((await db.query('SELECT id, product_id FROM batches') as { id: string; product_id: string }[]).map((b) => [b.id, b.product_id]));
  const facts: Fact[] = [];
  const add = (f: Fact) => facts.push(f);

  for (const o of orgs) {
    if (o.kind === 'individual' || o.kind === 'regulator') continue;
    add({ indicator: 'uscc_coverage', detail: '', org: o.id, region: o.region_code, category: '', month: chinaMonth(o.created_at), n: o.uscc_status === 'valid' ? 1 : 0, d: 1 });
  }
  // inspection_coverage (DOMAIN.md §11): organisations but labs and regulators; inspected from the month of a year's first inspection to that year's end.
  for (const o of orgs) {
    if (o.kind === 'lab' || o.kind === 'regulator') continue;
    add({ indicator: 'inspection_coverage', detail: '', org: o.id, region: o.region_code, category: '', month: chinaMonth(o.created_at), n: 0, d: 1 });
  }
  const inspected = await q<{ organization_id: string; region_code: string; inspected_on: string }>(
    "SELECT organization_id, region_code, to_char(inspected_on, 'YYYY-MM-DD') AS inspected_on FROM inspections WHERE region_code LIKE $1 ORDER BY inspected_on");
  const firstOfYear = new Map<string, { organization_id: string; region_code: string; inspected_on: string }>();
  for (const i of inspected) if (!firstOfYear.has(`${i.organization_id}|${i.inspected_on.slice(0, 4)}`)) firstOfYear.set(`${i.organization_id}|${i.inspected_on.slice(0, 4)}`, i);
  for (const i of firstOfYear.values()) {
    const base = { indicator: 'inspection_coverage', detail: '', org: i.organization_id, region: i.region_code, category: '', d: 0 };
    add({ ...base, month: i.inspected_on.slice(0, 7), n: 1 });
    add({ ...base, month: `${Number(i.inspected_on.slice(0, 4)) + 1}-01`, n: -1 });
  }
  // high_risk_organizations (DOMAIN.md §11): published grades in their period's first month; high ones in the numerator.
  const graded = await q<{ organization_id: string; region_code: string; period_from: string; grade: string }>(
    "SELECT organization_id, region_code, to_char(period_from, 'YYYY-MM-DD') AS period_from, grade FROM risk_grades WHERE status = 'published' AND region_code LIKE $1");
  for (const g of graded) {
    add({ indicator: 'high_risk_organizations', detail: '', org: g.organization_id, region: g.region_code, category: '', month: g.period_from.slice(0, 7), n: g.grade === 'high' ? 1 : 0, d: 1 });
  }
  for (const p of products) {
    add({ indicator: 'gtin_coverage', detail: '', org: p.organization_id, region: p.region_code, category: p.category_path, month: chinaMonth(p.created_at), n: p.gtin ? 1 : 0, d: 1 });
  }
  for (const b of batches) {
    const category = productCategory.get(b.product_id)!;
    const base = { detail: '', org: b.organization_id, region: b.region_code, category, month: b.produced_on.slice(0, 7) };
    add({ ...base, indicator: 'trace_code_coverage', n: b.trace_code ? 1 : 0, d: 1 });
    if (isCertificateRequired(category) && (orgKind.get(b.organization_id) ?? allOrgKinds.get(b.organization_id)) !== 'individual') {
      add({ ...base, indicator: 'certificate_issuance', n: certs.some((c) => c.batch_id === b.id && c.status === 'valid') ? 1 : 0, d: 1 });
    }
    const printed = runs.filter((r) => r.batch_id === b.id).reduce((s, r) => s + r.count, 0);
    const scanned = codes.filter((c) => c.batch_id === b.id && c.print_run_id && c.first_scanned_at).length;
    add({ ...base, indicator: 'label_scan_rate', n: scanned, d: printed });
  }
  // disposal_rate (DOMAIN.md §11): every standing failure, of any stream, disposed once a disposal names it.
  const disposed = new Set((await db.query('SELECT unnest(sample_ids) AS id FROM disposals') as { id: string }[]).map((r) => r.id));
  for (const s of samples) {
    if (s.status !== 'judged' || s.verdict !== 'fail' || s.recheck_of) continue;
    add({
      indicator: 'disposal_rate', detail: '', org: s.organization_id, region: s.region_code, category: s.category_path,
      month: s.collected_at ? chinaMonth(s.collected_at) : dayMonth(s.judged_on!), n: disposed.has(s.id) ? 1 : 0, d: 1,
    });
  }
  for (const s of samples) {
    if (s.status !== 'judged' || !s.verdict || s.recheck_of) continue;
    if (s.stream !== 'routine_monitoring' && s.stream !== 'supervisory_sampling') continue;
    add({
      indicator: s.stream === 'routine_monitoring' ? 'routine_monitoring' : 'food_sampling', detail: '', org: s.organization_id, region: s.region_code,
      category: s.category_path, month: s.collected_at ? chinaMonth(s.collected_at) : dayMonth(s.judged_on!), n: s.verdict === 'fail' ? 0 : 1, d: 1,
    });
  }
  // Farm inputs (issue 16): applications by their crop, gate records by theirs, coverage per batch by its product's category.
  const [applications, gates] = await Promise.all([
    q<{ organization_id: string; region_code: string; crop_category: string; applied_on: string; input_kind: string; status: string; low_risk: boolean; organic: boolean }>(
      "SELECT a.*, to_char(a.applied_on, 'YYYY-MM-DD') AS applied_on FROM input_applications a WHERE a.region_code LIKE $1"),
    q<{ batch_id: string | null; organization_id: string; region_code: string; category_path: string; harvested_on: string; outcome: string; application_ids: string[] }>(
      "SELECT g.*, to_char(g.harvested_on, 'YYYY-MM-DD') AS harvested_on FROM phi_gate_records g WHERE g.region_code LIKE $1"),
  ]);
  for (const a of applications) {
    if (a.status !== 'recorded' || (a.input_kind !== 'pesticide' && a.input_kind !== 'fertiliser')) continue;
    const pesticide = a.input_kind === 'pesticide';
    add({
      indicator: pesticide ? 'low_risk_pesticide_share' : 'organic_fertiliser_share', detail: '', org: a.organization_id, region: a.region_code,
      category: a.crop_category, month: a.applied_on.slice(0, 7), n: (pesticide ? a.low_risk : a.organic) ? 1 : 0, d: 1,
    });
  }
  for (const g of gates) {
    add({ indicator: 'phi_violations', detail: '', org: g.organization_id, region: g.region_code, category: g.category_path, month: g.harvested_on.slice(0, 7), n: ['refused', 'overridden'].includes(g.outcome) ? 1 : 0, d: 1 });
  }
  for (const b of batches) {
    // The batches certificate_issuance counts (certificate-required category, not an individual farmer), by category.
    const category = productCategory.get(b.product_id)!;
    if (!isCertificateRequired(category) || (orgKind.get(b.organization_id) ?? allOrgKinds.get(b.organization_id)) === 'individual') continue;
    const covered = gates.some((g) => g.batch_id === b.id && g.application_ids.length > 0);
    add({ indicator: 'input_record_coverage', detail: '', org: b.organization_id, region: b.region_code, category, month: b.produced_on.slice(0, 7), n: covered ? 1 : 0, d: 1 });
  }
  for (const g of claims) {
    add({
      indicator: 'gi_claimed', detail: `${g.gi_id}|${g.base_unit}`, org: g.organization_id, region: g.region_code,
      category: productCategory.get(batchProduct.get(g.batch_id)!)!, month: g.produced_on.slice(0, 7), n: Number(g.base_amount), d: 1,
    });
  }
  // Quality marks (issue 17): shares of batch quantity per scheme and base unit, refusals over attempts, valid records as a stock.
  const quantities = await q<{ id: string; organization_id: string; region_code: string; product_id: string; produced_on: string; quantity_value: string; quantity_unit: string }>(
    "SELECT b.id, b.organization_id, b.region_code, b.product_id, to_char(b.produced_on, 'YYYY-MM-DD') AS produced_on, b.quantity_value::text, b.quantity_unit FROM batches b WHERE b.region_code LIKE $1");
  const markClaims = await q<{ batch_id: string; scheme: string; organization_id: string; region_code: string; claimed_on: string; base_amount: string; base_unit: string }>(
    "SELECT c.batch_id, c.scheme, c.organization_id, c.region_code, to_char(c.claimed_on, 'YYYY-MM-DD') AS claimed_on, c.base_amount::text, c.base_unit FROM mark_claims c WHERE c.region_code LIKE $1");
  const refusals = await q<{ scheme: string; organization_id: string; region_code: string; claimed_on: string }>(
    `SELECT scheme, organization_id, region_code, to_char(claimed_on, 'YYYY-MM-DD') AS claimed_on FROM mark_claim_refusals WHERE region_code LIKE $1
     UNION ALL SELECT 'gi', organization_id, region_code, to_char(produced_on, 'YYYY-MM-DD') FROM gi_claim_refusals WHERE region_code LIKE $1`);
  const SCHEMES = ['green_food', 'organic', 'regional_brand', 'gi'];
  for (const b of quantities) {
    const base = baseQuantity(amountOf({ value: b.quantity_value, unit: b.quantity_unit as Quantity['unit'] }));
    for (const scheme of SCHEMES) {
      add({
        indicator: 'mark_quantity_share', detail: `${scheme}|${base.unit}`, org: b.organization_id, region: b.region_code,
        category: productCategory.get(b.product_id)!, month: b.produced_on.slice(0, 7), n: 0, d: Number(base.value),
      });
    }
  }
  const counted = new Set<string>();
  for (const c of markClaims) {
    const base = { org: c.organization_id, region: c.region_code, month: c.claimed_on.slice(0, 7) };
    add({ ...base, indicator: 'mark_claim_refusals', detail: c.scheme, category: '', n: 0, d: 1 });
    if (counted.has(`${c.batch_id}|${c.scheme}`)) continue;
    counted.add(`${c.batch_id}|${c.scheme}`);
    add({ ...base, indicator: 'mark_quantity_share', detail: `${c.scheme}|${c.base_unit}`, category: productCategory.get(batchProduct.get(c.batch_id)!)!, n: Number(c.base_amount), d: 0 });
  }
  for (const g of claims) {
    const base = { org: g.organization_id, region: g.region_code, month: g.produced_on.slice(0, 7) };
    add({ ...base, indicator: 'mark_claim_refusals', detail: 'gi', category: '', n: 0, d: 1 });
    add({ ...base, indicator: 'mark_quantity_share', detail: `gi|${g.base_unit}`, category: productCategory.get(batchProduct.get(g.batch_id)!)!, n: Number(g.base_amount), d: 0 });
  }
  for (const r of refusals) {
    add({ indicator: 'mark_claim_refusals', detail: r.scheme, org: r.organization_id, region: r.region_code, category: '', month: r.claimed_on.slice(0, 7), n: 1, d: 1 });
  }
  // A valid record counts from the month it starts to the month of the day after its last valid day (or of its revocation).
  const NIL = '00000000-0000-0000-0000-000000000000';
  const records = await q<{ scheme: string; org: string | null; region: string; valid_from: string; ends: string | null; products: number }>(
    `SELECT scheme, holder_organization_id AS org, holder_region_code AS region, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
            to_char(least(valid_to + 1, CASE WHEN status = 'revoked' THEN revoked_on END), 'YYYY-MM-DD') AS ends,
            jsonb_array_length(product_ids) + jsonb_array_length(product_names) AS products
       FROM mark_records WHERE holder_region_code LIKE $1 AND scheme <> 'organic_conversion'`);
  const gis = await db.query(`SELECT area_codes, to_char(coalesce(announced_on, (created_at AT TIME ZONE 'Asia/Shanghai')::date), 'YYYY-MM-DD') AS valid_from,
      CASE WHEN status = 'revoked' THEN to_char(revoked_on, 'YYYY-MM-DD') END AS ends FROM gi_records`) as { area_codes: string[]; valid_from: string; ends: string | null }[];
  const giRecords = gis.map((g) => {
    const codes = g.area_codes;
    const region = codes.length === 1 ? codes[0] : new Set(codes.map((c) => c.slice(0, 4))).size === 1 ? `${codes[0].slice(0, 4)}00` : `${codes[0].slice(0, 2)}0000`;
    return { scheme: 'gi', org: null, region, valid_from: g.valid_from, ends: g.ends, products: 1 };
  }).filter((g) => g.region.startsWith(prefix));
  for (const r of [...records, ...giRecords]) {
    if (r.ends !== null && r.ends <= r.valid_from) continue;
    const base = { indicator: 'quality_mark_products', detail: r.scheme, org: r.org ?? NIL, region: r.region, category: '' };
    const products = Math.max(1, r.products);
    add({ ...base, month: r.valid_from.slice(0, 7), n: products, d: products });
    if (r.ends !== null) add({ ...base, month: r.ends.slice(0, 7), n: -products, d: 0 });
  }
  return facts;
}

const monthNo = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

function periodKey(month: string, unit: IndicatorSpec['period']): string {
  if (unit === 'month') return month;
  if (unit === 'year') return month.slice(0, 4);
  if (unit === 'quarter') return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
  return '';
}

function childRegion(code: string, parent: string | null): string {
  if (!parent) return `${code.slice(0, 2)}0000`;
  if (parent.endsWith('0000')) return `${code.slice(0, 4)}00`;
  return code;
}

/** Expected `indicator|key|detail|period` → [numerator, denominator], zeros left out. */
export function bruteForce(facts: Fact[], spec: IndicatorSpec): Map<string, [number, number]> {
  const prefix = spec.region ? spec.region.code.replace(/0000$/, '').replace(/00$/, '') : '';
  const out = new Map<string, [number, number]>();
  const months: string[] = [];
  for (let m = monthNo(spec.from); m <= monthNo(spec.to); m++) months.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
  for (const f of facts) {
    const definition = INDICATORS[f.indicator as keyof typeof INDICATORS];
    if (!spec.indicators.includes(definition.key)) continue;
    if (!f.region.startsWith(prefix)) continue;
    if (spec.organizationId && f.org !== spec.organizationId) continue;
    const hasCategory = definition.dimensions.category;
    if (hasCategory && spec.category && f.category !== spec.category && !f.category.startsWith(`${spec.category}>`)) continue;
    let key = '';
    if (spec.split === 'region') key = childRegion(f.region, spec.region?.code ?? null);
    if (spec.split === 'organization') key = f.org;
    // Records no platform organisation holds count in their region, but form no organisation's row.
    if (spec.split === 'organization' && f.org === '00000000-0000-0000-0000-000000000000') continue;
    if (spec.split === 'category' && hasCategory) {
      const depth = spec.category ? spec.category.split('>').length : 0;
      key = f.category.split('>').slice(0, depth + 1).join('>');
    }
    // A flow counts in its own month's period; a stock in every period that ends on or after it.
    const periods = definition.measure === 'stock'
      ? [...new Set(months.filter((m) => monthNo(m) >= monthNo(f.month)).map((m) => periodKey(m, spec.period)))]
      : monthNo(f.month) >= monthNo(spec.from) && monthNo(f.month) <= monthNo(spec.to) ? [periodKey(f.month, spec.period)] : [];
    for (const period of periods) {
      const id = `${f.indicator}|${key}|${f.detail}|${period}`;
      const [n, d] = out.get(id) ?? [0, 0];
      out.set(id, [n + f.n, d + f.d]);
    }
  }
  for (const [id, [n, d]] of out) if (Math.abs(n) < 1e-9 && Math.abs(d) < 1e-9) out.delete(id);
  return out;
}

/** The service's answer in the same shape. */
export function answered(result: IndicatorResult): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const row of result.rows) {
    const key = row.region?.code ?? row.category?.path ?? row.organization?.id ?? '';
    const detail = row.gi ? `${row.gi.id}|${row.gi.unit}` : row.scheme ? `${row.scheme.id}${row.scheme.unit ? `|${row.scheme.unit}` : ''}` : '';
    const n = Number(row.numerator);
    const d = Number(row.denominator);
    if (n === 0 && d === 0) continue;
    out.set(`${row.indicator}|${key}|${detail}|${row.period?.key ?? ''}`, [n, d]);
  }
  return out;
}
