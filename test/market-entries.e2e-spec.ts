import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { idNumberCheckCharacter } from '../libs/codes/id-number';
import { auth, createBatch, createOrg, createRegulator, OrgWithKey, uniqueUscc } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

const QC = { basis: ['quality_control'], evidence: { qualityControl: '按《猕猴桃标准化生产技术规程》生产' } };
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const CABBAGE = '蔬菜>芸薹属类蔬菜>大白菜';

/**
 * 入场查验 at a market gate (DOMAIN.md §10): seller files with protected ID numbers and retention,
 * entries checked through certificate collection and its quantity ledger, refusals reported to the
 * market's regulator and the origin's, a failed rapid test opening a confirmatory sample.
 */
describe('markets: sellers and gate entries', () => {
  let t: TestApp;
  let db: DataSource;
  let producer: OrgWithKey;
  let market: OrgWithKey;
  let marketRegulator: OrgWithKey;
  let originRegulator: OrgWithKey;
  let seller: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    producer = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', regionCode: '510131' });
    market = await createOrg(t, { name: '成都蒙阳农产品批发市场', kind: 'market', uscc: uniqueUscc('91', '510104'), regionCode: '510104' });
    marketRegulator = await createRegulator(t, '510104');
    originRegulator = await createRegulator(t, '510131');
    await createOrg(t, { name: '成都市农产品质量安全检测中心', kind: 'lab', uscc: uniqueUscc('12', '510100'), regionCode: '510100' }, 'lab');
    seller = (await post('/api/v1/market-sellers', { name: '蒲江县绿源猕猴桃专业合作社（直销）', kind: 'business', uscc: uniqueUscc('93', '510131'),
      products: ['猕猴桃'], supplyChannels: ['自产'], origins: ['四川省成都市蒲江县'], originRegionCode: '510131', vehiclePlates: ['川A·12345'] }).expect(201)).body;
  });
  afterAll(() => t.close());

  function post(path: string, body: unknown, token = market.token, key?: string) {
    const req = t.http().post(path).set(auth(token));
    if (key) void req.set('Idempotency-Key', key);
    return req.send(body as object);
  }
  const certificate = async (quantity = { value: '50', unit: 'kg' }) => {
    const batch = await createBatch(t, producer.token);
    const res = await post('/api/v1/certificates', { batchId: batch.id, ...QC, quantity }, producer.token).expect(201);
    return { ...(res.body as { id: string; number: string; verifyUrl: string }), batch };
  };
  const entry = (items: Record<string, unknown>[], extra: Record<string, unknown> = {}, key?: string) =>
    post('/api/v1/market-entries', { sellerId: seller.id, vehiclePlate: '川A12345', items, ...extra }, market.token, key);
  const notified = async (subjectId: string) => (await db.query('SELECT organization_id FROM notifications WHERE subject_id = $1', [subjectId]) as { organization_id: string }[])
    .map((r) => r.organization_id);

  describe('seller files', () => {
    it('keeps an individual seller\'s ID number only as a keyed hash and a masked form; refuses a duplicate', async () => {
      const body17 = '51013119800101123';
      const idNumber = body17 + idNumberCheckCharacter(body17);
      const res = await post('/api/v1/market-sellers', { name: '王五', kind: 'individual', idNumber, contact: { phone: '13800000000' } }).expect(201);
      expect(res.body).toMatchObject({ kind: 'individual', uscc: null, idNumberMasked: '510131********123' + idNumber.slice(-1) });
      expect(JSON.stringify(res.body)).not.toContain(idNumber);
      const [row] = await db.query('SELECT * FROM market_sellers WHERE id = $1', [res.body.id]);
      expect(JSON.stringify(row)).not.toContain(idNumber);
      expect(row.id_number_hmac).toMatch(/^[0-9a-f]{64}$/);
      await post('/api/v1/market-sellers', { name: '王五', kind: 'individual', idNumber }).expect(409).expect((r) => expect(r.body.code).toBe('SELLER_DUPLICATE'));
      await post('/api/v1/market-sellers', { name: '王五', kind: 'individual', idNumber: `${body17}0`.replace(/0$/, idNumberCheckCharacter(body17) === '0' ? '1' : '0') }).expect(400)
        .expect((r) => expect(r.body).toMatchObject({ code: 'INVALID_ID_NUMBER', details: { field: 'idNumber' } }));
      await post('/api/v1/market-sellers', { name: '某公司', kind: 'business', uscc: '91510114730209375A' }).expect(400)
        .expect((r) => expect(r.body.code).toBe('INVALID_USCC'));
    });

    it('is for markets only, and other markets never see it', async () => {
      await post('/api/v1/market-sellers', { name: '张三', kind: 'business', uscc: uniqueUscc('92', '510104') }, producer.token).expect(403)
        .expect((r) => expect(r.body.code).toBe('MARKET_REQUIRED'));
      const other = await createOrg(t, { name: '另一市场', kind: 'market', uscc: uniqueUscc('91', '510104'), regionCode: '510104' });
      await t.http().get(`/api/v1/market-sellers/${seller.id}`).set(auth(other.token)).expect(404);
      const regulatorView = await t.http().get(`/api/v1/market-sellers/${seller.id}`).set(auth(marketRegulator.token)).expect(200);
      expect(regulatorView.body.vehiclePlates).toEqual(['川A12345']);
      const byPlate = await t.http().get('/api/v1/market-sellers?q=川a 12345').set(auth(market.token)).expect(200);
      expect(byPlate.body.items.map((s: { id: string }) => s.id)).toEqual([seller.id]);
      await post('/api/v1/market-entries', { sellerId: seller.id, items: [{ otherProof: { kind: 'purchase_voucher', reference: 'PZ-001' }, category: KIWI, quantity: { value: '1', unit: 'kg' } }] }, other.token).expect(404);
    });

    it('refuses deleting a file before the retention period after the seller stopped', async () => {
      const s = (await post('/api/v1/market-sellers', { name: '赵六', kind: 'business', uscc: uniqueUscc('92', '510104') }).expect(201)).body;
      await t.http().delete(`/api/v1/market-sellers/${s.id}`).set(auth(market.token)).expect(409).expect((r) => expect(r.body.code).toBe('SELLER_ACTIVE'));
      const stopped = await post(`/api/v1/market-sellers/${s.id}/stop`, { stoppedOn: '2026-11-30' }).expect(200);
      expect(stopped.body).toMatchObject({ status: 'stopped', stoppedOn: '2026-11-30', retainUntil: '2027-05-30' });
      await t.http().delete(`/api/v1/market-sellers/${s.id}`).set(auth(market.token)).expect(409)
        .expect((r) => expect(r.body).toMatchObject({ code: 'RETENTION_PERIOD', details: { retainUntil: '2027-05-30' } }));
      await post('/api/v1/market-entries', { sellerId: s.id, items: [{ otherProof: { kind: 'purchase_voucher', reference: 'PZ-002' }, category: KIWI, quantity: { value: '1', unit: 'kg' } }] })
        .expect(422).expect((r) => expect(r.body.code).toBe('SELLER_STOPPED'));
      await db.query(`UPDATE market_sellers SET retain_until = '2020-01-01' WHERE id = $1`, [s.id]);
      await t.http().delete(`/api/v1/market-sellers/${s.id}`).set(auth(market.token)).expect(204);
    });
  });

  describe('entries', () => {
    it('admits lots on a certificate QR, a trace code and another proof; draws the certificates\' ledgers', async () => {
      const byQr = await certificate({ value: '50', unit: 'kg' });
      const byCode = await certificate({ value: '80', unit: 'kg' });
      const res = await entry([
        { certificate: byQr.verifyUrl, category: KIWI, quantity: { value: '30', unit: 'kg' }, rapidTest: { analyte: '有机磷和氨基甲酸酯类农药', result: 'pass' } },
        { traceCode: byCode.batch.traceUrl, category: KIWI, quantity: { value: '100', unit: '斤' } },
        { otherProof: { kind: 'quarantine_certificate', reference: 'JY-2026-0001', issuer: '蒲江县动物卫生监督所' }, category: CABBAGE, quantity: { value: '20', unit: 'kg' } },
      ]).expect(201);
      expect(res.body).toMatchObject({ status: 'accepted', verified: false, itemCount: 3, refusedCount: 0, vehiclePlate: '川A12345' });
      expect(res.body.items.map((i: { proof: string; outcome: string }) => [i.proof, i.outcome])).toEqual([
        ['certificate', 'accepted'], ['trace_code', 'accepted'], ['other_proof', 'accepted']]);
      expect(res.body.items[1]).toMatchObject({ certificate: { id: byCode.id, number: byCode.number }, batchId: byCode.batch.id, originRegionCode: '510131' });
      const ledger = await db.query('SELECT certificate_id, collected_base_milli FROM certificate_ledger WHERE certificate_id = ANY($1) ORDER BY collected_base_milli', [[byQr.id, byCode.id]]);
      expect(ledger).toEqual([{ certificate_id: byQr.id, collected_base_milli: '30000000' }, { certificate_id: byCode.id, collected_base_milli: '50000000' }]);
      const collections = await db.query(`SELECT source, outcome FROM certificate_collections WHERE id = ANY($1)`, [res.body.items.slice(0, 2).map((i: { collectionId: string }) => i.collectionId)]);
      expect(collections).toEqual([{ source: 'market_entry', outcome: 'accepted' }, { source: 'market_entry', outcome: 'accepted' }]);
      // Only certificates and trace codes make an entry "verified".
      const verified = await entry([{ certificate: byQr.number, certificateQuantity: { value: '100', unit: '斤' }, category: '水果', quantity: { value: '20', unit: 'kg' } }]).expect(201);
      expect(verified.body).toMatchObject({ status: 'accepted', verified: true });
    });

    it('refuses an exhausted certificate, records the entry and reports it to the market\'s and the origin\'s regulators', async () => {
      const cert = await certificate({ value: '10', unit: 'kg' });
      await entry([{ certificate: cert.verifyUrl, category: KIWI, quantity: { value: '8', unit: 'kg' } }]).expect(201);
      const refused = await entry([
        { certificate: cert.verifyUrl, category: KIWI, quantity: { value: '5', unit: 'kg' } },
        { otherProof: { kind: 'purchase_voucher', reference: 'PZ-003' }, category: CABBAGE, quantity: { value: '5', unit: 'kg' } },
      ]).expect(422);
      expect(refused.body).toMatchObject({
        code: 'CERTIFICATE_QUANTITY_EXHAUSTED',
        details: { field: 'items[0]', entryId: expect.any(String), status: 'partially_refused', items: [{ outcome: 'refused', code: 'CERTIFICATE_QUANTITY_EXHAUSTED' }, { outcome: 'accepted' }] },
      });
      const stored = await t.http().get(`/api/v1/market-entries/${refused.body.details.entryId}`).set(auth(market.token)).expect(200);
      expect(stored.body).toMatchObject({ status: 'partially_refused', refusedCount: 1 });
      const collectionId = stored.body.items[0].collectionId as string;
      expect(await notified(collectionId)).toEqual(expect.arrayContaining([marketRegulator.id, originRegulator.id]));
      const doc = (await t.http().get('/docs-json').expect(200)).body;
      expect(JSON.stringify(doc.paths['/api/v1/market-entries'].post)).toContain('CERTIFICATE_QUANTITY_EXHAUSTED');
    });

    it('refuses voided, unknown, mismatching and held lots, each reported', async () => {
      const voided = await certificate();
      await post(`/api/v1/certificates/${voided.id}/void`, { reason: '数量有误' }, producer.token).expect(200);
      const other = await certificate();
      const held = await certificate();
      await post(`/api/v1/batches/${held.batch.id}/status`, { status: 'on_hold', reason: '抽检' }, producer.token).expect(201);
      const res = await entry([
        { certificate: voided.verifyUrl, category: KIWI, quantity: { value: '1', unit: 'kg' } },
        { traceCode: '742B4XNBN9ZD3', category: KIWI, quantity: { value: '1', unit: 'kg' } },
        { certificate: other.verifyUrl, category: CABBAGE, quantity: { value: '1', unit: 'kg' } },
        { traceCode: held.batch.traceCode, category: KIWI, quantity: { value: '1', unit: 'kg' } },
      ]).expect(422);
      expect(res.body.code).toBe('CERTIFICATE_VOIDED');
      expect(res.body.details.items.map((i: { code: string }) => i.code)).toEqual([
        'CERTIFICATE_VOIDED', 'TRACE_CODE_UNKNOWN', 'CERTIFICATE_PRODUCT_MISMATCH', 'BATCH_NOT_SELLABLE']);
      const stored = (await t.http().get(`/api/v1/market-entries/${res.body.details.entryId}`).set(auth(market.token)).expect(200)).body;
      expect(stored.status).toBe('refused');
      expect(await notified(stored.items[3].id)).toEqual(expect.arrayContaining([marketRegulator.id, originRegulator.id]));
      expect(await notified(stored.items[0].collectionId)).toEqual(expect.arrayContaining([marketRegulator.id, originRegulator.id]));
      // The held lot's disposal is recorded once, for the 公示.
      await post(`/api/v1/market-entries/${stored.id}/items/${stored.items[3].id}/disposal`, { method: '退货', note: '退回产地' }).expect(200)
        .expect((r) => expect(r.body.items[3].disposal).toMatchObject({ method: '退货' }));
      await post(`/api/v1/market-entries/${stored.id}/items/${stored.items[3].id}/disposal`, { method: '销毁' }).expect(409);
    });

    it('keeps a lot with a failed rapid test out and opens a confirmatory sample of its batch', async () => {
      const cert = await certificate({ value: '50', unit: 'kg' });
      const res = await entry([{ certificate: cert.verifyUrl, category: KIWI, quantity: { value: '20', unit: 'kg' }, rapidTest: { analyte: '毒死蜱', result: 'fail', method: '酶抑制率法' } }]).expect(422);
      expect(res.body).toMatchObject({ code: 'RAPID_TEST_FAILED', details: { items: [{ outcome: 'refused', sampleId: expect.any(String) }] } });
      const [sample] = await db.query('SELECT batch_id, stream, status, issuer_organization_id, analytes FROM samples WHERE id = $1', [res.body.details.items[0].sampleId]);
      expect(sample).toMatchObject({ batch_id: cert.batch.id, stream: 'supervisory_sampling', status: 'planned', issuer_organization_id: marketRegulator.id });
      // Nothing drawn from the certificate: the lot never entered.
      expect(await db.query('SELECT 1 FROM certificate_ledger WHERE certificate_id = $1', [cert.id])).toEqual([]);
      expect(await notified(res.body.details.items[0].id)).toEqual(expect.arrayContaining([marketRegulator.id, originRegulator.id]));
    });

    it('answers a retry with the same key with the first answer and records one entry', async () => {
      const cert = await certificate({ value: '10', unit: 'kg' });
      const body = [{ certificate: cert.verifyUrl, category: KIWI, quantity: { value: '6', unit: 'kg' } }];
      const first = await entry(body, {}, 'gate-retry-1').expect(201);
      const again = await entry(body, {}, 'gate-retry-1').expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM market_entry_items WHERE certificate_id = $1', [cert.id]);
      expect(n).toBe(1);
      // A refused entry replays its refusal too.
      const over = await entry(body, {}, 'gate-retry-2').expect(422);
      const overAgain = await entry(body, {}, 'gate-retry-2').expect(422);
      expect(overAgain.body.details.entryId).toBe(over.body.details.entryId);
    });

    it('admits exactly what a certificate certifies through 20 concurrent gate entries', async () => {
      const cert = await certificate({ value: '50', unit: 'kg' });
      const results = await Promise.all(Array.from({ length: 20 }, () => entry([{ certificate: cert.verifyUrl, category: KIWI, quantity: { value: '10', unit: 'kg' } }])));
      expect(results.filter((r) => r.status === 201)).toHaveLength(5);
      expect(results.filter((r) => r.status === 422).map((r) => r.body.code)).toEqual(Array(15).fill('CERTIFICATE_QUANTITY_EXHAUSTED'));
    });

    it('validates input naming the field and writes nothing', async () => {
      const before = await db.query('SELECT count(*)::int AS n FROM market_entries');
      await entry([{ category: KIWI, quantity: { value: '1', unit: 'kg' } }]).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'PROOF_REQUIRED', details: { field: 'items[0]' } }));
      await entry([{ otherProof: { kind: 'purchase_voucher', reference: 'PZ' }, category: '不存在', quantity: { value: '1', unit: 'kg' } }]).expect(400)
        .expect((r) => expect(r.body).toMatchObject({ code: 'UNKNOWN_CATEGORY', details: { field: 'items[0].category' } }));
      await entry([{ otherProof: { kind: 'purchase_voucher', reference: 'PZ' }, category: KIWI, quantity: { value: '1', unit: 'kg' } }], { vehiclePlate: 'XYZ' }).expect(400)
        .expect((r) => expect(r.body.details.field).toBe('vehiclePlate'));
      expect(await db.query('SELECT count(*)::int AS n FROM market_entries')).toEqual(before);
    });

    it('lists entries a page at a time, for the market and its regulator', async () => {
      const page = await t.http().get('/api/v1/market-entries?limit=2').set(auth(market.token)).expect(200);
      expect(page.body.items).toHaveLength(2);
      const next = await t.http().get(`/api/v1/market-entries?limit=2&cursor=${page.body.nextCursor}`).set(auth(market.token)).expect(200);
      expect(next.body.items[0].id).not.toBe(page.body.items[1].id);
      const refused = await t.http().get('/api/v1/market-entries?status=refused').set(auth(marketRegulator.token)).expect(200);
      expect(refused.body.items.length).toBeGreaterThan(0);
      const far = await createRegulator(t, '510700');
      expect((await t.http().get('/api/v1/market-entries').set(auth(far.token)).expect(200)).body.items).toEqual([]);
    });
  });
  /**
   * A gate check's cost is its round trips to PostgreSQL (on a loaded machine each one waits for a
   * core): a scanned certificate QR takes 11 — begin; seller and stall; certificate; ledger lock,
   * draw; the 查验 record; the entry; its lots; the audit entries (pending, one insert); commit; the
   * seal that chains them right after the commit (see audit-log.ts). The
   * market, the category and the reads back after writes cost none. Counted on the request's own
   * connections (the job relays polling in the background are left out).
   */
  it('checks a scanned certificate in 11 round trips to the database', async () => {
    const cert = await certificate({ value: '100', unit: 'kg' });
    await entry([{ certificate: cert.verifyUrl, category: KIWI, quantity: { value: '1', unit: 'kg' } }]).expect(201);
    const byRunner = new Map<object, string[]>();
    const query = PostgresQueryRunner.prototype.query;
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, ...args: Parameters<typeof query>) {
      byRunner.set(this, [...(byRunner.get(this) ?? []), args[0]]);
      return query.apply(this, args);
    } as typeof query;
    try {
      await entry([{ certificate: cert.verifyUrl, category: KIWI, quantity: { value: '2', unit: 'kg' } }]).expect(201);
    } finally {
      PostgresQueryRunner.prototype.query = query;
    }
    const background = /\boutbox\b|indicator_deltas|indicator-fold|job_recover/;
    const own = [...byRunner.values()].filter((sqls) => !sqls.some((sql) => background.test(sql))).flat();
    expect(own).toHaveLength(11);
  });
});
