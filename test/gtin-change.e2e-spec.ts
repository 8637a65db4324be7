import { DataSource } from 'typeorm';
import { ConsoleClient, consoleUser } from './support/console';
import { auth, createBatch, createOrg, createProduct, createSite, uniqueGtin13 } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

/**
 * A cooperative may correct a product's GTIN after labels were printed: the labels already on
 * packages (item QRs and the batch QR) must keep resolving, and new prints carry the new GTIN.
 */
describe('changing a GTIN after labels were printed', () => {
  let t: TestApp;
  let db: DataSource;
  let org: Awaited<ReturnType<typeof createOrg>>;
  let person: ConsoleClient;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    person = await consoleUser(t, org.id, `gtin-${Date.now()}`, '绿源猕猴桃2026春天');
  });
  afterAll(() => t.close());

  const printRun = async (batchId: string, count: number) => {
    const run = await t.http().post(`/api/v1/batches/${batchId}/print-runs`).set(auth(org.token)).send({ count }).expect(201);
    const codes = await db.query('SELECT code FROM trace_codes WHERE print_run_id = $1 ORDER BY serial', [run.body.id]) as { code: string }[];
    return { id: run.body.id as string, codes: codes.map((c) => c.code) };
  };
  const zpl = async (runId: string) =>
    (await t.http().get(`/api/v1/print-runs/${runId}/labels.zpl?layout=roll-60x40`).set(auth(org.token)).expect(200)).text;
  const resolves = (path: string) => t.http().get(path).set('Accept', 'application/json');

  it('keeps printed item and batch QRs resolving; new prints carry the new GTIN', async () => {
    const oldGtin = `0${uniqueGtin13()}`;
    const newGtin = `0${uniqueGtin13()}`;
    const product = await createProduct(t, org.token, { name: '蒲江猕猴桃（红阳）', gtin: oldGtin.slice(1) });
    const site = await createSite(t, org.token);
    const batch = await createBatch(t, org.token, { productId: product.id, siteId: site.id, lotCode: 'GT2610A' });
    expect(batch.qrContent).toBe(`https://trace.example.cn/01/${oldGtin}/10/GT2610A`);
    const before = await printRun(batch.id, 2);
    expect(await zpl(before.id)).toContain(`/01/${oldGtin}/10/GT2610A/21/${before.codes[0]}`);

    const saved = await person.submit(`/app/products/${product.id}/edit`, `/app/products/${product.id}`, { name: '蒲江猕猴桃（红阳）', category: KIWI, gtin: newGtin.slice(1) });
    expect(saved.status).toBe(303);

    // What is already on packages still resolves to the same batch.
    const item = await resolves(`/01/${oldGtin}/10/GT2610A/21/${before.codes[0]}`).expect(200);
    expect(item.body).toMatchObject({ code: before.codes[0], kind: 'item', batch: { lotCode: 'GT2610A' } });
    const lot = await resolves(`/01/${oldGtin}/10/GT2610A`).expect(200);
    expect(lot.body).toMatchObject({ code: batch.traceCode, kind: 'batch' });
    // A reprint of the old run reproduces the labels already applied; a new run prints the new GTIN.
    expect(await zpl(before.id)).toContain(`/01/${oldGtin}/10/GT2610A/21/${before.codes[1]}`);
    const after = await printRun(batch.id, 1);
    expect(await zpl(after.id)).toContain(`/01/${newGtin}/10/GT2610A/21/${after.codes[0]}`);
    expect(await db.query('SELECT id, gtin FROM print_runs WHERE batch_id = $1 ORDER BY created_at', [batch.id]))
      .toEqual([{ id: before.id, gtin: oldGtin }, { id: after.id, gtin: newGtin }]);

    // The new GTIN works for old and new codes; a GTIN the product never had does not.
    await resolves(`/01/${newGtin}/10/GT2610A/21/${after.codes[0]}`).expect(200);
    await resolves(`/01/${newGtin}/10/GT2610A/21/${before.codes[0]}`).expect(200);
    await resolves(`/01/${newGtin}/10/GT2610A`).expect(200).expect((r) => expect(r.body.code).toBe(batch.traceCode));
    await resolves(`/01/0${uniqueGtin13()}/10/GT2610A/21/${before.codes[0]}`).expect(404);
    await resolves(`/01/0${uniqueGtin13()}/10/GT2610A`).expect(404);
  });

  it('keeps printed links resolving when the GTIN is removed', async () => {
    const gtin = `0${uniqueGtin13()}`;
    const product = await createProduct(t, org.token, { gtin: gtin.slice(1) });
    const batch = await createBatch(t, org.token, { productId: product.id, lotCode: 'GT2610B' });
    const [code] = (await printRun(batch.id, 1)).codes;
    await person.submit(`/app/products/${product.id}/edit`, `/app/products/${product.id}`, { name: '蒲江猕猴桃', category: KIWI }).then((r) => expect(r.status).toBe(303));
    // The product now has no GTIN at all: printed links still resolve; an unrelated lot walks up to the
    // product the GTIN named (GS1 resolver: unknown qualifiers walk up), a GTIN never used is 404.
    await resolves(`/01/${gtin}/10/GT2610B/21/${code}`).expect(200);
    await resolves(`/01/${gtin}/10/GT2610B`).expect(200);
    const walked = await resolves(`/01/${gtin}/10/GT2610C`).expect(200);
    expect(walked.body).toMatchObject({ level: 'product', walkedUp: true });
    await resolves(`/01/0${uniqueGtin13()}/10/GT2610C`).expect(404);
  });
});
