import { DataSource } from 'typeorm';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const COLLECT = { place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' };

/** Residue sampling end to end, jobs in-process (the same processors the worker runs). */
describe('sampling workflows', () => {
  let t: TestApp;
  let regulator: OrgWithKey;
  let lab: OrgWithKey;
  let otherLab: OrgWithKey;
  let producer: OrgWithKey;

  const createLab = (name: string) => createOrg(t, { name, kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
  const plan = (fields: Record<string, unknown> = {}) => ({
    name: '2026 例行监测', stream: 'routine_monitoring', regionCode: '510131', cadence: 'monthly', periodFrom: '2026-01-01', periodTo: '2026-12-31',
    categories: ['水果'], analytes: ['溴氰菊酯', '毒死蜱'], quotas: [{ county: '510131', category: '水果', count: 3 }], labOrganizationIds: [lab.id], ...fields,
  });
  const sampleOf = (id: string, token = regulator.token) => t.http().get(`/api/v1/sampling/samples/${id}`).set(auth(token));
  const judged = (id: string) => eventually(async () => {
    const res = await sampleOf(id);
    return res.body.status === 'judged' ? res.body : undefined;
  });
  /** A targeted sample of a fresh batch, collected and received by `lab`. */
  async function receivedSample(stream = 'supervisory_sampling') {
    const batch = await createBatch(t, producer.token);
    const created = await t.http().post('/api/v1/sampling/samples').set(auth(regulator.token))
      .send({ batchId: batch.id, stream, labOrganizationId: lab.id, analytes: ['溴氰菊酯'] }).expect(201);
    await t.http().post(`/api/v1/sampling/samples/${created.body.id}/collect`).set(auth(regulator.token)).send(COLLECT).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${created.body.id}/receive`).set(auth(lab.token)).expect(200);
    return { batch, sample: created.body as { id: string; sampleNo: string } };
  }

  beforeAll(async () => {
    t = await createTestApp();
    regulator = await createRegulator(t, '510131');
    lab = await createLab('四川省农产品质量安全检测中心');
    otherLab = await createLab('另一检测机构');
    producer = await createOrg(t);
  });
  afterAll(() => t.close());

  it('refuses plans with an unknown analyte or category (422, naming the field)', async () => {
    const a = await t.http().post('/api/v1/sampling/plans').set(auth(regulator.token)).send(plan({ analytes: ['不存在农药'] })).expect(422);
    expect(a.body).toMatchObject({ code: 'UNKNOWN_ANALYTE', details: { field: 'analytes[0]' } });
    const c = await t.http().post('/api/v1/sampling/plans').set(auth(regulator.token)).send(plan({ categories: ['火星蔬菜'] })).expect(422);
    expect(c.body).toMatchObject({ code: 'UNKNOWN_FOOD', details: { field: 'categories[0]' } });
    const l = await t.http().post('/api/v1/sampling/plans').set(auth(regulator.token)).send(plan({ labOrganizationIds: [producer.id] })).expect(422);
    expect(l.body.code).toBe('LAB_NOT_FOUND');
    await t.http().post('/api/v1/sampling/plans').set(auth(producer.token)).send(plan()).expect(403);
  });

  it('lets the issuing regulator change its plan by the same rules, and nobody else', async () => {
    const created = (await t.http().post('/api/v1/sampling/plans').set(auth(regulator.token)).send(plan()).expect(201)).body as { id: string };
    const changed = await t.http().put(`/api/v1/sampling/plans/${created.id}`).set(auth(regulator.token))
      .send(plan({ name: '2026 例行监测（修订）', quotas: [{ county: '510131', category: '水果', count: 5 }] })).expect(200);
    expect(changed.body).toMatchObject({ id: created.id, name: '2026 例行监测（修订）', quotas: [{ county: '510131', count: 5 }] });
    const bad = await t.http().put(`/api/v1/sampling/plans/${created.id}`).set(auth(regulator.token)).send(plan({ analytes: ['不存在农药'] })).expect(422);
    expect(bad.body).toMatchObject({ code: 'UNKNOWN_ANALYTE', details: { field: 'analytes[0]' } });
    const other = await createRegulator(t, '510100');
    await t.http().put(`/api/v1/sampling/plans/${created.id}`).set(auth(other.token)).send(plan()).expect(403);
    await t.http().put(`/api/v1/sampling/plans/${created.id}`).set(auth(producer.token)).send(plan()).expect(403);
  });

  it('generates a period once, with a recorded seed, assigning drawn batches to the plan labs', async () => {
    // The draw picks among every batch of the county: this file's other tests write to 蒲江县, not here.
    const county = '510121';
    const countyRegulator = await createRegulator(t, county);
    const site = await createSite(t, producer.token, { regionCode: county });
    const product = await createProduct(t, producer.token);
    for (let i = 0; i < 4; i++) await createBatch(t, producer.token, { producedOn: '2026-11-02', siteId: site.id, productId: product.id });
    const created = await t.http().post('/api/v1/sampling/plans').set(auth(countyRegulator.token))
      .send(plan({ regionCode: county, quotas: [{ county, category: '水果', count: 3 }] })).expect(201);
    const first = await t.http().post(`/api/v1/sampling/plans/${created.body.id}/rounds`).set(auth(countyRegulator.token)).send({ on: '2026-11-15' }).expect(201);
    expect(first.body).toMatchObject({ periodKey: '2026-11', periodFrom: '2026-11-01', periodTo: '2026-11-30', taskCount: 3 });
    expect(first.body.seed).toMatch(/^[0-9a-f]{24}$/);
    expect(first.body.draws[0]).toMatchObject({ wanted: 3, drawn: 3, candidates: 4 });
    const again = await t.http().post(`/api/v1/sampling/plans/${created.body.id}/rounds`).set(auth(countyRegulator.token)).send({ on: '2026-11-28' }).expect(200);
    expect(again.body.id).toBe(first.body.id);
    const tasks = await t.http().get(`/api/v1/sampling/samples?planId=${created.body.id}`).set(auth(countyRegulator.token)).expect(200);
    expect(tasks.body.items).toHaveLength(3);
    for (const s of tasks.body.items) {
      expect(s).toMatchObject({ status: 'planned', labOrganizationId: lab.id, stream: 'routine_monitoring', regionCode: county, categoryPath: KIWI });
      expect(s.sampleNo).toMatch(/^5101212026\d{6}$/);
    }
    // The lab sees its tasks; the other lab does not.
    const mine = await t.http().get(`/api/v1/sampling/samples?planId=${created.body.id}`).set(auth(lab.token)).expect(200);
    expect(mine.body.items).toHaveLength(3);
    const theirs = await t.http().get(`/api/v1/sampling/samples?planId=${created.body.id}`).set(auth(otherLab.token)).expect(200);
    expect(theirs.body.items).toHaveLength(0);
  });

  it('takes a sample through custody to a passing verdict, shown on the scan page without lab internals', async () => {
    const { batch, sample } = await receivedSample('routine_monitoring');
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/collect`).set(auth(regulator.token)).send(COLLECT).expect(409);
    const submitted = await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '10', unit: 'µg/kg', lod: '1', method: 'GB 23200.113-2018' }] }).expect(202);
    expect(submitted.body.status).toMatch(/tested|judged/);
    const done = await judged(sample.id);
    expect(done.verdict).toBe('pass');
    expect(done.custody.map((c: { status: string }) => c.status)).toEqual(['planned', 'collected', 'received', 'tested', 'judged']);
    expect(done.results[0]).toMatchObject({ analyte: '溴氰菊酯', verdict: 'pass', reason: 'within_limit', limitUsed: { limit: '0.05', unit: 'mg/kg', citation: 'GB 2763-2019' } });

    const records = await t.http().get(`/api/v1/batches/${batch.id}/test-records`).set(auth(producer.token)).expect(200);
    expect(records.body.items).toHaveLength(1);
    expect(records.body.items[0]).toMatchObject({ stream: 'routine_monitoring', verdict: 'pass', labOrganizationId: lab.id, reportNo: sample.sampleNo });
    const scan = await t.http().get(`/api/v1/scan/${batch.traceCode}`).expect(200);
    const text = JSON.stringify(scan.body);
    expect(text).toContain('例行监测');
    expect(text).not.toContain(sample.sampleNo);
    expect(text).not.toContain('GB 23200');
    expect(text).not.toContain('0.01');
    const page = await t.http().get(`/t/${batch.traceCode}`).expect(200);
    expect(page.text).toContain('例行监测');
    expect(page.text).not.toContain(sample.sampleNo);
  });

  it('answers bad results: unknown analyte 422, unconvertible unit 422, another lab 404, repeats without doubling', async () => {
    const { sample } = await receivedSample();
    const unknown = await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '不存在农药', value: '0.1', unit: 'mg/kg' }] }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_ANALYTE', details: { field: 'results[0].analyte' } });
    const unit = await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.1', unit: 'mg/L' }] }).expect(422);
    expect(unit.body.code).toBe('UNIT_NOT_CONVERTIBLE');
    const body = { results: [{ analyte: '溴氰菊酯', value: '0.01', unit: 'mg/kg' }] };
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(otherLab.token)).send(body).expect(404);
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token)).send(body).expect(202);
    const repeat = await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token)).send(body).expect(202);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.02', unit: 'mg/kg' }] }).expect(409);
    await judged(sample.id);
    const [{ n }] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM sample_results WHERE sample_id = $1', [sample.id]);
    expect(n).toBe(1);
    const [{ r }] = await t.app.get(DataSource).query('SELECT count(*)::int AS r FROM test_records WHERE sample_id = $1', [sample.id]);
    expect(r).toBe(1);
  });

  it('runs the consequence flow for a failure: hold, void, flag downstream lots, notifications; then a recheck replaces it once accepted', async () => {
    const { batch, sample } = await receivedSample();
    // part of the batch was already sold to a market: its inbound lot is downstream
    const market = await createOrg(t, { name: '成都农产品中心批发市场', kind: 'market', uscc: uniqueUscc('91', '510100'), regionCode: '510104' });
    const marketProduct = await createProduct(t, market.token);
    const marketSite = await createSite(t, market.token, { regionCode: '510104' });
    const shipment = await t.http().post('/api/v1/shipments').set(auth(producer.token))
      .send({ batchId: batch.id, toOrganizationId: market.id, quantity: { value: '100', unit: 'kg' } }).expect(201);
    const receipt = await t.http().post(`/api/v1/shipments/${shipment.body.id}/receipt`).set(auth(market.token))
      .send({ productId: marketProduct.id, siteId: marketSite.id }).expect(201);
    const downstreamLot = receipt.body.receivedBatch.id as string;
    expect(downstreamLot).toEqual(expect.any(String));
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.2', unit: 'mg/kg', lod: '0.005' }] }).expect(202);
    expect((await judged(sample.id)).verdict).toBe('fail');
    const done = await eventually(async () => {
      const res = await sampleOf(sample.id);
      return res.body.consequences.length === 4 ? res.body : undefined;
    });
    const steps = Object.fromEntries(done.consequences.map((c: { step: string; result: unknown }) => [c.step, c.result]));
    expect(done.consequences.map((c: { step: string }) => c.step)).toEqual(['hold_batch', 'void_certificates', 'flag_downstream', 'notify']);
    expect(steps.hold_batch).toMatchObject({ from: 'active', to: 'on_hold', changed: true });
    expect(steps.void_certificates).toEqual({ voided: [] });
    expect(steps.flag_downstream).toMatchObject({ supplyChainData: true, flagged: [downstreamLot] });
    const [flag] = await t.app.get(DataSource).query('SELECT batch_id FROM sampling_review_flags WHERE sample_id = $1', [sample.id]);
    expect(flag.batch_id).toBe(downstreamLot);
    expect(steps.notify.notifications).toBeGreaterThanOrEqual(2);
    const b = await t.http().get(`/api/v1/batches/${batch.id}`).set(auth(producer.token)).expect(200);
    expect(b.body.status).toBe('on_hold');
    const producerNotes = await t.http().get('/api/v1/notifications').set(auth(producer.token)).expect(200);
    expect(producerNotes.body.items.some((n: { kind: string }) => n.kind === 'sample.failed')).toBe(true);
    const regulatorNotes = await t.http().get('/api/v1/notifications').set(auth(regulator.token)).expect(200);
    expect(regulatorNotes.body.items.some((n: { kind: string }) => n.kind === 'sample.failed')).toBe(true);

    // Recheck (复检): asked by the producer, tested on the retained portion, replaces the first only when accepted.
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/recheck`).set(auth(lab.token)).send({ reason: 'x' }).expect(403);
    const recheck = await t.http().post(`/api/v1/sampling/samples/${sample.id}/recheck`).set(auth(producer.token)).send({ reason: '对检测结果有异议', labOrganizationId: otherLab.id }).expect(201);
    const again = await t.http().post(`/api/v1/sampling/samples/${sample.id}/recheck`).set(auth(producer.token)).send({ reason: '再次' }).expect(201);
    expect(again.body.id).toBe(recheck.body.id);
    expect(recheck.body).toMatchObject({ sampleNo: `${sample.sampleNo}-R`, recheckOf: sample.id, status: 'collected' });
    await t.http().post(`/api/v1/sampling/samples/${recheck.body.id}/receive`).set(auth(otherLab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${recheck.body.id}/results`).set(auth(otherLab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.03', unit: 'mg/kg' }] }).expect(202);
    expect((await judged(recheck.body.id)).verdict).toBe('pass');
    expect((await sampleOf(sample.id)).body.verdict).toBe('fail');
    const before = await t.http().get(`/api/v1/batches/${batch.id}/test-records`).set(auth(producer.token)).expect(200);
    expect(before.body.items.map((r: { verdict: string }) => r.verdict)).toEqual(['fail']);
    await t.http().post(`/api/v1/sampling/samples/${recheck.body.id}/accept`).set(auth(producer.token)).expect(403);
    const accepted = await t.http().post(`/api/v1/sampling/samples/${recheck.body.id}/accept`).set(auth(regulator.token)).expect(200);
    expect(accepted.body.acceptedAt).toBeTruthy();
    const first = (await sampleOf(sample.id)).body;
    expect(first).toMatchObject({ verdict: 'pass', replacedBy: recheck.body.id });
    const after = await t.http().get(`/api/v1/batches/${batch.id}/test-records`).set(auth(producer.token)).expect(200);
    expect(after.body.items).toHaveLength(1);
    expect(after.body.items[0]).toMatchObject({ verdict: 'pass', reportNo: `${sample.sampleNo}-R`, labOrganizationId: otherLab.id });
  });

  it('lets a regulator of the sample\'s region refuse a recheck with a reason (audited, idempotent, 409 once decided)', async () => {
    const { batch, sample } = await receivedSample();
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.3', unit: 'mg/kg' }] }).expect(202);
    expect((await judged(sample.id)).verdict).toBe('fail');
    const recheck = (await t.http().post(`/api/v1/sampling/samples/${sample.id}/recheck`).set(auth(producer.token)).send({ reason: '有异议' }).expect(201)).body as { id: string };
    const refuse = (token: string, body: object) => t.http().post(`/api/v1/sampling/samples/${recheck.id}/refuse`).set(auth(token)).send(body);
    // The regulator's to-do: rechecks neither adopted nor refused, with a verdict or not (here still at collection).
    const open = async () => ((await t.http().get('/api/v1/sampling/samples?recheck=open&limit=100').set(auth(regulator.token)).expect(200)).body.items as { id: string }[]).map((x) => x.id);
    expect(await open()).toContain(recheck.id);
    expect(await open()).not.toContain(sample.id);
    await t.http().get('/api/v1/sampling/samples?recheck=all').set(auth(regulator.token)).expect(400);
    const blank = await refuse(regulator.token, { reason: '  ' }).expect(400);
    expect(JSON.stringify(blank.body)).toContain('reason');
    await refuse(regulator.token, {}).expect(400);
    await refuse(producer.token, { reason: '自己拒绝' }).expect(403);
    const elsewhere = await createRegulator(t, '510600');
    await refuse(elsewhere.token, { reason: '别的辖区' }).expect(404);
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/refuse`).set(auth(regulator.token)).send({ reason: '不是复检' }).expect(422);
    const refused = await refuse(regulator.token, { reason: '留样已过保存期限' }).expect(200);
    expect(refused.body).toMatchObject({ id: recheck.id, refusalReason: '留样已过保存期限', acceptedAt: null });
    expect(refused.body.refusedAt).toEqual(expect.any(String));
    expect(refused.body.custody.at(-1)).toMatchObject({ note: 'recheck refused: 留样已过保存期限' });
    expect(await open()).not.toContain(recheck.id);
    const again = await refuse(regulator.token, { reason: '再说一次' }).expect(200);
    expect(again.body).toMatchObject({ refusedAt: refused.body.refusedAt, refusalReason: '留样已过保存期限' });
    // The refused recheck's result never replaces the first verdict, and it cannot be accepted any more.
    await t.http().post(`/api/v1/sampling/samples/${recheck.id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${recheck.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.01', unit: 'mg/kg' }] }).expect(202);
    await judged(recheck.id);
    const late = await t.http().post(`/api/v1/sampling/samples/${recheck.id}/accept`).set(auth(regulator.token)).expect(409);
    expect(late.body).toMatchObject({ code: 'RECHECK_ALREADY_DECIDED', details: { decision: 'refused' } });
    expect((await sampleOf(sample.id)).body).toMatchObject({ verdict: 'fail', replacedBy: null });
    const records = await t.http().get(`/api/v1/batches/${batch.id}/test-records`).set(auth(producer.token)).expect(200);
    expect(records.body.items.map((r: { verdict: string }) => r.verdict)).toEqual(['fail']);
    const audited = await eventually(async () => {
      const rows = await t.app.get(DataSource).query(
        "SELECT action FROM audit_log WHERE subject_type = 'samples' AND subject_id = $1 AND action = 'samples.update'", [recheck.id]) as unknown[];
      return rows.length ? rows : undefined;
    });
    expect(audited.length).toBeGreaterThanOrEqual(1);
  });

  it('answers 409 when refusing a recheck that was already accepted', async () => {
    const { sample } = await receivedSample();
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.3', unit: 'mg/kg' }] }).expect(202);
    await judged(sample.id);
    const recheck = (await t.http().post(`/api/v1/sampling/samples/${sample.id}/recheck`).set(auth(producer.token)).send({ reason: '有异议' }).expect(201)).body as { id: string };
    await t.http().post(`/api/v1/sampling/samples/${recheck.id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${recheck.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.01', unit: 'mg/kg' }] }).expect(202);
    await judged(recheck.id);
    await t.http().post(`/api/v1/sampling/samples/${recheck.id}/accept`).set(auth(regulator.token)).expect(200);
    const refused = await t.http().post(`/api/v1/sampling/samples/${recheck.id}/refuse`).set(auth(regulator.token)).send({ reason: '晚了' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'RECHECK_ALREADY_DECIDED', details: { decision: 'accepted' } });
  });

  it('takes thousands of results in one CSV and reports broken rows per row (a sample with a broken row is rejected whole)', async () => {
    const good = await receivedSample();
    const broken = await receivedSample();
    const csv = [
      'sample_no,analyte,value,unit,lod,loq,detected,method',
      `${good.sample.sampleNo},溴氰菊酯,0.01,mg/kg,0.001,0.003,,GB 23200.113-2018`,
      `${good.sample.sampleNo},毒死蜱,,mg/kg,0.005,,false,GB 23200.113-2018`,
      `${broken.sample.sampleNo},溴氰菊酯,0.01,mg/L,,,,`,
      `${broken.sample.sampleNo},不存在农药,0.01,mg/kg,,,,`,
      '9999999999999999,溴氰菊酯,0.01,mg/kg,,,,',
      'too,few,cells',
    ].join('\n');
    const res = await t.http().post('/api/v1/sampling/results.csv').set(auth(lab.token)).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(res.body).toMatchObject({
      accepted: { samples: 1, results: 2 }, duplicates: { samples: 0 }, rejected: { samples: 2, rows: 4 }, judgeJobs: 1, problemCount: 4, truncated: false,
    });
    expect(res.body.problems).toEqual([
      { row: 4, column: 'unit', code: 'UNIT_NOT_CONVERTIBLE', message: expect.stringMatching(/^row 4\.unit: /) },
      { row: 5, column: 'analyte', code: 'UNKNOWN_ANALYTE', message: expect.any(String) },
      { row: 6, column: 'sample_no', code: 'NOT_FOUND', message: expect.any(String) },
      { row: 7, column: null, code: 'BAD_ROW', message: 'expected 8 cells, found 3' },
    ]);
    expect((await judged(good.sample.id)).verdict).toBe('pass');
    expect((await sampleOf(broken.sample.id)).body.status).toBe('received');
    const repeat = await t.http().post('/api/v1/sampling/results.csv').set(auth(lab.token)).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(repeat.body).toMatchObject({ accepted: { samples: 0, results: 0 }, duplicates: { samples: 1, results: 2 } });
  });

  it('treats rapid screening as qualitative: a positive fails the screen, no limit, no consequence flow', async () => {
    const { batch, sample } = await receivedSample('rapid_test');
    await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', detected: true, value: '0.9', unit: 'mg/kg' }] }).expect(202);
    const done = await judged(sample.id);
    expect(done).toMatchObject({ verdict: 'fail', consequences: [] });
    expect(done.results[0]).toMatchObject({ value: null, reason: 'rapid_positive', limitUsed: null });
    const b = await t.http().get(`/api/v1/batches/${batch.id}`).set(auth(producer.token)).expect(200);
    expect(b.body.status).toBe('active');
  });
  it('counts sampling_density_per_1000: samples taken per 1,000 inhabitants, regions without a population figure reported as such', async () => {
    await receivedSample();
    const province = await createRegulator(t, '510000');
    const populations = await t.http().get('/api/v1/indicators/populations').set(auth(province.token)).expect(200);
    expect(populations.body.find((p: { regionCode: string }) => p.regionCode === '510100')).toMatchObject({ name: '成都市', population: 20937757, asOf: '2020-11-01', verified: false });
    const [{ n }] = await t.app.get(DataSource).query(
      `SELECT count(*)::int AS n FROM samples WHERE collected_at IS NOT NULL AND recheck_of IS NULL AND region_code LIKE '5101%'`) as { n: number }[];
    expect(n).toBeGreaterThan(0);
    const density = (token: string, query: Record<string, string>) => t.http().get('/api/v1/indicators')
      .query({ indicator: 'sampling_density_per_1000', from: '2026-01', to: '2026-12', ...query }).set(auth(token)).expect(200);
    // The province split into its prefectures: Chengdu has a population figure.
    const prefectures = await density(province.token, { region: '510000', groupBy: 'region' });
    expect(prefectures.body.rows).toEqual([expect.objectContaining({
      region: expect.objectContaining({ code: '510100' }), numerator: String(n), denominator: '20937757', rate: Math.round((n * 1000 / 20937757) * 10_000) / 10_000,
    })]);
    // Chengdu into its counties: none has a figure in the table: no rate, marked, never 0.
    const counties = await density(province.token, { region: '510100', groupBy: 'region' });
    expect(counties.body.rows).toEqual([expect.objectContaining({ region: expect.objectContaining({ code: '510131' }), numerator: String(n), rate: null, populationMissing: true })]);
    expect((await density(regulator.token, {})).body.rows).toEqual([expect.objectContaining({ rate: null, populationMissing: true })]);
    // By organisation: each one's samples over the queried region's population.
    const byOrganization = await density(province.token, { region: '510000', groupBy: 'organization' });
    expect(byOrganization.body.rows).toEqual([expect.objectContaining({ organization: expect.objectContaining({ id: producer.id }), numerator: String(n), denominator: '83674866' })]);
  });
});
