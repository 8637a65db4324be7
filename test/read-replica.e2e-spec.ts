import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createProduct, createSite, OrgWithKey, uniqueGtin13 } from './support/factories';
import { eventually } from './support/processes';
import { fileDatabase } from './setup/file-database';
import { createTestApp, TestApp } from './support/test-app';

const indicators = (t: TestApp, token: string) => t.http().get('/api/v1/indicators')
  .query({ indicator: 'trace_code_coverage', from: '2026-01', to: '2026-12' }).set(auth(token)).expect(200);

const fsmaRows = async (t: TestApp, token: string, gtin: string) => (await t.http().get('/api/v1/fsma204/records')
  .query({ gtin, from: '2026-10-01', to: '2026-10-31', format: 'json' }).set(auth(token)).expect(200)).body.rows as Record<string, string>[];

/** Item codes of a new print run of `batchId`, in serial order. */
async function printItems(t: TestApp, token: string, batchId: string, count: number): Promise<string[]> {
  const run = await t.http().post(`/api/v1/batches/${batchId}/print-runs`).set(auth(token)).send({ count }).expect(201);
  const rows = await t.app.get(DataSource).query('SELECT code FROM trace_codes WHERE print_run_id = $1 ORDER BY serial', [run.body.id]) as { code: string }[];
  return rows.map((r) => r.code);
}

/**
 * DATABASE_REPLICA_URL: reporting reads go to the replica, everything else to the primary, and a
 * replica that is down costs nothing but capacity. The "replica" here is a copy of this file's
 * database taken after a first lot was made and before anything else: a replica that never
 * catches up, so which database answered is visible in the answer. Some of the copy's rows are
 * then changed by hand, to tell its answers from the primary's.
 */
describe('a read replica', () => {
  let copyName: string;
  const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  let withCopy: TestApp;
  let withDeadReplica: TestApp;
  const gtin = `0${uniqueGtin13()}`;
  let farm: OrgWithKey;
  let seeded: { productId: string; siteId: string; lotCode: string; items: string[] };

  beforeAll(async () => {
    const primary = await fileDatabase();
    const seed = await createTestApp();
    farm = await createOrg(seed);
    const product = await createProduct(seed, farm.token, { gtin, name: '蒲江猕猴桃' });
    const site = await createSite(seed, farm.token);
    const lot = await createBatch(seed, farm.token, { productId: product.id, siteId: site.id, producedOn: '2026-10-08' });
    seeded = { productId: product.id, siteId: site.id, lotCode: lot.lotCode, items: await printItems(seed, farm.token, lot.id, 2) };
    await seed.close();
    copyName = `${primary.name}_replica`;
    const copyUrl = primary.url.replace(/\/[^/]*$/, `/${copyName}`);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${copyName} TEMPLATE ${primary.name}`);
    const copy = new Client({ connectionString: copyUrl });
    await copy.connect();
    await copy.query('UPDATE trace_codes SET scan_count = 777 WHERE code = $1', [seeded.items[0]]);
    await copy.query('UPDATE products SET name = $2 WHERE id = $1', [product.id, '副本里的猕猴桃']);
    await copy.end();
    withCopy = await createTestApp({ DATABASE_REPLICA_URL: copyUrl });
    withDeadReplica = await createTestApp({ DATABASE_REPLICA_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
  });
  afterAll(async () => {
    await withCopy.close();
    await withDeadReplica.close();
    await admin.query(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`);
    await admin.end();
  });

  it('answers indicators from the replica and writes (and their own reads) from the primary', async () => {
    await eventually(async () => ((await withCopy.http().get('/health')).body.replica === 'up' ? true : undefined));
    const org = await createOrg(withCopy);
    const batch = await createBatch(withCopy, org.token);
    // The writer's own read goes to the primary: it sees its batch at once.
    await withCopy.http().get(`/api/v1/batches/${batch.id}`).set(auth(org.token)).expect(200);
    // The indicator is read from the copy, which has none of this organisation's batches.
    expect((await indicators(withCopy, org.token)).body.rows[0]).toMatchObject({ numerator: '0', denominator: '0' });
    expect((await withCopy.http().get('/health').expect(200)).body).toMatchObject({ status: 'ok', replica: 'up', degraded: [] });
  });

  it('answers per-code scan reads, product pages and FSMA exports from the replica; batch facts, and what the replica lacks, from the primary', async () => {
    await eventually(async () => ((await withCopy.http().get('/health')).body.replica === 'up' ? true : undefined));
    const [item] = seeded.items;
    const scanned = await withCopy.http().get(`/api/v1/scan/${item}`).expect(200);
    // The code's row (its stored scan count) came from the replica...
    expect(scanned.body.scans.count).toBeGreaterThanOrEqual(777);
    // ...its batch's facts from the primary, where a recall or a hold shows at once.
    expect(scanned.body.product.name).toBe('蒲江猕猴桃');
    // The product level of the GTIN is read from the replica, and so is the FSMA 204 sheet.
    expect((await withCopy.http().get(`/01/${gtin}`).expect(200)).text).toContain('副本里的猕猴桃');
    expect((await fsmaRows(withCopy, farm.token, gtin))[0]['Product Description']).toContain('副本里的猕猴桃');
    // A lot and codes made after the copy are not on the replica: the primary finds them.
    const fresh = await createBatch(withCopy, farm.token, { productId: seeded.productId, siteId: seeded.siteId, producedOn: '2026-10-09' });
    const [freshItem] = await printItems(withCopy, farm.token, fresh.id, 1);
    await withCopy.http().get(`/t/${freshItem}`).expect(200);
    await withCopy.http().get(`/01/${gtin}/10/${encodeURIComponent(fresh.lotCode)}`).expect(200);
    await withCopy.http().get(`/01/${gtin}/10/${encodeURIComponent(fresh.lotCode)}/21/${freshItem}`).expect(200);
    // An export, unlike a lookup, may lag: the new lot is not on the sheet until the replica has it.
    expect((await fsmaRows(withCopy, farm.token, gtin)).map((r) => r['Traceability Lot Code'])).not.toContain(fresh.lotCode);
  });

  it('reads from the primary while the replica is down, and says so in /health', async () => {
    const org = await createOrg(withDeadReplica);
    const batch = await createBatch(withDeadReplica, org.token);
    expect((await indicators(withDeadReplica, org.token)).body.rows[0]).toMatchObject({ numerator: '1', denominator: '1' });
    const [item] = await printItems(withDeadReplica, org.token, batch.id, 1);
    expect((await withDeadReplica.http().get(`/api/v1/scan/${item}`).expect(200)).body.scans.count).toBe(1);
    const health = await withDeadReplica.http().get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'degraded', database: 'up', replica: 'down', degraded: ['replica'] });
  });

  it('falls back to the primary when the replica goes away between checks', async () => {
    const org = await createOrg(withCopy);
    await createBatch(withCopy, org.token);
    expect((await indicators(withCopy, org.token)).body.rows[0]).toMatchObject({ denominator: '0' });
    // The copy disappears (its sessions are cut): the next read finds out and asks the primary.
    await admin.query(`DROP DATABASE ${copyName} WITH (FORCE)`);
    expect((await indicators(withCopy, org.token)).body.rows[0]).toMatchObject({ numerator: '1', denominator: '1' });
    expect((await withCopy.http().get('/health').expect(200)).body).toMatchObject({ replica: 'down', degraded: ['replica'] });
  });
});
