import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createProduct, createRegulator, OrgWithKey, uniqueUscc } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

const QC = { basis: ['quality_control'], evidence: { qualityControl: '按《猕猴桃标准化生产技术规程》生产' } };

/**
 * The quantity ledger of a certificate: collections of one certificate never add up to more than
 * it certifies (DOMAIN.md §10), even when they arrive at once.
 */
describe('certificate quantity ledger (查验)', () => {
  let t: TestApp;
  let db: DataSource;
  let producer: OrgWithKey;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    producer = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', regionCode: '510131' });
  });
  afterAll(() => t.close());

  const certificate = async (quantity = { value: '50', unit: 'kg' }) => {
    const batch = await createBatch(t, producer.token);
    const res = await t.http().post('/api/v1/certificates').set(auth(producer.token)).send({ batchId: batch.id, ...QC, quantity }).expect(201);
    return res.body as { id: string; number: string; verifyUrl: string };
  };
  const purchaser = async () => {
    const org = await createOrg(t, { name: '成都蒙阳农产品批发市场经营户', kind: 'purchaser', uscc: uniqueUscc('92', '510104'), regionCode: '510104' });
    const product = await createProduct(t, org.token, { name: '猕猴桃（统货）' });
    const collect = (body: Record<string, unknown>) => t.http().post('/api/v1/certificate-collections').set(auth(org.token)).send({ productId: product.id, ...body });
    return { org, collect };
  };

  it('accepts collections up to the certified quantity, in any unit, and refuses the rest as exhausted', async () => {
    const cert = await certificate();
    const { collect } = await purchaser();
    await collect({ certificate: cert.verifyUrl, quantity: { value: '30', unit: 'kg' } }).expect(201);
    // 40 斤 = 20 kg: exactly what is left.
    await collect({ certificate: cert.verifyUrl, quantity: { value: '40', unit: '斤' } }).expect(201);
    const over = await collect({ certificate: cert.verifyUrl, quantity: { value: '1', unit: 'g' } }).expect(422);
    expect(over.body).toMatchObject({
      code: 'CERTIFICATE_QUANTITY_EXHAUSTED',
      details: { field: 'certificate', rule: 'within_certified_quantity', remaining: { value: '0', unit: 'kg' }, collectionId: expect.any(String) },
    });
    const [row] = await db.query('SELECT outcome, certificate_id FROM certificate_collections WHERE id = $1', [over.body.details.collectionId]);
    expect(row).toEqual({ outcome: 'exhausted', certificate_id: cert.id });
    // The audit log links the draws: the second one's before-state is the first one's after-state
    // (a draw's after-state comes from its RETURNING *, the next one's before-state from a locked read).
    const audited = await db.query(`SELECT before_digest, after_digest FROM audit_log WHERE subject_type = 'certificate_ledger' AND subject_id = $1 ORDER BY seq`,
      [cert.id]) as { before_digest: string | null; after_digest: string }[];
    expect(audited).toHaveLength(2);
    expect(audited[0].before_digest).toBeNull();
    expect(audited[1].before_digest).toBe(audited[0].after_digest);
    expect(audited[1].after_digest).not.toBe(audited[0].after_digest);
    // Without a quantity nothing is drawn (the route's contract before the ledger).
    await collect({ certificate: cert.verifyUrl }).expect(201);
    // A count cannot be drawn from a weight.
    await collect({ certificate: cert.verifyUrl, quantity: { value: '3', unit: '箱' } }).expect(422)
      .expect((r) => expect(r.body).toMatchObject({ code: expect.stringMatching(/QUANTITY_UNIT_MISMATCH|INVALID_QUANTITY/) }));
  });

  it('lets exactly what the certificate certifies through 20 concurrent collections', async () => {
    const cert = await certificate({ value: '50', unit: 'kg' });
    const buyers = await Promise.all([purchaser(), purchaser()]);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      buyers[i % 2].collect({ certificate: cert.verifyUrl, quantity: { value: '7.5', unit: 'kg' } })));
    const statuses = results.map((r) => r.status).sort();
    // 6 × 7.5 kg = 45 kg fits; a seventh would make 52.5 kg.
    expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    expect(statuses.filter((s) => s === 422)).toHaveLength(14);
    for (const r of results.filter((x) => x.status === 422)) expect(r.body.code).toBe('CERTIFICATE_QUANTITY_EXHAUSTED');
    const [ledger] = await db.query('SELECT collected_base_milli, collections FROM certificate_ledger WHERE certificate_id = $1', [cert.id]);
    expect(ledger).toEqual({ collected_base_milli: '45000000', collections: 6 });
    const [{ sum }] = await db.query(`SELECT sum(quantity_value)::text AS sum FROM certificate_collections WHERE certificate_id = $1 AND outcome = 'accepted'`, [cert.id]);
    expect(Number(sum)).toBe(45);
    // 5 kg are left: exactly that still goes through.
    await buyers[0].collect({ certificate: cert.verifyUrl, quantity: { value: '5', unit: 'kg' } }).expect(201);
  });

  it('reports an exhausted certificate to the regulators of the buyer and of the origin', async () => {
    const local = await createRegulator(t, '510104');
    const origin = await createRegulator(t, '510131');
    const cert = await certificate({ value: '10', unit: 'kg' });
    const { collect } = await purchaser();
    await collect({ certificate: cert.verifyUrl, quantity: { value: '10', unit: 'kg' } }).expect(201);
    const refused = await collect({ certificate: cert.verifyUrl, quantity: { value: '10', unit: 'kg' } }).expect(422);
    const rows = await db.query('SELECT organization_id, kind FROM notifications WHERE subject_id = $1 AND organization_id = ANY($2)',
      [refused.body.details.collectionId, [local.id, origin.id]]) as { organization_id: string; kind: string }[];
    expect(rows).toEqual(expect.arrayContaining([
      { organization_id: local.id, kind: 'collection.exhausted' }, { organization_id: origin.id, kind: 'collection.exhausted' },
    ]));
  });

  it('lists the code on the route in the OpenAPI document', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    expect(JSON.stringify(doc.paths['/api/v1/certificate-collections'].post)).toContain('CERTIFICATE_QUANTITY_EXHAUSTED');
  });
});
