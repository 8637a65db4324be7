import { DataSource } from 'typeorm';
import { completeGln } from './support/gln';
import { ADMIN_TOKEN } from './support/test-app';
import { auth, createBatch, createOrg, createProduct, createSite, uniqueGtin13, uniqueUscc } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

/** Issue 15, item 4 (GLN part): optional, validated GLNs on organisations and sites, used in EPCIS. */
describe('GLNs on organisations and sites, in EPCIS', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('validates GLNs (13 digits, check digit) and keeps each unique', async () => {
    const gln = completeGln('690123400010');
    const org = await createOrg(t, { name: '蒲江县GLN合作社', gln });
    expect((await t.http().get(`/api/v1/organizations/${org.id}`).set(auth(ADMIN_TOKEN)).expect(200)).body.gln).toBe(gln);
    const bad = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN))
      .send({ name: '校验位错误合作社', kind: 'cooperative', regionCode: '510131', gln: `${gln.slice(0, 12)}${(Number(gln[12]) + 1) % 10}` }).expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_GLN', details: { field: 'gln', rule: 'check_digit' } });
    const twice = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN)).send({ name: '重复GLN合作社', kind: 'cooperative', regionCode: '510131', uscc: uniqueUscc(), gln }).expect(409);
    expect(twice.body.details).toMatchObject({ field: 'gln', rule: 'unique' });
    const siteGln = completeGln('690123400011');
    const site = await createSite(t, org.token, { name: '有GLN的基地', regionCode: '510131', gln: siteGln });
    expect(site).toMatchObject({ gln: siteGln });
    await t.http().post('/api/v1/sites').set(auth(org.token)).send({ name: '重复', regionCode: '510131', gln: siteGln }).expect(409);
    await t.http().post('/api/v1/sites').set(auth(org.token)).send({ name: '太短', regionCode: '510131', gln: '123' }).expect(400);
  });

  it('names parties and places by their GLN Digital Links in EPCIS when they have one, else by our URIs', async () => {
    const farmGln = completeGln('690123400020');
    const siteGln = completeGln('690123400021');
    const farm = await createOrg(t, { name: '蒲江县有GLN猕猴桃合作社', gln: farmGln });
    const market = await createOrg(t, { name: '无GLN批发市场', kind: 'market', regionCode: '510117' });
    const product = await createProduct(t, farm.token, { name: '蒲江猕猴桃', gtin: uniqueGtin13() });
    const site = await createSite(t, farm.token, { name: '西来镇GLN基地', regionCode: '510131', gln: siteGln });
    const lot = await createBatch(t, farm.token, { productId: product.id, siteId: site.id, quantity: { value: '100', unit: 'kg' } });
    const shipped = await t.http().post('/api/v1/shipments').set(auth(farm.token))
      .send({ batchId: lot.id, toOrganizationId: market.id, quantity: { value: '10', unit: 'kg' } }).expect(201);
    const [row] = await db.query('SELECT document FROM epcis_events WHERE event_id = $1', [shipped.body.eventID]);
    expect(row.document.readPoint).toEqual({ id: `https://id.gs1.org/414/${siteGln}` });
    expect(row.document.sourceList).toEqual([{ type: 'owning_party', source: `https://id.gs1.org/417/${farmGln}` }]);
    expect(row.document.destinationList).toEqual([{ type: 'owning_party', destination: `${t.config.publicBaseUrl}/party/${market.id}` }]);
  });
});
