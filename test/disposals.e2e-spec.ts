import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createRegulator, OrgWithKey, uniqueUscc } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const COLLECT = { place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');

/** Disposals of failed batches (不合格农产品处置), and the rule they add to releasing a batch from hold. */
describe('disposals', () => {
  let t: TestApp;
  let regulator: OrgWithKey;
  let lab: OrgWithKey;
  let producer: OrgWithKey;
  let stranger: OrgWithKey;

  const sampleOf = (id: string) => t.http().get(`/api/v1/sampling/samples/${id}`).set(auth(regulator.token));
  const batchOf = (id: string) => t.http().get(`/api/v1/batches/${id}`).set(auth(producer.token));
  const release = (id: string) => t.http().post(`/api/v1/batches/${id}/status`).set(auth(producer.token)).send({ status: 'active' });
  const disposal = (batchId: string, fields: Record<string, unknown> = {}) => ({
    batchId, method: 'destroy', quantity: { value: '1200.5', unit: 'kg' }, disposedOn: '2026-11-25', witness: '蒲江县农业农村局 李四', ...fields,
  });

  /** A batch whose sample failed, on hold once the consequence flow has run. */
  async function failedBatch() {
    const batch = await createBatch(t, producer.token);
    const created = await t.http().post('/api/v1/sampling/samples').set(auth(regulator.token))
      .send({ batchId: batch.id, stream: 'supervisory_sampling', labOrganizationId: lab.id, analytes: ['溴氰菊酯'] }).expect(201);
    const id = created.body.id as string;
    await t.http().post(`/api/v1/sampling/samples/${id}/collect`).set(auth(regulator.token)).send(COLLECT).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.2', unit: 'mg/kg' }] }).expect(202);
    await eventually(async () => ((await batchOf(batch.id)).body.status === 'on_hold' ? true : undefined));
    return { batch, sampleId: id, sampleNo: created.body.sampleNo as string };
  }

  beforeAll(async () => {
    t = await createTestApp();
    regulator = await createRegulator(t, '510131');
    lab = await createOrg(t, { name: '检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    producer = await createOrg(t);
    stranger = await createOrg(t, { name: '别的合作社' });
  });
  afterAll(() => t.close());

  it('refuses releasing a failed batch until a disposal is recorded, then releases it', async () => {
    const { batch, sampleId, sampleNo } = await failedBatch();
    const closing = await t.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(producer.token)).send({ status: 'closed' }).expect(409);
    expect(closing.body.code).toBe('DISPOSAL_REQUIRED');
    const refused = await release(batch.id).expect(409);
    expect(refused.body).toMatchObject({ code: 'DISPOSAL_REQUIRED', details: { field: 'status', rule: 'disposal_required', samples: [sampleNo] } });

    const created = await t.http().post('/api/v1/disposals').set(auth(regulator.token))
      .send(disposal(batch.id, { method: 'harmless', quantity: { value: '2401', unit: '斤' }, evidence: [{ contentType: 'image/png', data: PNG }] })).expect(201);
    expect(created.body).toMatchObject({
      batchId: batch.id, method: 'harmless', methodName: '无害化处理', sampleIds: [sampleId], quantity: { value: '2401', unit: '斤' },
      evidence: [{ contentType: 'image/png', bytes: 12 }],
    });
    const listed = await t.http().get(`/api/v1/disposals?batchId=${batch.id}`).set(auth(producer.token)).expect(200);
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([created.body.id]);
    await t.http().get(`/api/v1/disposals/${created.body.id}`).set(auth(stranger.token)).expect(404);
    const file = await t.http().get(created.body.evidence[0].url).set(auth(producer.token)).buffer(true).expect(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(Buffer.from(file.body as Buffer).toString('base64')).toBe(PNG);
    await t.http().get(created.body.evidence[0].url).set(auth(stranger.token)).expect(404);
    await t.http().get(`/api/v1/disposals/${created.body.id}/evidence/2`).set(auth(producer.token)).expect(404);

    await release(batch.id).expect(201);
    expect((await batchOf(batch.id)).body.status).toBe('active');
  });

  it('lets an accepted recheck that passed release the batch without a disposal', async () => {
    const { batch, sampleId } = await failedBatch();
    const recheck = await t.http().post(`/api/v1/sampling/samples/${sampleId}/recheck`).set(auth(producer.token)).send({ reason: '有异议' }).expect(201);
    await t.http().post(`/api/v1/sampling/samples/${recheck.body.id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${recheck.body.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.01', unit: 'mg/kg' }] }).expect(202);
    await eventually(async () => ((await sampleOf(recheck.body.id)).body.status === 'judged' ? true : undefined));
    await release(batch.id).expect(409);
    await t.http().post(`/api/v1/sampling/samples/${recheck.body.id}/accept`).set(auth(regulator.token)).expect(200);
    await release(batch.id).expect(201);
    // nothing failed any more: a disposal is not required, and is refused
    const none = await t.http().post('/api/v1/disposals').set(auth(producer.token)).send(disposal(batch.id)).expect(422);
    expect(none.body).toMatchObject({ code: 'DISPOSAL_NOT_REQUIRED', details: { field: 'batchId' } });
  });

  it('answers bad input with 4xx naming the field, other organisations with 404, retries once', async () => {
    const { batch } = await failedBatch();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ method: 'bury' }, 400, 'method'],
      [{ quantity: { value: '1300', unit: 'kg' } }, 400, 'quantity.value'],
      [{ quantity: { value: '3', unit: '箱' } }, 400, 'quantity.unit'],
      [{ disposedOn: '2026-02-30' }, 400, 'disposedOn'],
      [{ witness: '' }, 400, 'witness'],
      [{ evidence: [{ contentType: 'image/jpeg', data: PNG }] }, 422, 'evidence[0]'],
      [{ evidence: [{ contentType: 'text/html', data: PNG }] }, 422, 'evidence[0]'],
    ];
    for (const [fields, status, field] of cases) {
      const res = await t.http().post('/api/v1/disposals').set(auth(producer.token)).send(disposal(batch.id, fields));
      expect({ fields, status: res.status }).toEqual({ fields, status });
      expect(JSON.stringify(res.body.details)).toContain(field);
    }
    await t.http().post('/api/v1/disposals').set(auth(stranger.token)).send(disposal(batch.id)).expect(404);
    const first = await t.http().post('/api/v1/disposals').set(auth(producer.token)).set('Idempotency-Key', 'disp-1').send(disposal(batch.id)).expect(201);
    const again = await t.http().post('/api/v1/disposals').set(auth(producer.token)).set('Idempotency-Key', 'disp-1').send(disposal(batch.id)).expect(201);
    expect(again.body.id).toBe(first.body.id);
    const listed = await t.http().get(`/api/v1/disposals?batchId=${batch.id}`).set(auth(regulator.token)).expect(200);
    expect(listed.body.items).toHaveLength(1);
  });

  it('counts disposal_rate: standing failures over the denominator, those a disposal names over the numerator', async () => {
    // This file's producer: two failures disposed (first and third test), one replaced by a passing recheck, one open now.
    await failedBatch();
    const res = await t.http().get('/api/v1/indicators').query({ indicator: 'disposal_rate', from: '2026-11', to: '2026-11' }).set(auth(producer.token)).expect(200);
    expect(res.body.rows).toEqual([expect.objectContaining({ indicator: 'disposal_rate', name: '不合格农产品处置率', numerator: '2', denominator: '3', met: false })]);
  });

  it('leaves no evidence file behind when the transaction does not commit', async () => {
    const { batch } = await failedBatch();
    const folder = join(t.config.filesDir, 'disposals');
    const files = async () => (await readdir(folder, { recursive: true }).catch(() => [] as string[])).sort();
    const before = await files();
    // A real failure after the files are written: the row's INSERT is refused by the database.
    const db = t.app.get(DataSource);
    await db.query(`CREATE FUNCTION refuse_disposal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await db.query('CREATE TRIGGER refuse_disposal BEFORE INSERT ON disposals FOR EACH ROW EXECUTE FUNCTION refuse_disposal()');
    try {
      await t.http().post('/api/v1/disposals').set(auth(producer.token))
        .send(disposal(batch.id, { evidence: [{ contentType: 'image/png', data: PNG }, { contentType: 'image/png', data: PNG }] })).expect(500);
    } finally {
      await db.query('DROP TRIGGER refuse_disposal ON disposals');
      await db.query('DROP FUNCTION refuse_disposal()');
    }
    expect(await files()).toEqual(before);
    expect((await t.http().get(`/api/v1/disposals?batchId=${batch.id}`).set(auth(producer.token)).expect(200)).body.items).toEqual([]);
    // the same request now commits, with its files
    const created = await t.http().post('/api/v1/disposals').set(auth(producer.token))
      .send(disposal(batch.id, { evidence: [{ contentType: 'image/png', data: PNG }] })).expect(201);
    expect(await files()).toEqual([...before, created.body.id, `${created.body.id}/1.png`].sort());
  });
});
