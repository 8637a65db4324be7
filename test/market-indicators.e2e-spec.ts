import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const QC = { basis: ['quality_control'], evidence: { qualityControl: '按规程生产' } };
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

/** market_entry_verified_rate, market_entry_refusals (per origin county) and listing_certified_rate on GET /api/v1/indicators. */
describe('market and listing indicators', () => {
  let t: TestApp;
  let market: OrgWithKey;
  let province: OrgWithKey;
  let pujiang: OrgWithKey;
  let hanyuan: OrgWithKey;
  const get = (token: string, query: Record<string, string>) => t.http().get('/api/v1/indicators').query(query).set(auth(token)).expect(200);
  const certificate = async (org: OrgWithKey, regionCode: string) => {
    const site = await createSite(t, org.token, { regionCode });
    const batch = await createBatch(t, org.token, { siteId: site.id });
    return { batch, cert: (await t.http().post('/api/v1/certificates').set(auth(org.token)).send({ batchId: batch.id, ...QC, quantity: { value: '100', unit: 'kg' } }).expect(201)).body };
  };

  beforeAll(async () => {
    t = await createTestApp();
    province = await createRegulator(t, '510000');
    pujiang = await createOrg(t, { name: '蒲江合作社', regionCode: '510131' });
    hanyuan = await createOrg(t, { name: '汉源合作社', regionCode: '511823', uscc: uniqueUscc('93', '511823') });
    market = await createOrg(t, { name: '成都蒙阳农产品批发市场', kind: 'market', uscc: uniqueUscc('91', '510104'), regionCode: '510104' });
    const seller = (await t.http().post('/api/v1/market-sellers').set(auth(market.token)).send({ name: '张三', kind: 'business', uscc: uniqueUscc('92', '510104'), originRegionCode: '510131' }).expect(201)).body;
    const enter = (items: Record<string, unknown>[]) => t.http().post('/api/v1/market-entries').set(auth(market.token)).send({ sellerId: seller.id, items });
    const a = await certificate(pujiang, '510131');
    const b = await certificate(hanyuan, '511823');
    await t.http().post(`/api/v1/certificates/${b.cert.id}/void`).set(auth(hanyuan.token)).send({ reason: '数量有误' }).expect(200);
    await enter([{ certificate: a.cert.verifyUrl, category: KIWI, quantity: { value: '10', unit: 'kg' } }]).expect(201);
    await enter([{ otherProof: { kind: 'purchase_voucher', reference: 'PZ-1' }, category: KIWI, quantity: { value: '10', unit: 'kg' } }]).expect(201);
    await enter([
      { certificate: b.cert.verifyUrl, category: KIWI, quantity: { value: '10', unit: 'kg' } },
      { certificate: a.cert.verifyUrl, category: KIWI, quantity: { value: '10', unit: 'kg' } },
    ]).expect(422);
  });
  afterAll(() => t.close());

  it('counts entries verified by a certificate or trace code, and refusals per origin county', async () => {
    const verified = await get(province.token, { indicator: 'market_entry_verified_rate' });
    // 3 entries: one on a certificate, one on a voucher only, one partly refused whose admitted lot had a certificate.
    expect(verified.body.rows).toEqual([expect.objectContaining({ indicator: 'market_entry_verified_rate', name: '入场查验凭证率', numerator: '2', denominator: '3' })]);
    const byOrigin = await get(province.token, { indicator: 'market_entry_refusals', groupBy: 'region' });
    const cities = byOrigin.body.rows.map((r: { region: { code: string }; numerator: string; denominator: string }) => [r.region.code, r.numerator, r.denominator]);
    // 成都 (蒲江: 3 lots incl. the voucher lot of a seller from 蒲江, none refused) and 雅安 (汉源: 1 lot, refused).
    expect(cities).toEqual([['510100', '0', '3'], ['511800', '1', '1']]);
    const counties = await get(province.token, { indicator: 'market_entry_refusals', region: '511800', groupBy: 'region' });
    expect(counties.body.rows).toEqual([expect.objectContaining({ region: expect.objectContaining({ code: '511823' }), numerator: '1', denominator: '1', rate: 1 })]);
    // The market sees its own figures.
    const own = await get(market.token, { indicator: 'market_entry_verified_rate' });
    expect(own.body.rows[0]).toMatchObject({ numerator: '2', denominator: '3' });
  });

  it('counts listings whose shipped batches all have a valid certificate', async () => {
    const kiwi = await createProduct(t, pujiang.token, { name: '红阳猕猴桃' });
    const site = await createSite(t, pujiang.token);
    const batches = await Promise.all([1, 2].map(() => createBatch(t, pujiang.token, { productId: kiwi.id, siteId: site.id })));
    const certs = await Promise.all(batches.map(async (b) => (await t.http().post('/api/v1/certificates').set(auth(pujiang.token)).send({ batchId: b.id, ...QC }).expect(201)).body));
    for (const [i, b] of batches.entries()) {
      await t.http().post('/api/v1/listings').set(auth(pujiang.token)).send({ platform: 'taobao', platformRef: `item-${i}`, productId: kiwi.id, batchIds: [b.id] }).expect(201);
    }
    expect((await get(pujiang.token, { indicator: 'listing_certified_rate' })).body.rows[0]).toMatchObject({ name: '网售商品合格证覆盖率', numerator: '2', denominator: '2' });
    await t.http().post(`/api/v1/certificates/${certs[0].id}/void`).set(auth(pujiang.token)).send({ reason: '重新开具' }).expect(200);
    await eventually(async () => {
      const row = (await get(pujiang.token, { indicator: 'listing_certified_rate' })).body.rows[0];
      return row.numerator === '1' ? row : undefined;
    });
  });
});
