import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { announceBatchChanged, BATCH_CHANGED, batchEvents } from '../src/common/batch-events';
import { CertificatesService } from '../src/modules/certificates/certificates.service';
import { rowDigest } from '../src/modules/audit/domain/audit-chain';
import { RowAuditor } from '../src/modules/audit/row-auditor';
import { PhiGateRecord } from '../src/modules/farm-inputs/phi-gate-record.entity';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueGtin13, uniqueUscc } from './support/factories';
import { eventually } from './support/processes';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

interface Row {
  action: string;
  actor_kind: string;
  actor_id: string | null;
  subject_id: string;
  before_digest: string | null;
  after_digest: string | null;
}

let next = randomInt(10_000, 80_000);
const agiNumber = () => `AGI${String(next++).padStart(5, '0')}`;
const QC = { basis: ['quality_control'], evidence: { qualityControl: '按《猕猴桃标准化生产技术规程》生产，落实农药安全间隔期' } };
const COLLECT = { place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' };

/**
 * Audit is a property of the write path: writes by criteria, raw SQL (judging, imports, recalls)
 * and job status changes are recorded with the real subject ids and the acting key, like save().
 * The database is this file's own: the last test checks that nothing at all was filed under `*`.
 */
describe('audited writes: every path records the real subject and actor', () => {
  let t: TestApp;
  let db: DataSource;
  let regulator: OrgWithKey; // 成都市
  let coop: OrgWithKey;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    regulator = await createRegulator(t, '510100');
    coop = await createOrg(t, { name: '蒲江县审计合作社' });
  });
  afterAll(() => t.close());

  const keyId = async (token: string) =>
    ((await db.query('SELECT id FROM api_keys WHERE token_prefix = $1', [token.slice(0, 10)])) as { id: string }[])[0].id;
  const entries = async (subjectType: string, ids: string[]) => await db.query(
    `SELECT action, actor_kind, actor_id, subject_id, before_digest, after_digest FROM audit_log
     WHERE subject_type = $1 AND subject_id = ANY($2::text[]) ORDER BY seq`, [subjectType, ids]) as Row[];
  const actions = (rows: Row[], id: string) => rows.filter((r) => r.subject_id === id).map((r) => r.action);
  const csvPost = (path: string, body: string, token = regulator.token) =>
    t.http().post(path).set(auth(token)).set('Content-Type', 'text/csv').send(body);
  const newGi = async () => (await t.http().post('/api/v1/gi').set(auth(regulator.token)).send({
    regime: 'agi', registrationNumber: agiNumber(), productName: '蒲江猕猴桃', holderUscc: uniqueUscc('12', '510131'),
    holderName: '蒲江县农业技术推广站', areaCodes: ['510131'], announcedOn: '2012-08-03',
  }).expect(201)).body as { id: string; registrationNumber: string };

  it('a write audited from the rows it returned (RETURNING *: the gate record of a batch) digests them as a read-back does', async () => {
    const kiwi = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
    const site = await createSite(t, coop.token, { name: '审计果园' });
    const product = await createProduct(t, coop.token);
    const input = (await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send({
      kind: 'pesticide', name: '2.5%溴氰菊酯乳油', registrationNumber: `PD2020${String(next++).slice(-4)}`, activeIngredients: [{ analyte: '溴氰菊酯' }],
      cropRules: [{ category: kiwi, intervalDays: 21 }], verified: false, source: '示例',
    }).expect(201)).body as { id: string };
    await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send({
      siteId: site.id, inputId: input.id, crop: kiwi, appliedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      dose: { value: '100', unit: 'mL' }, area: { value: '5', unit: '亩' }, target: '蚜虫', operator: '王建国',
    }).expect(201);
    const batch = await createBatch(t, coop.token, { productId: product.id, siteId: site.id, producedOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10) });
    const [record] = await db.query('SELECT id FROM phi_gate_records WHERE batch_id = $1', [batch.id]) as { id: string }[];
    const [entry] = await entries('phi_gate_records', [record.id]);
    expect(entry).toMatchObject({ action: 'phi_gate_records.insert', actor_kind: 'org_admin', actor_id: await keyId(coop.token), before_digest: null });
    const stored = await new RowAuditor().storedRows(db.manager, db.getMetadata(PhiGateRecord), [{ id: record.id }]);
    expect(entry.after_digest).toBe(rowDigest(stored.get(record.id)!));
  });

  it('a GI revocation and an authorisation revocation record the rows, by the regulator\'s key', async () => {
    const gi = await newGi();
    const granted = await t.http().post(`/api/v1/gi/${gi.id}/authorisations`).set(auth(regulator.token))
      .send({ organizationId: coop.id, validFrom: '2026-01-01' }).expect(201);
    await t.http().post(`/api/v1/gi/${gi.id}/authorisations/${granted.body.id}/revoke`).set(auth(regulator.token)).send({ reason: '违规使用' }).expect(201);
    await t.http().post(`/api/v1/gi/${gi.id}/revoke`).set(auth(regulator.token)).send({ reason: '登记证书注销' }).expect(201);
    const key = await keyId(regulator.token);

    const giRows = await entries('gi_records', [gi.id]);
    expect(giRows.map((r) => [r.action, r.actor_kind, r.actor_id])).toEqual([
      ['gi_records.insert', 'regulator', key], ['gi_records.update', 'regulator', key],
    ]);
    // The revocation's before-digest is the stored row the insert recorded.
    expect(giRows[1].before_digest).toBe(giRows[0].after_digest);
    expect(giRows[1].after_digest).not.toBe(giRows[1].before_digest);
    const authRows = await entries('gi_authorisations', [granted.body.id]);
    expect(authRows.map((r) => [r.action, r.actor_id])).toEqual([['gi_authorisations.insert', key], ['gi_authorisations.update', key]]);
    expect(authRows[1].before_digest).toBe(authRows[0].after_digest);
  });

  it('GI imports record one entry per created or changed row, with the row ids', async () => {
    const header = 'regime,registration_number,product_name,holder_uscc,holder_name,area_codes,area_text,announced_on,china_eu';
    const [a, b] = [agiNumber(), agiNumber()];
    const holder = uniqueUscc('12', '510131');
    const line = (n: string, name: string) => `agi,${n},${name},${holder},蒲江县茶叶协会,510131,蒲江县全境,2016-03-31,是`;
    await csvPost('/api/v1/gi/records.csv', [header, line(a, '蒲江雀舌'), line(b, '蒲江猕猴桃')].join('\n')).expect(201);
    await csvPost('/api/v1/gi/records.csv', [header, line(a, '蒲江雀舌（改）'), line(b, '蒲江猕猴桃')].join('\n')).expect(201);
    const records = await db.query('SELECT id, registration_number AS n FROM gi_records WHERE registration_number = ANY($1)', [[a, b]]) as { id: string; n: string }[];
    const idOf = (n: string) => records.find((r) => r.n === n)!.id;
    const recordRows = await entries('gi_records', records.map((r) => r.id));
    expect(actions(recordRows, idOf(a))).toEqual(['gi_records.insert', 'gi_records.update']);
    expect(actions(recordRows, idOf(b))).toEqual(['gi_records.insert']);

    const second = await createOrg(t, { name: '蒲江县第二合作社' });
    const head = 'regime,registration_number,organization,valid_from,valid_to,quota_value,quota_unit';
    await csvPost('/api/v1/gi/authorisations.csv', [head, `agi,${a},${coop.id},2026-01-01,2026-12-31,1000,kg`, `agi,${a},${second.id},2026-01-01,,,`].join('\n')).expect(201);
    await csvPost('/api/v1/gi/authorisations.csv', [head, `agi,${a},${coop.id},2026-01-01,2026-12-31,2000,kg`].join('\n')).expect(201);
    const auths = await db.query('SELECT id, organization_id AS org FROM gi_authorisations WHERE gi_id = $1', [idOf(a)]) as { id: string; org: string }[];
    expect(auths).toHaveLength(2);
    const authRows = await entries('gi_authorisations', auths.map((x) => x.id));
    const coopAuth = auths.find((x) => x.org === coop.id)!.id;
    expect(actions(authRows, coopAuth)).toEqual(['gi_authorisations.insert', 'gi_authorisations.update']);
    expect(actions(authRows, auths.find((x) => x.org === second.id)!.id)).toEqual(['gi_authorisations.insert']);
    const key = await keyId(regulator.token);
    expect(authRows.every((r) => r.actor_kind === 'regulator' && r.actor_id === key)).toBe(true);
    expect(authRows.filter((r) => r.subject_id === coopAuth)[1].before_digest).toBe(authRows.filter((r) => r.subject_id === coopAuth)[0].after_digest);
  });

  it('a sample judged in-process records its submission and verdict on the sample, its results and its test record', async () => {
    const lab = await createOrg(t, { name: '四川省农产品质量安全检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    const countyRegulator = await createRegulator(t, '510131');
    const batch = await createBatch(t, coop.token);
    const created = await t.http().post('/api/v1/sampling/samples').set(auth(countyRegulator.token))
      .send({ batchId: batch.id, stream: 'supervisory_sampling', labOrganizationId: lab.id, analytes: ['溴氰菊酯'] }).expect(201);
    const id = created.body.id as string;
    await t.http().post(`/api/v1/sampling/samples/${id}/collect`).set(auth(countyRegulator.token)).send(COLLECT).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '10', unit: 'µg/kg', lod: '1' }] }).expect(202);
    await eventually(async () => {
      const [row] = await db.query('SELECT status FROM samples WHERE id = $1', [id]) as { status: string }[];
      return row.status === 'judged' ? true : undefined;
    });
    const labKey = await keyId(lab.token);

    const sampleRows = await entries('samples', [id]);
    // Submission (the lab's key) moves it to tested; the judge job, acting as itself (not the lab's request), to judged.
    expect(sampleRows.slice(-2).map((r) => [r.action, r.actor_kind, r.actor_id])).toEqual([
      ['samples.update', 'lab', labKey], ['samples.update', 'worker', 'job:sampling-judge'],
    ]);
    expect(sampleRows.at(-1)!.before_digest).toBe(sampleRows.at(-2)!.after_digest);
    const [result] = await db.query('SELECT id::text AS id FROM sample_results WHERE sample_id = $1', [id]) as { id: string }[];
    const resultRows = await entries('sample_results', [result.id]);
    expect(resultRows.map((r) => [r.action, r.actor_kind])).toEqual([['sample_results.insert', 'lab'], ['sample_results.update', 'worker']]);
    expect(resultRows[1].before_digest).toBe(resultRows[0].after_digest);
    const [record] = await db.query('SELECT id FROM test_records WHERE sample_id = $1', [id]) as { id: string }[];
    expect((await entries('test_records', [record.id])).map((r) => r.action)).toEqual(['test_records.insert']);
    const custody = await db.query('SELECT id::text AS id, status FROM sample_custody_events WHERE sample_id = $1', [id]) as { id: string; status: string }[];
    const custodyRows = await entries('sample_custody_events', custody.map((c) => c.id));
    expect(custodyRows).toHaveLength(custody.length);
  });

  it('a shipment receipt records the shipment, the inbound lot and its link, by the receiver\'s key', async () => {
    const market = await createOrg(t, { name: '成都农产品中心批发市场', kind: 'market', regionCode: '510117', uscc: uniqueUscc('91', '510117') });
    const product = await createProduct(t, market.token, { name: '猕猴桃（批发）' });
    const site = await createSite(t, market.token, { name: '郫都区冷库', regionCode: '510117' });
    const lot = await createBatch(t, coop.token, { quantity: { value: '100', unit: 'kg' } });
    const shipped = await t.http().post('/api/v1/shipments').set(auth(coop.token))
      .send({ batchId: lot.id, toOrganizationId: market.id, quantity: { value: '60', unit: 'kg' } }).expect(201);
    const receipt = await t.http().post(`/api/v1/shipments/${shipped.body.id}/receipt`).set(auth(market.token))
      .send({ productId: product.id, siteId: site.id }).expect(201);
    const key = await keyId(market.token);
    const rows = await entries('shipments', [shipped.body.id]);
    expect(rows.map((r) => [r.action, r.actor_id])).toEqual([['shipments.insert', await keyId(coop.token)], ['shipments.update', key]]);
    expect(rows[1].before_digest).toBe(rows[0].after_digest);
    const links = await db.query('SELECT id::text AS id FROM lot_links WHERE to_batch_id = $1', [receipt.body.receivedBatch.id]) as { id: string }[];
    expect((await entries('lot_links', links.map((l) => l.id))).map((r) => [r.action, r.actor_id])).toEqual([['lot_links.insert', key]]);
    const events = await db.query('SELECT id FROM epcis_events WHERE $1 = ANY(batch_ids)', [receipt.body.receivedBatch.id]) as { id: string }[];
    expect((await entries('epcis_events', events.map((e) => e.id))).map((r) => [r.action, r.actor_id])).toEqual([['epcis_events.insert', key]]);
  });

  it('a capture job\'s status changes and captured events are recorded, by the capturing key', async () => {
    const gtin = uniqueGtin13();
    const product = await createProduct(t, coop.token, { gtin });
    const lot = await createBatch(t, coop.token, { productId: product.id });
    const epc = `${t.config.publicBaseUrl}/01/${gtin.padStart(14, '0')}/10/${lot.lotCode}`;
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-20T08:00:00Z',
      epcisBody: { eventList: [{ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', eventTime: '2026-11-20T08:00:00+08:00', eventTimeZoneOffset: '+08:00',
        quantityList: [{ epcClass: epc, quantity: 5, uom: 'KGM' }] }] },
    };
    const res = await t.http().post('/api/v1/events').set(auth(coop.token)).set('Content-Type', 'application/ld+json').send(JSON.stringify(doc)).expect(202);
    const captureId = res.body.captureID as string;
    await eventually(async () => ((await t.http().get(`/api/v1/capture/${captureId}`).set(auth(coop.token))).body.running ? undefined : true));
    const key = await keyId(coop.token);
    const rows = await entries('capture_jobs', [captureId]);
    expect(rows.map((r) => [r.action, r.actor_id])).toEqual([['capture_jobs.insert', key], ['capture_jobs.update', key], ['capture_jobs.update', key]]);
    expect(rows[2].before_digest).toBe(rows[1].after_digest);
    const events = await db.query('SELECT id FROM epcis_events WHERE capture_id = $1', [captureId]) as { id: string }[];
    expect(events).toHaveLength(1);
    expect((await entries('epcis_events', [events[0].id])).map((r) => [r.action, r.actor_id])).toEqual([['epcis_events.insert', key]]);
  });

  it('a certificate void and a delete after retention record the certificate row', async () => {
    const batch = await createBatch(t, coop.token);
    const cert = (await t.http().post('/api/v1/certificates').set(auth(coop.token)).send({ batchId: batch.id, ...QC, quantity: { value: '100', unit: 'kg' } }).expect(201)).body as { id: string };
    await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(coop.token)).send({ reason: '数量填写错误' }).expect(200);
    await db.query(`UPDATE certificates SET retain_until = '2020-01-01' WHERE id = $1`, [cert.id]);
    await t.http().delete(`/api/v1/certificates/${cert.id}`).set(auth(coop.token)).expect(204);
    const key = await keyId(coop.token);
    const rows = await entries('certificates', [cert.id]);
    expect(rows.map((r) => [r.action, r.actor_id])).toEqual([
      ['certificates.insert', key], ['certificates.update', key], ['certificate.voided', key], ['certificates.remove', key],
    ]);
    expect(rows[1].before_digest).toBe(rows[0].after_digest);
    expect(rows[3]).toMatchObject({ before_digest: expect.stringMatching(/^[0-9a-f]{64}$/), after_digest: null });
  });

  it('a recall records every lot it marks recalled, by the recalling key', async () => {
    const lot = await createBatch(t, coop.token);
    await t.http().post('/api/v1/recalls').set(auth(coop.token)).send({ batchId: lot.id, reason: '自检发现农药残留超标' }).expect(201);
    const rows = await entries('batches', [lot.id]);
    // Created, given its trace code, then recalled.
    expect(rows.map((r) => [r.action, r.actor_id])).toEqual([
      ['batches.insert', await keyId(coop.token)], ['batches.update', await keyId(coop.token)], ['batches.update', await keyId(coop.token)],
    ]);
    expect(rows[2].before_digest).toBe(rows[1].after_digest);
    const [{ status }] = await db.query('SELECT status FROM batches WHERE id = $1', [lot.id]) as { status: string }[];
    expect(status).toBe('recalled');
  });

  it('announces a batch change only after its transaction commits, never for one rolled back', async () => {
    const certificates = t.app.get(CertificatesService);
    const batch = await createBatch(t, coop.token);
    await t.http().post('/api/v1/certificates').set(auth(coop.token)).send({ batchId: batch.id, ...QC, quantity: { value: '1', unit: 'kg' } }).expect(201);
    // What another connection sees when the announcement arrives (a cache reloading the page would read this).
    const seen: Promise<string>[] = [];
    const listener = (id: string) => {
      if (id === batch.id) seen.push(db.query('SELECT status FROM certificates WHERE batch_id = $1', [id]).then((r: { status: string }[]) => r[0].status));
    };
    batchEvents.on(BATCH_CHANGED, listener);
    try {
      await expect(db.transaction(async (m) => {
        await certificates.voidAllForBatch(m, batch.id, '抽检不合格', 'regulator:510131');
        throw new Error('the sample verdict could not be stored');
      })).rejects.toThrow('could not be stored');
      expect(seen).toHaveLength(0);
      await db.transaction((m) => certificates.voidAllForBatch(m, batch.id, '抽检不合格', 'regulator:510131'));
      expect(await Promise.all(seen)).toEqual(['voided']);
    } finally {
      batchEvents.off(BATCH_CHANGED, listener);
    }
  });

  it('holds the announcements of a released savepoint until the outer commit, and drops those of a rolled-back one', async () => {
    const heard: string[] = [];
    const listener = (id: string) => heard.push(id);
    batchEvents.on(BATCH_CHANGED, listener);
    try {
      await db.transaction(async (m) => {
        await m.transaction(async (inner) => announceBatchChanged(inner, ['kept-in-savepoint']));
        await m.transaction(async (inner) => {
          announceBatchChanged(inner, ['dropped-with-savepoint']);
          throw new Error('inner failed');
        }).catch(() => undefined);
        announceBatchChanged(m, ['outer']);
        expect(heard).toEqual([]);
      });
      expect(heard).toEqual(['kept-in-savepoint', 'outer']);
      announceBatchChanged(null, ['no-transaction']);
      expect(heard).toEqual(['kept-in-savepoint', 'outer', 'no-transaction']);
    } finally {
      batchEvents.off(BATCH_CHANGED, listener);
    }
  });

  it('leaves nothing of this file filed under "*", and the chain verifies', async () => {
    const star = await db.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE subject_id = '*' GROUP BY action ORDER BY action`);
    expect(star).toEqual([]);
    const verify = await t.http().get('/api/v1/audit/verify').set(auth(ADMIN_TOKEN)).expect(200);
    expect(verify.body).toMatchObject({ valid: true, firstBreak: null });
  });
});
