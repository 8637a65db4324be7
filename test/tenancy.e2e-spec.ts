import { auth, createBatch, createOrg, createProduct, createRegulator, createSite } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

/** Another organisation's data is invisible: every route answers 404, never 403 or the data. */
describe('tenant isolation', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof createOrg>>;
  let stranger: Awaited<ReturnType<typeof createOrg>>;
  let ids: { product: string; site: string; batch: string; run: string; org: string };

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createOrg(t);
    stranger = await createOrg(t, { regionCode: '511823' });
    const product = await createProduct(t, owner.token);
    const site = await createSite(t, owner.token);
    const batch = await createBatch(t, owner.token, { productId: product.id, siteId: site.id });
    const run = await t.http().post(`/api/v1/batches/${batch.id}/print-runs`).set(auth(owner.token)).send({ count: 3 }).expect(201);
    ids = { product: product.id, site: site.id, batch: batch.id, run: run.body.id, org: owner.id };
  });
  afterAll(() => t.close());

  const reads = (): [string, string][] => [
    ['GET', `/api/v1/organizations/${ids.org}`],
    ['GET', `/api/v1/products/${ids.product}`],
    ['GET', `/api/v1/sites/${ids.site}`],
    ['GET', `/api/v1/batches/${ids.batch}`],
    ['GET', `/api/v1/batches/${ids.batch}/qr.svg`],
    ['GET', `/api/v1/batches/${ids.batch}/qr.png`],
    ['GET', `/api/v1/batches/${ids.batch}/print-runs`],
    ['GET', `/api/v1/print-runs/${ids.run}`],
    ['GET', `/api/v1/print-runs/${ids.run}/labels.pdf`],
    ['GET', `/api/v1/print-runs/${ids.run}/labels.zpl?layout=roll-60x40`],
    ['GET', `/api/v1/print-runs/${ids.run}/labels.tspl?layout=roll-60x40`],
  ];

  it('the owner can read every route', async () => {
    for (const [, path] of reads()) {
      const res = await t.http().get(path).set(auth(owner.token));
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });

  it('another organisation gets 404 on every read route', async () => {
    for (const [, path] of reads()) {
      const res = await t.http().get(path).set(auth(stranger.token));
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body.code).toBe('NOT_FOUND');
    }
  });

  it('another organisation gets 404 on every write route, and nothing changes', async () => {
    const writes: [string, Record<string, unknown>][] = [
      [`/api/v1/batches/${ids.batch}/print-runs`, { count: 1 }],
      [`/api/v1/batches/${ids.batch}/status`, { status: 'closed' }],
      [`/api/v1/organizations/${ids.org}/api-keys`, { role: 'operator' }],
    ];
    for (const [path, body] of writes) {
      const res = await t.http().post(path).set(auth(stranger.token)).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const batch = await t.http().get(`/api/v1/batches/${ids.batch}`).set(auth(owner.token)).expect(200);
    expect(batch.body).toMatchObject({ status: 'active', itemsIssued: 3 });
  });

  it('cannot build a batch from another organisation\'s product or site', async () => {
    const mySite = await createSite(t, stranger.token, { regionCode: '511823' });
    const myProduct = await createProduct(t, stranger.token);
    const base = { quantity: { value: '1', unit: 'kg' }, producedOn: '2026-10-01' };
    const a = await t.http().post('/api/v1/batches').set(auth(stranger.token)).send({ ...base, productId: ids.product, siteId: mySite.id }).expect(404);
    expect(a.body.details).toMatchObject({ field: 'productId' });
    const b = await t.http().post('/api/v1/batches').set(auth(stranger.token)).send({ ...base, productId: myProduct.id, siteId: ids.site }).expect(404);
    expect(b.body.details).toMatchObject({ field: 'siteId' });
  });

  it('lists never include another organisation\'s records', async () => {
    for (const path of ['/api/v1/products', '/api/v1/sites', '/api/v1/batches', '/api/v1/organizations']) {
      const res = await t.http().get(path).query({ limit: 200 }).set(auth(stranger.token)).expect(200);
      expect(JSON.stringify(res.body)).not.toContain(ids.org);
    }
  });

  it('a regulator reads everything inside its region (read-only) and nothing outside it', async () => {
    const chengdu = await createRegulator(t, '510100');
    const yaan = await createRegulator(t, '511800');
    await t.http().get(`/api/v1/batches/${ids.batch}`).set(auth(chengdu.token)).expect(200);
    await t.http().get(`/api/v1/products/${ids.product}`).set(auth(chengdu.token)).expect(200);
    await t.http().get(`/api/v1/sites/${ids.site}`).set(auth(chengdu.token)).expect(200);
    await t.http().get(`/api/v1/organizations/${ids.org}`).set(auth(chengdu.token)).expect(200);
    const list = await t.http().get('/api/v1/batches').query({ limit: 200 }).set(auth(chengdu.token)).expect(200);
    expect(list.body.items.every((b: { regionCode: string }) => b.regionCode.startsWith('5101'))).toBe(true);
    await t.http().get(`/api/v1/batches/${ids.batch}`).set(auth(yaan.token)).expect(404);
    await t.http().get(`/api/v1/print-runs/${ids.run}`).set(auth(chengdu.token)).expect(404);
    // read-only: a regulator creates no products and prints no labels
    await t.http().post('/api/v1/products').set(auth(chengdu.token)).send({ name: 'x', category: '水果' }).expect(403);
    await t.http().post(`/api/v1/batches/${ids.batch}/print-runs`).set(auth(chengdu.token)).send({ count: 1 }).expect(403);
  });

  it('ids that are not UUIDs are simply not found', async () => {
    for (const path of ['/api/v1/batches/1', '/api/v1/products/../../etc', '/api/v1/sites/x\' OR 1=1']) {
      const res = await t.http().get(path).set(auth(ADMIN_TOKEN));
      expect(res.status).toBe(404);
    }
    // NUL is refused wherever it appears, before any lookup (issue 13): a 400 naming the parameter.
    const nul = await t.http().get('/api/v1/print-runs/%00').set(auth(ADMIN_TOKEN)).expect(400);
    expect(nul.body.details.fields[0]).toMatchObject({ field: 'id', rule: 'no_nul' });
  });
});
