import type { Response } from 'superagent';
import { DataSource } from 'typeorm';
import { idNumberCheckCharacter } from '../libs/codes/id-number';
import { decodeQr, pdfText, rasterisePdf, requirePoppler } from '../libs/testing/raster';
import { PRODUCER_COMMITMENT_2026, PURCHASER_COMMITMENT_2026 } from '../src/modules/certificates/domain/templates';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueGtin13, uniqueUscc } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

const squash = (s: string) => s.replace(/\s+/g, '');

/** The QR on a one-page PDF. jsQR misses some module-to-pixel ratios, so a few resolutions are tried. */
function pdfQr(pdf: Buffer): string | null {
  for (const dpi of [200, 300, 150]) {
    const text = decodeQr(rasterisePdf(pdf, dpi)[0]);
    if (text) return text;
  }
  return null;
}
const QC = { basis: ['quality_control'], evidence: { qualityControl: '按《猕猴桃标准化生产技术规程》生产，落实农药安全间隔期' } };
const PASSING = [
  { analyte: '毒死蜱', detected: false, lod: '0.01', unit: 'mg/kg', verdict: 'pass' },
  { analyte: '吡虫啉', detected: true, value: '0.05', unit: 'mg/kg', verdict: 'pass' },
];

describe('承诺达标合格证 over HTTP', () => {
  let t: TestApp;
  let db: DataSource;
  let org: OrgWithKey;

  beforeAll(async () => {
    requirePoppler();
    t = await createTestApp();
    db = t.app.get(DataSource);
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', contact: { phone: '028-88551234' } });
  });
  afterAll(() => t.close());

  const issue = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.http().post('/api/v1/certificates').set(auth(token)).set(headers).send(body);
  const testRecord = async (batchId: string, body: Record<string, unknown>) =>
    (await t.http().post(`/api/v1/batches/${batchId}/test-records`).set(auth(org.token)).send(body).expect(201)).body as { id: string; verdict: string };

  it('issues a 2026 producer certificate with the exact commitment, a readable number and a public page', async () => {
    const batch = await createBatch(t, org.token);
    const res = await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '500', unit: 'kg' }, signedBy: '张三' }).expect(201);
    expect(res.body).toMatchObject({
      status: 'valid', templateVersion: '2026', style: 'producer', commitment: PRODUCER_COMMITMENT_2026, basis: ['quality_control'],
      quantity: { value: '500', unit: 'kg' }, issuer: { name: '蒲江县绿源猕猴桃专业合作社', contact: '028-88551234', signedBy: '张三' },
      origin: expect.stringContaining('四川省成都市蒲江县'),
    });
    expect(res.body.number).toMatch(/^510131-\d{8}-\d{5}$/);
    expect(res.body.verifyUrl).toMatch(/^https:\/\/trace\.example\.cn\/c\/[A-Za-z0-9_-]{22}$/);

    const path = new URL(res.body.verifyUrl).pathname;
    const html = await t.http().get(path).expect(200);
    expect(html.text).toContain('有效');
    expect(html.text).toContain(res.body.number);
    expect(html.text).toContain(PRODUCER_COMMITMENT_2026);
    const json = await t.http().get(path).set('Accept', 'application/json').expect(200);
    expect(json.body).toMatchObject({ number: res.body.number, status: 'valid', title: '承诺达标合格证', traceUrl: batch.traceUrl });
    const twin = await t.http().get(`/api/v1/certificates/verify/${path.slice(3)}`).expect(200);
    expect(twin.body).toEqual(json.body);

    // the batch's scan page (证码合一) lists the certificate
    const scan = await t.http().get(`/api/v1/scan/${batch.traceCode}`).expect(200);
    expect(scan.body.certificates).toEqual([expect.objectContaining({ number: res.body.number, status: 'valid', basis: ['质量安全控制符合要求'] })]);
  });

  it('offers the certificate in the GS1 Digital Link linkset (gs1:certificationInfo)', async () => {
    const gtin = uniqueGtin13();
    const product = await createProduct(t, org.token, { gtin });
    const batch = await createBatch(t, org.token, { productId: product.id });
    const link = `/01/0${gtin}/10/${batch.lotCode}`;
    const before = await t.http().get(`${link}?linkType=linkset`).expect(200);
    expect(before.body.linkset[0]['https://ref.gs1.org/voc/certificationInfo']).toBeUndefined();
    const cert = (await issue(org.token, { batchId: batch.id, ...QC }).expect(201)).body;
    const after = await t.http().get(`${link}?linkType=linkset`).expect(200);
    expect(after.body.linkset[0]['https://ref.gs1.org/voc/certificationInfo']).toEqual([expect.objectContaining({ href: cert.verifyUrl })]);
    const redirect = await t.http().get(`${link}?linkType=gs1:certificationInfo`).expect(307);
    expect(redirect.headers.location).toBe(cert.verifyUrl);
  });

  describe('basis and evidence', () => {
    it('refuses a test basis without evidence, naming the rule', async () => {
      const batch = await createBatch(t, org.token);
      const res = await issue(org.token, { batchId: batch.id, basis: ['self_test'] }).expect(422);
      expect(res.body).toMatchObject({ code: 'EVIDENCE_REQUIRED', details: { field: 'evidence.testRecordIds', rule: 'required_for_basis' } });
      await issue(org.token, { batchId: batch.id, basis: ['quality_control'] }).expect(422)
        .expect((r) => expect(r.body.details).toMatchObject({ field: 'evidence.qualityControl' }));
      await issue(org.token, { batchId: batch.id, basis: [] }).expect(422).expect((r) => expect(r.body.code).toBe('BASIS_REQUIRED'));
      await issue(org.token, { batchId: batch.id, basis: ['self_commitment'] }).expect(422).expect((r) => expect(r.body.code).toBe('BASIS_UNKNOWN'));
    });

    it('refuses a failing test and accepts a passing one that covers the substances used', async () => {
      const batch = await createBatch(t, org.token);
      const failing = await testRecord(batch.id, {
        stream: 'rapid_test', testedOn: '2026-11-20', results: [{ analyte: '有机磷类', detected: true, verdict: 'fail' }],
      });
      expect(failing.verdict).toBe('fail');
      await issue(org.token, { batchId: batch.id, basis: ['self_test'], evidence: { testRecordIds: [failing.id] } }).expect(422)
        .expect((r) => expect(r.body).toMatchObject({ code: 'TEST_RECORD_FAILED', details: { testRecordId: failing.id } }));

      const lab = await testRecord(batch.id, { stream: 'entrusted_test', testedOn: '2026-11-21', testerName: '四川省农产品质量安全检测中心', reportNo: 'SC-0042', results: PASSING });
      await issue(org.token, { batchId: batch.id, basis: ['self_test'], evidence: { testRecordIds: [lab.id] } }).expect(422)
        .expect((r) => expect(r.body.code).toBe('EVIDENCE_REQUIRED'));
      await issue(org.token, { batchId: batch.id, basis: ['entrusted_test'], evidence: { testRecordIds: [lab.id], inputsUsed: ['毒死蜱', '多菌灵'] } }).expect(422)
        .expect((r) => expect(r.body).toMatchObject({ code: 'TESTS_DO_NOT_COVER_INPUTS', details: { missing: ['多菌灵'] } }));
      const ok = await issue(org.token, { batchId: batch.id, basis: ['entrusted_test'], evidence: { testRecordIds: [lab.id], inputsUsed: ['吡虫啉'] } }).expect(201);
      expect(ok.body.evidence).toMatchObject({ testRecordIds: [lab.id], inputsUsed: ['吡虫啉'] });

      // test records of another organisation are unknown to the issuer
      const other = await createOrg(t);
      const otherBatch = await createBatch(t, other.token);
      const foreign = (await t.http().post(`/api/v1/batches/${otherBatch.id}/test-records`).set(auth(other.token))
        .send({ stream: 'self_test', testedOn: '2026-11-20', results: PASSING }).expect(201)).body;
      await issue(org.token, { batchId: batch.id, basis: ['self_test'], evidence: { testRecordIds: [foreign.id] } }).expect(422)
        .expect((r) => expect(r.body.code).toBe('TEST_RECORD_NOT_FOUND'));
    });

    it('validates declared test results', async () => {
      const batch = await createBatch(t, org.token);
      const res = await t.http().post(`/api/v1/batches/${batch.id}/test-records`).set(auth(org.token))
        .send({ stream: 'entrusted_test', testedOn: '2026-11-20', testerName: '某检测站', results: [{ analyte: '毒死蜱', detected: false, value: '0.3', unit: 'mg/kg', verdict: 'pass' }] }).expect(400);
      expect(res.body).toMatchObject({ code: 'INVALID_TEST_RESULT', details: { field: 'results[0].value' } });
      await t.http().post(`/api/v1/batches/${batch.id}/test-records`).set(auth(org.token))
        .send({ stream: 'entrusted_test', testedOn: '2026-11-20', results: PASSING }).expect(400)
        .expect((r) => expect(r.body.details).toMatchObject({ field: 'testerName' }));
      await t.http().post(`/api/v1/batches/${batch.id}/test-records`).set(auth(org.token))
        .send({ stream: 'routine_monitoring', testedOn: '2026-11-20', testerName: 'x', results: PASSING }).expect(422);
    });
  });

  describe('quantities', () => {
    it('lets several certificates cover parts of a batch, never more than it has', async () => {
      const batch = await createBatch(t, org.token); // 1200.5 kg
      await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '1000', unit: 'kg' } }).expect(201);
      const over = await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '402', unit: '斤' } }).expect(422);
      expect(over.body).toMatchObject({ code: 'QUANTITY_EXCEEDS_BATCH', details: { field: 'quantity.value', remaining: { value: '200.5', unit: 'kg' } } });
      await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '3', unit: '箱' } }).expect(422)
        .expect((r) => expect(r.body.code).toBe('QUANTITY_UNIT_MISMATCH'));
      const rest = await issue(org.token, { batchId: batch.id, ...QC }).expect(201);
      expect(rest.body.quantity).toEqual({ value: '200.5', unit: 'kg' });
      await issue(org.token, { batchId: batch.id, ...QC }).expect(422).expect((r) => expect(r.body.code).toBe('QUANTITY_EXCEEDS_BATCH'));
    });

    it('refuses a malformed quantity before taking (or waiting for) the batch row lock', async () => {
      const batch = await createBatch(t, org.token);
      const holder = db.createQueryRunner();
      await holder.startTransaction();
      try {
        await holder.query('SELECT id FROM batches WHERE id = $1 FOR UPDATE', [batch.id]);
        for (const [quantity, field, rule] of [[{ value: '-1', unit: 'kg' }, 'quantity.value', 'decimal'], [{ value: '0', unit: 'kg' }, 'quantity.value', 'positive'], [{ value: '5', unit: 'bushel' }, 'quantity.unit', 'unit']] as const) {
          const refused = await issue(org.token, { batchId: batch.id, ...QC, quantity }).timeout(5000).expect(400);
          expect(refused.body).toMatchObject({ code: 'INVALID_QUANTITY', details: { field, rule } });
        }
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM certificates WHERE batch_id = $1', [batch.id]);
      expect(n).toBe(0);
    });

    it('never over-issues under concurrent requests (more of them than database connections)', async () => {
      const batch = await createBatch(t, org.token);
      const results = await Promise.all(Array.from({ length: 20 }, () => issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '75', unit: 'kg' } })));
      expect(results.filter((r) => r.status === 201)).toHaveLength(16);
      expect(results.filter((r) => r.status === 422).map((r) => r.body.code)).toEqual(Array(4).fill('QUANTITY_EXCEEDS_BATCH'));
      const [{ total }] = await db.query("SELECT sum(quantity_value)::text AS total FROM certificates WHERE batch_id = $1 AND status = 'valid'", [batch.id]);
      expect(total).toBe('1200.000');
      // Each writer returned after a seal that started after its COMMIT (seals are grouped per process): every entry is chained.
      const ids = results.filter((r) => r.status === 201).map((r) => r.body.id);
      const [{ chained }] = await db.query("SELECT count(*)::int AS chained FROM audit_log WHERE action = 'certificates.insert' AND subject_id = ANY($1::text[])", [ids]);
      expect(chained).toBe(16);
    });

    it('gives a retry with the same Idempotency-Key the same certificate and creates nothing new', async () => {
      const batch = await createBatch(t, org.token);
      const body = { batchId: batch.id, ...QC, quantity: { value: '10', unit: 'kg' } };
      const [a, b] = await Promise.all([issue(org.token, body, { 'Idempotency-Key': `cert-${batch.id}` }), issue(org.token, body, { 'Idempotency-Key': `cert-${batch.id}` })]);
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.body.number).toBe(a.body.number);
      const c = await issue(org.token, body, { 'Idempotency-Key': `cert-${batch.id}` }).expect(201);
      expect(c.headers['idempotent-replayed']).toBe('true');
      expect(c.body.verifyUrl).toBe(a.body.verifyUrl);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM certificates WHERE batch_id = $1', [batch.id]);
      expect(n).toBe(1);
    });

    it('replays a finished request with its key even when the work would now fail, wasting no number; a reused key writes nothing', async () => {
      // The key is claimed in the issuing transaction's last statement (claimLast): a retry redoes the work, rolls it back and replays.
      const batch = await createBatch(t, org.token); // 1200.5 kg
      const body = { batchId: batch.id, ...QC };
      const key = { 'Idempotency-Key': `all-${batch.id}` };
      const first = await issue(org.token, body, key).expect(201);
      const [audited] = await db.query(
        "SELECT count(*)::int AS chained, (SELECT count(*)::int FROM audit_pending) AS pending FROM audit_log WHERE action = 'certificates.insert' AND subject_id = $1", [first.body.id]);
      expect(audited).toEqual({ chained: 1, pending: 0 });
      const replayed = await issue(org.token, body, key).expect(201); // the batch is used up: the work alone would be refused
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body).toEqual(first.body);
      await issue(org.token, { ...body, quantity: { value: '1', unit: 'kg' } }, key).expect(422)
        .expect((r) => expect(r.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { field: 'Idempotency-Key' } }));
      const other = await createBatch(t, org.token);
      const reused = await issue(org.token, { batchId: other.id, ...QC }, key).expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM certificates WHERE batch_id = ANY($1::uuid[])', [[batch.id, other.id]]);
      expect(n).toBe(1);
      const next = await issue(org.token, { batchId: other.id, ...QC }).expect(201);
      const serial = (number: string) => Number(number.split('-')[2]);
      const [{ between }] = await db.query('SELECT count(*)::int AS between FROM certificates WHERE number > $1 AND number < $2', [first.body.number, next.body.number]);
      expect(serial(next.body.number) - serial(first.body.number)).toBe(between + 1); // no number lost to the rolled-back attempts
    });

    it('numbers certificates per region and day from 00001, padded to 5 digits and never cut', async () => {
      // The INSERT takes the number; a county of its own here, so the sequence starts in this test.
      const producer = await createOrg(t, { name: '金堂县合作社', regionCode: '510121', uscc: uniqueUscc('93', '510121') });
      const site = await createSite(t, producer.token, { regionCode: '510121' });
      const batch = await createBatch(t, producer.token, { siteId: site.id });
      const first = (await issue(producer.token, { batchId: batch.id, ...QC, quantity: { value: '1', unit: 'kg' } }).expect(201)).body;
      expect(first.number).toMatch(/^510121-\d{8}-00001$/);
      await db.query("UPDATE certificate_sequences SET last_value = 99999 WHERE scope = $1", [first.number.slice(0, 15).replace('-', '')]);
      const far = (await issue(producer.token, { batchId: batch.id, ...QC, quantity: { value: '1', unit: 'kg' } }).expect(201)).body;
      expect(far.number).toBe(`${first.number.slice(0, 16)}100000`);
    });

    it('gives 20 concurrent requests with one key (more than database connections) one certificate', async () => {
      const batch = await createBatch(t, org.token);
      const body = { batchId: batch.id, ...QC, quantity: { value: '5', unit: 'kg' } };
      const results = await Promise.all(Array.from({ length: 20 }, () => issue(org.token, body, { 'Idempotency-Key': `burst-${batch.id}` })));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
      const [{ n }] = await db.query('SELECT count(*)::int AS n FROM certificates WHERE batch_id = $1', [batch.id]);
      expect(n).toBe(1);
    });
  });

  describe('immutability, void and re-issue', () => {
    it('refuses edits and early deletion, voids once, and re-issues a linked certificate', async () => {
      const batch = await createBatch(t, org.token);
      const cert = (await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '100', unit: 'kg' } }).expect(201)).body;
      await t.http().patch(`/api/v1/certificates/${cert.id}`).set(auth(org.token)).send({ quantity: { value: '1', unit: 'kg' } }).expect(409)
        .expect((r) => expect(r.body.code).toBe('CERTIFICATE_IMMUTABLE'));
      await t.http().put(`/api/v1/certificates/${cert.id}`).set(auth(org.token)).send({}).expect(409);
      await t.http().delete(`/api/v1/certificates/${cert.id}`).set(auth(org.token)).expect(409)
        .expect((r) => expect(r.body).toMatchObject({ code: 'RETENTION_PERIOD', details: { retainUntil: cert.retainUntil } }));
      await t.http().post(`/api/v1/certificates/${cert.id}/reissue`).set(auth(org.token)).send({}).expect(409)
        .expect((r) => expect(r.body.code).toBe('CERTIFICATE_NOT_VOIDED'));

      await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(org.token)).send({}).expect(400)
        .expect((r) => expect(r.body.details.fields[0]).toMatchObject({ field: 'reason' }));
      const voided = await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(org.token)).send({ reason: '数量填写错误' }).expect(200);
      expect(voided.body).toMatchObject({ status: 'voided', voided: { reason: '数量填写错误', by: 'issuer' } });
      const [audited] = await db.query("SELECT details FROM audit_log WHERE action = 'certificate.voided' AND subject_id = $1", [cert.id]);
      expect(audited.details).toMatchObject({ number: cert.number, reason: '数量填写错误', by: 'issuer' });
      const notes = await t.http().get('/api/v1/notifications').set(auth(org.token)).expect(200);
      expect(notes.body.items).toContainEqual(expect.objectContaining({ kind: 'certificate.voided', subject: expect.objectContaining({ id: cert.id }) }));
      await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(org.token)).send({ reason: '再次作废' }).expect(409)
        .expect((r) => expect(r.body.code).toBe('CERTIFICATE_ALREADY_VOIDED'));

      const again = await t.http().post(`/api/v1/certificates/${cert.id}/reissue`).set(auth(org.token)).send({ quantity: { value: '90', unit: 'kg' } }).expect(201);
      expect(again.body).toMatchObject({ replacesId: cert.id, status: 'valid', quantity: { value: '90', unit: 'kg' }, basis: ['quality_control'] });
      expect(again.body.number).not.toBe(cert.number);
      await t.http().post(`/api/v1/certificates/${cert.id}/reissue`).set(auth(org.token)).send({}).expect(409)
        .expect((r) => expect(r.body.code).toBe('CERTIFICATE_ALREADY_REISSUED'));

      const old = await t.http().get(new URL(cert.verifyUrl).pathname).set('Accept', 'application/json').expect(200);
      expect(old.body).toMatchObject({ status: 'voided', voided: { reason: '数量填写错误' }, replacedBy: { number: again.body.number, url: again.body.verifyUrl } });
      const page = await t.http().get(new URL(cert.verifyUrl).pathname).expect(200);
      expect(page.text).toContain('已作废');
      expect(page.text).toContain(again.body.number);
    });

    it('lets a regulator of the region void, hides certificates from other organisations and regions', async () => {
      const batch = await createBatch(t, org.token);
      const cert = (await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '5', unit: 'kg' } }).expect(201)).body;
      const stranger = await createOrg(t);
      const farRegulator = await createRegulator(t, '510700');
      const regulator = await createRegulator(t, '510100');
      for (const token of [stranger.token, farRegulator.token]) {
        await t.http().get(`/api/v1/certificates/${cert.id}`).set(auth(token)).expect(404);
        await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(token)).send({ reason: '抽检不合格' }).expect(404);
        await t.http().patch(`/api/v1/certificates/${cert.id}`).set(auth(token)).send({}).expect(404);
      }
      await issue(stranger.token, { batchId: batch.id, ...QC }).expect(404);
      // Another organisation's attempt never takes (nor waits for) the batch's row lock: while the
      // owner holds it, the stranger still gets its 404 at once.
      const holder = db.createQueryRunner();
      await holder.startTransaction();
      try {
        await holder.query('SELECT id FROM batches WHERE id = $1 FOR UPDATE', [batch.id]);
        await issue(stranger.token, { batchId: batch.id, ...QC }).timeout(5000).expect(404);
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      await t.http().get(`/api/v1/certificates/${cert.id}`).set(auth(regulator.token)).expect(200);
      const voided = await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(regulator.token)).send({ reason: '抽检不合格' }).expect(200);
      expect(voided.body.voided.by).toBe('regulator:510100');
      const list = await t.http().get('/api/v1/certificates').set(auth(stranger.token)).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(cert.id);
    });

    it('refuses certificates for a batch on hold', async () => {
      const batch = await createBatch(t, org.token);
      await t.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(org.token)).send({ status: 'on_hold', reason: '待检' }).expect(201);
      await issue(org.token, { batchId: batch.id, ...QC }).expect(422).expect((r) => expect(r.body.code).toBe('BATCH_NOT_ACTIVE'));
    });
  });

  it('answers malformed or unknown tokens on /c/ with the 404 page, never a 500', async () => {
    for (const token of ['x', 'AbCdEfGhIjKlMnOpQrStUv', '%00%ff', "'%20OR%201=1--", 'a'.repeat(5000), '..%2F..%2Fetc%2Fpasswd', '%E4%B8%AD%E6%96%87']) {
      const res = await t.http().get(`/c/${token}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('未找到该合格证');
    }
    await t.http().get('/c/AbCdEfGhIjKlMnOpQrStUv').set('Accept', 'application/json').expect(404).expect((r) => expect(r.body.code).toBe('NOT_FOUND'));
    await t.http().get('/api/v1/certificates/verify/nope').expect(404);
    await t.http().get('/c/').expect(404);
  });

  describe('printing', () => {
    it('prints a 60 × 80 mm label whose text and QR lead to the VALID page, and VOIDED after a void', async () => {
      const batch = await createBatch(t, org.token);
      const cert = (await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '20', unit: 'kg' } }).expect(201)).body;
      const pdfOf = async (layout: string) => (await t.http().get(`/api/v1/certificates/${cert.id}/certificate.pdf?layout=${layout}`)
        .set(auth(org.token)).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf')).body as Buffer;

      const label = await pdfOf('label-60x80');
      const text = squash(pdfText(label));
      expect(text).toContain('承诺达标合格证');
      expect(text).toContain(squash(PRODUCER_COMMITMENT_2026));
      expect(text).toContain(cert.number);
      const url = pdfQr(label);
      expect(url).toBe(cert.verifyUrl);
      expect((await t.http().get(new URL(url!).pathname).expect(200)).text).toContain('VALID');

      const a4 = await pdfOf('a4');
      expect(squash(pdfText(a4))).toContain(cert.number);
      expect(pdfQr(a4)).toBe(cert.verifyUrl);

      await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(org.token)).send({ reason: '重复开具' }).expect(200);
      const voidedLabel = await pdfOf('label-60x80');
      expect(squash(pdfText(voidedLabel))).toContain('已作废');
      const after = pdfQr(voidedLabel);
      const voidedPage = await t.http().get(new URL(after!).pathname).expect(200);
      expect(voidedPage.text).toContain('VOIDED');
    });

    it('prints a combined certificate + trace label (证码合一) whose QR opens the batch scan page with the certificate', async () => {
      const batch = await createBatch(t, org.token);
      const cert = (await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '20', unit: 'kg' } }).expect(201)).body;
      const pdf = (await t.http().get(`/api/v1/certificates/${cert.id}/certificate.pdf?layout=combined-60x80`)
        .set(auth(org.token)).buffer(true).parse(binary).expect(200)).body as Buffer;
      expect(squash(pdfText(pdf))).toContain('承诺达标合格证');
      const url = pdfQr(pdf);
      expect(url).toBe(batch.traceUrl);
      const scanPage = await t.http().get(new URL(url!).pathname).expect(200);
      expect(scanPage.text).toContain('承诺达标合格证');
      expect(scanPage.text).toContain(cert.number);
      await t.http().get(`/api/v1/certificates/${cert.id}/certificate.pdf?layout=poster`).set(auth(org.token)).expect(400);
    });

    it('renders an older template with its own wording', async () => {
      const batch = await createBatch(t, org.token, { producedOn: '2022-05-01' });
      await issue(org.token, { batchId: batch.id, templateVersion: '2019-trial', ...QC }).expect(422)
        .expect((r) => expect(r.body.code).toBe('TEMPLATE_NOT_IN_FORCE'));
      const cert = (await issue(org.token, { batchId: batch.id, templateVersion: '2019-trial', issuedOn: '2022-05-02', basis: [] }).expect(201)).body;
      expect(cert.templateVersion).toBe('2019-trial');
      const pdf = (await t.http().get(`/api/v1/certificates/${cert.id}/certificate.pdf`).set(auth(org.token)).buffer(true).parse(binary).expect(200)).body as Buffer;
      const text = squash(pdfText(pdf));
      expect(text).toContain('食用农产品合格证');
      expect(text).toContain('遵守农药安全间隔期');
      expect(text).not.toContain('承诺达标合格证');
    });
  });

  describe('purchasers and markets', () => {
    let purchaser: OrgWithKey;
    let regulator: OrgWithKey;
    let kiwi: { id: string };

    beforeAll(async () => {
      purchaser = await createOrg(t, { name: '成都蒙阳农产品批发市场经营户', kind: 'purchaser', uscc: uniqueUscc('92', '510100'), regionCode: '510104' });
      regulator = await createRegulator(t, '510104');
      kiwi = await createProduct(t, purchaser.token, { name: '猕猴桃（统货）' });
    });

    const collect = (body: Record<string, unknown>) => t.http().post('/api/v1/certificate-collections').set(auth(purchaser.token)).send(body);

    it('collects a valid certificate by its QR or its typed number; refuses and reports voided, unknown and mismatching ones', async () => {
      const batch = await createBatch(t, org.token);
      const cert = (await issue(org.token, { batchId: batch.id, ...QC, quantity: { value: '50', unit: 'kg' } }).expect(201)).body;
      const byQr = await collect({ certificate: cert.verifyUrl, productId: kiwi.id, quantity: { value: '50', unit: 'kg' }, supplierName: '绿源合作社' }).expect(201);
      expect(byQr.body).toMatchObject({ outcome: 'accepted', certificate: { number: cert.number, status: 'valid' } });
      const typed = await collect({ certificate: ` ${cert.number.replaceAll('-', ' ')} `, productId: kiwi.id, certificateQuantity: { value: '50', unit: 'kg' } }).expect(201);
      expect(typed.body.outcome).toBe('accepted');

      const cabbage = await createProduct(t, purchaser.token, { name: '大白菜', category: '蔬菜>芸薹属类蔬菜>大白菜' });
      const mismatch = await collect({ certificate: cert.verifyUrl, productId: cabbage.id }).expect(422);
      expect(mismatch.body).toMatchObject({ code: 'CERTIFICATE_PRODUCT_MISMATCH', details: { field: 'certificate' } });
      await collect({ certificate: '510131-20261127-99999', productId: kiwi.id, certificateQuantity: { value: '50', unit: 'kg' } }).expect(404)
        .expect((r) => expect(r.body.code).toBe('CERTIFICATE_NOT_FOUND'));

      const reported = await t.http().get('/api/v1/certificate-collections?outcome=mismatch').set(auth(regulator.token)).expect(200);
      expect(reported.body.items.map((i: { id: string }) => i.id)).toContain(mismatch.body.details.collectionId);
      const notified = await t.http().get('/api/v1/notifications').set(auth(regulator.token)).expect(200);
      expect(notified.body.items).toContainEqual(expect.objectContaining({
        kind: 'collection.mismatch', subject: expect.objectContaining({ id: mismatch.body.details.collectionId }),
      }));
      const far = await createRegulator(t, '510700');
      const hidden = await t.http().get('/api/v1/certificate-collections?outcome=mismatch').set(auth(far.token)).expect(200);
      expect(hidden.body.items).toEqual([]);

      await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(org.token)).send({ reason: '数量有误' }).expect(200);
      await collect({ certificate: cert.verifyUrl, productId: kiwi.id }).expect(422).expect((r) => expect(r.body.code).toBe('CERTIFICATE_VOIDED'));
    });

    it('refuses a purchase without a certificate unless another proof of quality is recorded', async () => {
      await collect({ productId: kiwi.id }).expect(422).expect((r) => expect(r.body).toMatchObject({ code: 'CERTIFICATE_REQUIRED', details: { field: 'certificate' } }));
      const proof = await collect({ productId: kiwi.id, otherProof: { kind: 'test_report', reference: 'JC2026-11-0087', issuer: '蒲江县检测站' } }).expect(201);
      expect(proof.body).toMatchObject({ outcome: 'other_proof', otherProof: { kind: 'test_report', reference: 'JC2026-11-0087' } });
    });

    it('issues a purchaser certificate for a mixed batch, linked to the collected upstream certificates', async () => {
      const inputs = await Promise.all([1, 2].map(async () => {
        const b = await createBatch(t, org.token);
        const c = (await issue(org.token, { batchId: b.id, ...QC, quantity: { value: '100', unit: 'kg' } }).expect(201)).body;
        const k = (await collect({ certificate: c.verifyUrl, productId: kiwi.id, quantity: { value: '100', unit: 'kg' } }).expect(201)).body;
        return { cert: c, collection: k };
      }));
      const site = await createSite(t, purchaser.token, { name: '蒙阳市场冷库', regionCode: '510104' });
      const mixed = await createBatch(t, purchaser.token, { productId: kiwi.id, siteId: site.id, quantity: { value: '200', unit: 'kg' }, producedOn: '2026-11-26' });

      await issue(purchaser.token, { batchId: mixed.id }).expect(422).expect((r) => expect(r.body.code).toBe('UPSTREAM_REQUIRED'));
      const withoutCert = (await collect({ productId: kiwi.id, otherProof: { kind: 'other', reference: '收购凭证 001' } }).expect(201)).body;
      await issue(purchaser.token, { batchId: mixed.id, upstreamCollectionIds: [inputs[0].collection.id, withoutCert.id] }).expect(422)
        .expect((r) => expect(r.body).toMatchObject({ code: 'UPSTREAM_CERTIFICATE_MISSING', details: { field: 'upstreamCollectionIds[1]' } }));

      const res = await issue(purchaser.token, { batchId: mixed.id, upstreamCollectionIds: inputs.map((i) => i.collection.id) }).expect(201);
      expect(res.body).toMatchObject({ style: 'purchaser', commitment: PURCHASER_COMMITMENT_2026, basis: [] });
      expect(res.body.evidence.upstream.map((u: { number: string }) => u.number)).toEqual(inputs.map((i) => i.cert.number));
      const publicView = await t.http().get(new URL(res.body.verifyUrl).pathname).set('Accept', 'application/json').expect(200);
      expect(publicView.body).toMatchObject({ issuerLabel: '收购单位（个人）', upstreamNumbers: inputs.map((i) => i.cert.number) });

      // an upstream certificate voided since its collection blocks further purchaser certificates
      await t.http().post(`/api/v1/certificates/${res.body.id}/void`).set(auth(purchaser.token)).send({ reason: '重新开具' }).expect(200);
      await t.http().post(`/api/v1/certificates/${inputs[0].cert.id}/void`).set(auth(org.token)).send({ reason: '抽检不合格' }).expect(200);
      await issue(purchaser.token, { batchId: mixed.id, upstreamCollectionIds: inputs.map((i) => i.collection.id) }).expect(422)
        .expect((r) => expect(r.body.code).toBe('UPSTREAM_CERTIFICATE_VOIDED'));
    });
  });

  it('lists batches in mandatory categories without a valid certificate, per organisation and region', async () => {
    const producer = await createOrg(t, { name: '大邑县蔬菜合作社', regionCode: '510129', uscc: uniqueUscc('93', '510129') });
    const site = await createSite(t, producer.token, { regionCode: '510129' });
    const veg = await createProduct(t, producer.token, { name: '芦笋', category: '蔬菜>茎类蔬菜>芦笋' });
    const rice = await createProduct(t, producer.token, { name: '稻谷', category: '谷物>稻类>稻谷' });
    const without = await createBatch(t, producer.token, { productId: veg.id, siteId: site.id });
    const covered = await createBatch(t, producer.token, { productId: veg.id, siteId: site.id });
    await createBatch(t, producer.token, { productId: rice.id, siteId: site.id });
    await issue(producer.token, { batchId: covered.id, ...QC }).expect(201);

    // an individual farmer's batch is not a gap: for them a certificate is encouraged, not required
    const body17 = `51012919900101${String(Math.floor(Math.random() * 900) + 100)}`;
    const farmer = await createOrg(t, { name: '李四', kind: 'individual', uscc: undefined, idNumber: body17 + idNumberCheckCharacter(body17), regionCode: '510129' });
    const farmerSite = await createSite(t, farmer.token, { regionCode: '510129' });
    const farmerVeg = await createProduct(t, farmer.token, { name: '芦笋', category: '蔬菜>茎类蔬菜>芦笋' });
    await createBatch(t, farmer.token, { productId: farmerVeg.id, siteId: farmerSite.id });

    const regulator = await createRegulator(t, '510129');
    const res = await t.http().get('/api/v1/certificates/gaps').set(auth(regulator.token)).expect(200);
    expect(res.body.items.map((i: { batchId: string }) => i.batchId)).toEqual([without.id]);
    expect(res.body.summary).toEqual([expect.objectContaining({ organizationId: producer.id, regionCode: '510129', batches: 2, withoutCertificate: 1, regionName: '四川省成都市大邑县' })]);
    const own = await t.http().get('/api/v1/certificates/gaps').set(auth(producer.token)).expect(200);
    expect(own.body.items.map((i: { batchId: string }) => i.batchId)).toEqual([without.id]);
    const others = await t.http().get('/api/v1/certificates/gaps').set(auth(org.token)).expect(200);
    expect(others.body.items.map((i: { batchId: string }) => i.batchId)).not.toContain(without.id);
    await t.http().get('/api/v1/certificates/gaps?region=510700').set(auth(regulator.token)).expect(404);
    await t.http().get('/api/v1/certificates/gaps?region=999999').set(auth(ADMIN_TOKEN)).expect(400);
  });
});
