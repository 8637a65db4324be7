import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { uniqueUscc } from './factories';

/**
 * A small world of source rows written with plain SQL (as the judge worker and the scan buffer
 * write), for checking the indicator aggregates against a brute-force count. Everything lives in
 * Qinghai (63).
 */
export const WORLD_REGIONS = ['630102', '630103', '630104', '630121', '630202', '632221', '630100', '632200'];
export const WORLD_PREFIX = '63';

let seq = 0;
const unique = (prefix: string) => `${prefix}${process.pid.toString(36)}${(seq++).toString(36)}`.slice(0, 13).toUpperCase();

export interface World {
  orgs: { id: string; regionCode: string }[];
  products: { id: string; orgId: string; category: string }[];
  batches: { id: string; orgId: string; productId: string; siteId: string; regionCode: string; category: string; producedOn: string }[];
  certificates: string[];
  codes: string[];
  samples: string[];
  giId: string;
  authorisations: Map<string, string>;
  regulatorId: string;
}

export async function newWorld(db: DataSource): Promise<World> {
  const [{ id: regulatorId }] = await db.query(
    "INSERT INTO organizations (name, kind, uscc_status, region_code) VALUES ('青海监管', 'regulator', 'none', '630000') RETURNING id") as { id: string }[];
  const [{ id: giId }] = await db.query(
    // A record the GI module itself would accept.
    `INSERT INTO gi_records (regime, product_name, registration_number, holder_uscc, holder_name, area_codes)
     VALUES ('gi_trademark', '测试地标', $1, $2, '青海测试协会', '["630102"]') RETURNING id`,
    [String(100_000_000 + ((process.pid * 1000 + seq++) % 900_000_000)), uniqueUscc('51', '630102')]) as { id: string }[];
  return { orgs: [], products: [], batches: [], certificates: [], codes: [], samples: [], giId, authorisations: new Map(), regulatorId };
}

export async function addOrg(db: DataSource, w: World, kind: string, usccStatus: string, regionCode: string, createdAt: string): Promise<void> {
  const [{ id }] = await db.query(
    'INSERT INTO organizations (name, kind, uscc_status, region_code, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [`主体${seq++}`, kind, usccStatus, regionCode, createdAt]) as { id: string }[];
  w.orgs.push({ id, regionCode });
}

export async function addProduct(db: DataSource, w: World, orgIndex: number, category: string, gtin: boolean, createdAt: string): Promise<void> {
  const org = w.orgs[orgIndex % w.orgs.length];
  const [{ id }] = await db.query(
    'INSERT INTO products (organization_id, name, category_path, gtin, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [org.id, `产品${seq++}`, category, gtin ? String(10_000_000_000_000 + seq++) : null, createdAt]) as { id: string }[];
  w.products.push({ id, orgId: org.id, category });
}

/** A producer edits a product's category (the console allows it): its batches' figures move with it. */
export async function recategorise(db: DataSource, w: World, productIndex: number, category: string): Promise<void> {
  const product = w.products[productIndex % w.products.length];
  await db.query('UPDATE products SET category_path = $2 WHERE id = $1', [product.id, category]);
  product.category = category;
  for (const batch of w.batches.filter((b) => b.productId === product.id)) batch.category = category;
}

export async function addBatch(db: DataSource, w: World, productIndex: number, regionCode: string, producedOn: string, traceCode: boolean): Promise<void> {
  const product = w.products[productIndex % w.products.length];
  const [{ id: siteId }] = await db.query('INSERT INTO sites (organization_id, name, region_code) VALUES ($1, $2, $3) RETURNING id',
    [product.orgId, `基地${seq++}`, regionCode]) as { id: string }[];
  const [{ id }] = await db.query(
    `INSERT INTO batches (organization_id, product_id, site_id, region_code, lot_code, quantity_value, quantity_unit, produced_on)
     VALUES ($1, $2, $3, $4, $5, 10, 'kg', $6) RETURNING id`,
    [product.orgId, product.id, siteId, regionCode, unique('L'), producedOn]) as { id: string }[];
  // As the batches service does: insert, then give the batch its code in a second statement.
  if (traceCode) await db.query('UPDATE batches SET trace_code = $2 WHERE id = $1', [id, unique('B')]);
  w.batches.push({ id, orgId: product.orgId, productId: product.id, siteId, regionCode, category: product.category, producedOn });
}

export async function moveBatch(db: DataSource, w: World, batchIndex: number, regionCode: string, producedOn: string): Promise<void> {
  const batch = w.batches[batchIndex % w.batches.length];
  await db.query('UPDATE batches SET region_code = $2, produced_on = $3 WHERE id = $1', [batch.id, regionCode, producedOn]);
  Object.assign(batch, { regionCode, producedOn });
}

export async function issueCertificates(db: DataSource, w: World, batchIndex: number, count: number): Promise<void> {
  const batch = w.batches[batchIndex % w.batches.length];
  const values = Array.from({ length: count }, () => `('${unique('N')}', '${unique('T')}', '2026', 'label', '${batch.orgId}', '${batch.id}', '${batch.regionCode}',
    '产品', '${batch.category}', 1, 'kg', 1000, '青海', '主体', '2026-01-01', '承诺', '{self_test}', '{}', '2028-01-01')`);
  const rows = await db.query(
    `INSERT INTO certificates (number, token, template_version, style, organization_id, batch_id, region_code, product_name, product_category,
       quantity_value, quantity_unit, base_milli, origin, issuer_name, issued_on, commitment, basis, evidence, retain_until)
     VALUES ${values.join(', ')} RETURNING id`) as { id: string }[];
  w.certificates.push(...rows.map((r) => r.id));
}

export async function setCertificateStatus(db: DataSource, w: World, certIndex: number, status: 'valid' | 'voided'): Promise<void> {
  if (!w.certificates.length) return;
  await db.query('UPDATE certificates SET status = $2 WHERE id = $1', [w.certificates[certIndex % w.certificates.length], status]);
}

export async function deleteCertificate(db: DataSource, w: World, certIndex: number): Promise<void> {
  if (!w.certificates.length) return;
  const [id] = w.certificates.splice(certIndex % w.certificates.length, 1);
  await db.query('DELETE FROM certificates WHERE id = $1', [id]);
}

export async function printLabels(db: DataSource, w: World, batchIndex: number, count: number): Promise<void> {
  const batch = w.batches[batchIndex % w.batches.length];
  const [{ id }] = await db.query(
    'INSERT INTO print_runs (organization_id, batch_id, count, first_serial, last_serial) VALUES ($1, $2, $3, 1, $3) RETURNING id',
    [batch.orgId, batch.id, count]) as { id: string }[];
  const codes = Array.from({ length: count }, () => unique('I'));
  await db.query(
    `INSERT INTO trace_codes (code, kind, batch_id, print_run_id, serial) SELECT c, 'item', $1, $2, row_number() OVER () FROM unnest($3::text[]) c`,
    [batch.id, id, codes]);
  w.codes.push(...codes);
}

/** One statement for several codes, as the scan buffer flushes. */
export async function scanCodes(db: DataSource, w: World, indexes: number[], at: string): Promise<void> {
  if (!w.codes.length) return;
  const codes = indexes.map((i) => w.codes[i % w.codes.length]);
  await db.query(
    `UPDATE trace_codes SET scan_count = scan_count + 1, first_scanned_at = COALESCE(first_scanned_at, $2), last_scanned_at = $2 WHERE code = ANY($1)`,
    [codes, at]);
}

export async function addSample(
  db: DataSource, w: World, batchIndex: number, stream: string, status: string, verdict: string | null, collectedAt: string,
): Promise<void> {
  const batch = w.batches[batchIndex % w.batches.length];
  const [{ id }] = await db.query(
    `INSERT INTO samples (sample_no, stream, batch_id, organization_id, site_id, region_code, category_path, issuer_organization_id, lab_organization_id,
       analytes, status, verdict, collected_at, judged_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, '{铅}', $9, $10, $11, CASE WHEN $9::varchar = 'judged' THEN ($11::timestamptz + interval '3 days')::date END) RETURNING id`,
    [unique('S'), stream, batch.id, batch.orgId, batch.siteId, batch.regionCode, batch.category, w.regulatorId, status, verdict, collectedAt]) as { id: string }[];
  w.samples.push(id);
}

/** Judges every open sample of the world in one statement (as a judge chunk does). */
export async function judgeOpenSamples(db: DataSource, w: World, verdict: string): Promise<void> {
  await db.query(
    `UPDATE samples SET status = 'judged', verdict = $2, judged_on = (collected_at + interval '2 days')::date WHERE id = ANY($1) AND status <> 'judged'`,
    [w.samples, verdict]);
}

/** An accepted recheck: a judged recheck sample, and its verdict replacing the first sample's. */
export async function acceptRecheck(db: DataSource, w: World, sampleIndex: number, verdict: string): Promise<void> {
  if (!w.samples.length) return;
  const first = w.samples[sampleIndex % w.samples.length];
  const [{ id }] = await db.query(
    `INSERT INTO samples (sample_no, recheck_of, stream, batch_id, organization_id, site_id, region_code, category_path, issuer_organization_id,
       lab_organization_id, analytes, status, verdict, collected_at, judged_on)
     SELECT $2, id, stream, batch_id, organization_id, site_id, region_code, category_path, issuer_organization_id, lab_organization_id, analytes,
       'judged', $3, collected_at, judged_on FROM samples WHERE id = $1 RETURNING id`,
    [first, unique('R'), verdict]) as { id: string }[];
  await db.query("UPDATE samples SET verdict = $2, replaced_by = $3 WHERE id = $1 AND status = 'judged'", [first, verdict, id]);
}

export async function claimGi(db: DataSource, w: World, batchIndex: number, amount: string, unit: string): Promise<void> {
  const batch = w.batches[batchIndex % w.batches.length];
  let authorisation = w.authorisations.get(batch.orgId);
  if (!authorisation) {
    const [{ id }] = await db.query('INSERT INTO gi_authorisations (gi_id, organization_id, valid_from) VALUES ($1, $2, \'2020-01-01\') RETURNING id',
      [w.giId, batch.orgId]) as { id: string }[];
    w.authorisations.set(batch.orgId, (authorisation = id));
  }
  await db.query(
    `INSERT INTO gi_claims (batch_id, gi_id, authorisation_id, organization_id, region_code, produced_on, year, quantity_value, quantity_unit, base_amount, base_unit)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9) ON CONFLICT (batch_id) DO NOTHING`,
    [batch.id, w.giId, authorisation, batch.orgId, batch.regionCode, batch.producedOn, Number(batch.producedOn.slice(0, 4)), amount, unit]);
}

export { randomUUID };
