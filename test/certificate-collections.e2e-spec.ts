import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

const QC = { basis: ['quality_control'], evidence: { qualityControl: '按《猕猴桃标准化生产技术规程》生产' } };

/**
 * 查验 of incoming certificates: numbers are sequential, so a typed number must come with a fact only
 * the holder of the paper has (the quantity printed on it), failed lookups are limited per
 * organisation, and refusals reach the regulators of the purchaser's region and of the origin.
 */
describe('certificate collections (查验): proof, limits and reports', () => {
  let t: TestApp;
  let db: DataSource;
  let producer: OrgWithKey;

  beforeAll(async () => {
    t = await createTestApp({ CERTIFICATE_LOOKUP_FAILURES_MAX: '3' });
    db = t.app.get(DataSource);
    producer = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', regionCode: '510131' });
  });
  afterAll(() => t.close());

  const certificate = async (issuer = producer, siteId?: string) => {
    const batch = await createBatch(t, issuer.token, siteId ? { siteId } : {});
    const res = await t.http().post('/api/v1/certificates').set(auth(issuer.token)).send({ batchId: batch.id, ...QC, quantity: { value: '50', unit: 'kg' } }).expect(201);
    return res.body as { id: string; number: string; verifyUrl: string };
  };
  const purchaser = async (regionCode = '510104') => {
    const org = await createOrg(t, { name: '成都蒙阳农产品批发市场经营户', kind: 'purchaser', uscc: uniqueUscc('92', regionCode), regionCode });
    const product = await createProduct(t, org.token, { name: '猕猴桃（统货）' });
    const collect = (body: Record<string, unknown>) => t.http().post('/api/v1/certificate-collections').set(auth(org.token)).send({ productId: product.id, ...body });
    return { org, product, collect };
  };
  /** An unused number of the same form (same region and day as a real one). */
  const unknownNumber = (number: string) => number.replace(/-\d+$/, '-99999');
  const withoutId = (body: { details: Record<string, unknown> }) => ({ ...body, details: { ...body.details, collectionId: undefined } });

  it('refuses a number alone, or with the wrong quantity, exactly as an unknown number', async () => {
    const cert = await certificate();
    const { collect } = await purchaser();

    const alone = await collect({ certificate: cert.number }).expect(400);
    const unknownAlone = await collect({ certificate: unknownNumber(cert.number) }).expect(400);
    expect(alone.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'certificateQuantity', rule: 'required_with_number' } });
    expect(alone.body).toEqual(unknownAlone.body);

    const wrong = await collect({ certificate: cert.number, certificateQuantity: { value: '60', unit: 'kg' } }).expect(404);
    const unknown = await collect({ certificate: unknownNumber(cert.number), certificateQuantity: { value: '50', unit: 'kg' } }).expect(404);
    expect(wrong.body.code).toBe('CERTIFICATE_NOT_FOUND');
    expect(withoutId(wrong.body)).toEqual(withoutId(unknown.body));
    // Nor does the record of the failed attempt reveal anything about the certificate.
    const [row] = await db.query('SELECT certificate_id, outcome, reason FROM certificate_collections WHERE id = $1', [wrong.body.details.collectionId]);
    expect(row).toEqual({ certificate_id: null, outcome: 'unknown', reason: '查无此合格证' });
  });

  it('collects by the QR token, or by the number with the quantity printed on the certificate', async () => {
    const cert = await certificate();
    const { collect } = await purchaser();
    await collect({ certificate: cert.verifyUrl }).expect(201).expect((r) => expect(r.body.outcome).toBe('accepted'));
    const typed = await collect({ certificate: cert.number.replaceAll('-', ' '), certificateQuantity: { value: '50', unit: 'kg' } }).expect(201);
    expect(typed.body).toMatchObject({ outcome: 'accepted', certificate: { number: cert.number } });
    // The same weight in another unit (100 斤 = 50 kg) is the same printed fact.
    await collect({ certificate: cert.number, certificateQuantity: { value: '100', unit: '斤' } }).expect(201);
  });

  it('limits failed lookups per organisation, even in a burst, without blocking QR scans or other organisations', async () => {
    const cert = await certificate();
    const { collect } = await purchaser();
    const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      collect({ certificate: unknownNumber(cert.number).replace(/99999$/, String(90000 + i)), certificateQuantity: { value: '50', unit: 'kg' } })));
    expect(attempts.filter((r) => r.status === 404)).toHaveLength(3);
    expect(attempts.filter((r) => r.status === 429)).toHaveLength(5);
    // Once limited, even the right number and quantity are refused: enumeration stops there.
    const limited = await collect({ certificate: cert.number, certificateQuantity: { value: '50', unit: 'kg' } }).expect(429);
    expect(limited.body).toMatchObject({ code: 'CERTIFICATE_LOOKUP_LIMITED', details: { field: 'certificate', retryAfterSeconds: expect.any(Number) } });
    await collect({ certificate: cert.verifyUrl }).expect(201);
    const other = await purchaser();
    await other.collect({ certificate: cert.number, certificateQuantity: { value: '50', unit: 'kg' } }).expect(201);
  });

  it("reports a refused certificate to the regulators of the purchaser's region and of the origin", async () => {
    // 汉源县 (511823), a county no other suite uses, so the origin regulator's list is ours alone.
    const hanyuan = await createOrg(t, { name: '汉源县花椒专业合作社', regionCode: '511823', uscc: uniqueUscc('93', '511823') });
    const site = await createSite(t, hanyuan.token, { name: '清溪镇基地', regionCode: '511823' });
    const local = await createRegulator(t, '510104');
    const origin = await createRegulator(t, '511823');
    const cert = await certificate(hanyuan, site.id);
    const { org: buyer, collect } = await purchaser('510104');
    const cabbage = await createProduct(t, buyer.token, { name: '大白菜', category: '蔬菜>芸薹属类蔬菜>大白菜' });
    const mismatch = await collect({ certificate: cert.verifyUrl, productId: cabbage.id }).expect(422);
    await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(hanyuan.token)).send({ reason: '数量有误' }).expect(200);
    const voided = await collect({ certificate: cert.verifyUrl }).expect(422);

    for (const refused of [mismatch, voided]) {
      const rows = await db.query('SELECT organization_id, region_code, kind FROM notifications WHERE subject_id = $1 AND organization_id = ANY($2)',
        [refused.body.details.collectionId, [local.id, origin.id]]) as { organization_id: string; region_code: string; kind: string }[];
      expect(rows).toEqual(expect.arrayContaining([
        { organization_id: local.id, region_code: '510104', kind: expect.stringMatching(/^collection\./) },
        { organization_id: origin.id, region_code: '511823', kind: expect.stringMatching(/^collection\./) },
      ]));
      expect(rows).toHaveLength(2);
    }
    // The origin's regulator can look the refusals up too.
    const listed = await t.http().get('/api/v1/certificate-collections?outcome=mismatch').set(auth(origin.token)).expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(mismatch.body.details.collectionId);
  });
});
