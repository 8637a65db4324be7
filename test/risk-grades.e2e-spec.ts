import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

const COLLECT = { place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' };
const ITEMS = ['production_records', 'banned_pesticides', 'pre_harvest_interval', 'input_use_records', 'labelling', 'packaging_waste', 'gi_use', 'quality_marks', 'sampling'];

/** Risk grades (风险分级): computed from evidence, reviewed, published, public per region, and weighting the sampling draw. */
describe('risk grades', () => {
  let t: TestApp;
  let county: OrgWithKey;
  let lab: OrgWithKey;
  let failing: OrgWithKey;
  let lagging: OrgWithKey;
  let clean: OrgWithKey;

  const grades = (token: string, query: Record<string, string> = {}) => t.http().get('/api/v1/risk-grades').query({ period: '2026', ...query }).set(auth(token));
  const gradeOf = async (orgId: string) => ((await grades(county.token, { organizationId: orgId }).expect(200)).body.items[0]);

  beforeAll(async () => {
    t = await createTestApp();
    county = await createRegulator(t, '510131');
    lab = await createOrg(t, { name: '检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    failing = await createOrg(t, { name: '抽检不合格合作社' });
    lagging = await createOrg(t, { name: '整改逾期合作社' });
    clean = await createOrg(t, { name: '无问题合作社' });

    // Evidence: a failed sample of `failing`…
    const batch = await createBatch(t, failing.token);
    const sample = await t.http().post('/api/v1/sampling/samples').set(auth(county.token))
      .send({ batchId: batch.id, stream: 'supervisory_sampling', labOrganizationId: lab.id, analytes: ['溴氰菊酯'] }).expect(201);
    await t.http().post(`/api/v1/sampling/samples/${sample.body.id}/collect`).set(auth(county.token)).send(COLLECT).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${sample.body.id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${sample.body.id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value: '0.2', unit: 'mg/kg' }] }).expect(202);
    await eventually(async () => ((await t.http().get(`/api/v1/sampling/samples/${sample.body.id}`).set(auth(county.token))).body.status === 'judged' ? true : undefined));
    // …and an inspection finding of `lagging` past its deadline.
    const templates = await t.http().get('/api/v1/inspections/templates').set(auth(county.token)).expect(200);
    await t.http().post('/api/v1/inspections').set(auth(county.token)).send({
      organizationId: lagging.id, templateId: templates.body[0].id, inspectedOn: '2026-11-02', inspectors: ['张三'],
      results: ITEMS.map((itemKey) => ({ itemKey, result: itemKey === 'labelling' ? 'fail' : 'pass' })),
      findings: [{ itemKey: 'labelling', description: '未开具合格证', severity: 'minor', deadline: '2026-11-20' }],
    }).expect(201);
  });
  afterAll(() => t.close());

  it('grades every organisation of the region from its evidence, by the rule of its product group', async () => {
    const rules = await t.http().get('/api/v1/risk-grades/rules').set(auth(county.token)).expect(200);
    expect(rules.body.map((r: { productGroup: string; verified: boolean }) => [r.productGroup, r.verified])).toEqual([['', false], ['蔬菜', false], ['饮料类>茶叶', false]]);
    await t.http().post('/api/v1/risk-grades/compute').set(auth(failing.token)).send({ regionCode: '510131', period: '2026' }).expect(403);
    expect((await t.http().post('/api/v1/risk-grades/compute').set(auth(county.token)).send({ regionCode: '510100', period: '2026' }).expect(422)).body.code).toBe('REGION_OUTSIDE_JURISDICTION');
    expect((await t.http().post('/api/v1/risk-grades/compute').set(auth(county.token)).send({ regionCode: '510131', period: '2026-Q5' }).expect(422)).body.code).toBe('INVALID_PERIOD');

    const computed = await t.http().post('/api/v1/risk-grades/compute').set(auth(county.token)).send({ regionCode: '510131', period: '2026' }).expect(201);
    // The three cooperatives (the lab and the regulator are not graded). The failed kiwi batch also has no certificate: 40 + 2.
    expect(computed.body).toMatchObject({ graded: 3, byGrade: { high: 1, medium: 1, low: 1 } });
    expect(await gradeOf(failing.id)).toMatchObject({ grade: 'high', score: '42', evidence: expect.objectContaining({ failedSamples: 1, certificateGaps: 1 }), status: 'draft', drawWeight: '4' });
    expect(await gradeOf(lagging.id)).toMatchObject({ grade: 'medium', score: '20', evidence: expect.objectContaining({ openFindings: 1, overdueFindings: 1 }) });
    expect(await gradeOf(clean.id)).toMatchObject({ grade: 'low', score: '0', category: '' });
    expect((await gradeOf(failing.id)).category).toMatch(/^水果>/);
    // Drafts are the regulators' own until published.
    expect((await grades(failing.token).expect(200)).body.items).toEqual([]);
  });

  it('takes a reviewer\'s override with a reason, publishes, and then the grade is public and fixed', async () => {
    const draft = await gradeOf(lagging.id);
    const noReason = await t.http().patch(`/api/v1/risk-grades/${draft.id}`).set(auth(county.token)).send({ grade: 'low', reason: ' ' }).expect(422);
    expect(noReason.body).toMatchObject({ code: 'INVALID_OVERRIDE', details: { field: 'reason' } });
    await t.http().patch(`/api/v1/risk-grades/${draft.id}`).set(auth(failing.token)).send({ grade: 'low', reason: '已整改到位' }).expect(403);
    const overridden = await t.http().patch(`/api/v1/risk-grades/${draft.id}`).set(auth(county.token)).send({ grade: 'low', reason: '复查时已整改到位' }).expect(200);
    expect(overridden.body).toMatchObject({ grade: 'low', computedGrade: 'medium', override: { reason: '复查时已整改到位' }, drawWeight: '1' });
    // Recomputing keeps the reviewer's grade.
    await t.http().post('/api/v1/risk-grades/compute').set(auth(county.token)).send({ regionCode: '510131', period: '2026' }).expect(201);
    expect(await gradeOf(lagging.id)).toMatchObject({ grade: 'low', computedGrade: 'medium' });

    expect((await t.http().post('/api/v1/risk-grades/publish').set(auth(county.token)).send({ regionCode: '510131', period: '2026' }).expect(201)).body).toEqual({ published: 3 });
    await t.http().patch(`/api/v1/risk-grades/${draft.id}`).set(auth(county.token)).send({ grade: 'high', reason: '再次发现问题' }).expect(409);
    const again = await t.http().post('/api/v1/risk-grades/compute').set(auth(county.token)).send({ regionCode: '510131', period: '2026' }).expect(201);
    expect(again.body.graded).toBe(0);

    const published = await t.http().get('/api/v1/risk-grades/published').query({ region: '510131', period: '2026' }).expect(200);
    expect(published.body.items.map((g: { organizationName: string; gradeName: string }) => `${g.organizationName}:${g.gradeName}`).sort())
      .toEqual(['抽检不合格合作社:高风险', '整改逾期合作社:低风险', '无问题合作社:低风险']);
    expect(published.body.items[0]).not.toHaveProperty('evidence');
    expect((await grades(failing.token).expect(200)).body.items).toEqual([expect.objectContaining({ grade: 'high', status: 'published' })]);
    const indicator = await t.http().get('/api/v1/indicators').query({ indicator: 'high_risk_organizations', from: '2026-01', to: '2026-12', region: '510131' }).set(auth(county.token)).expect(200);
    expect(indicator.body.rows).toEqual([expect.objectContaining({ numerator: '1', denominator: '3' })]);
  });

  it('sets the inspection frequency: the published grade\'s interval since the last inspection, or never inspected', async () => {
    const frequency = await t.http().get('/api/v1/inspections/frequency').set(auth(county.token)).expect(200);
    expect(frequency.body.map((r: { grade: string; intervalMonths: number; verified: boolean }) => [r.grade, r.intervalMonths, r.verified]))
      .toEqual([['high', 3, false], ['medium', 6, false], ['low', 12, false], ['ungraded', 12, false]]);
    expect(frequency.body[0].source).toMatch(/not an official rule/);

    const due = async (on: string, query: Record<string, string> = {}) => (await t.http().get('/api/v1/inspections/due').query({ on, ...query }).set(auth(county.token)).expect(200)).body;
    // Published (previous test): failing high and clean low, never inspected; lagging low (override), inspected 2026-11-02.
    const now = await due('2026-12-05');
    expect(now.items.map((d: { organizationName: string; grade: string; reason: string }) => [d.organizationName, d.grade, d.reason]))
      .toEqual([['抽检不合格合作社', 'high', 'never_inspected'], ['无问题合作社', 'low', 'never_inspected']]);
    expect(now.total).toBe(2);
    // A year on, the low-risk one's interval has passed.
    const later = await due('2027-11-02');
    expect(later.items.find((d: { organizationId: string }) => d.organizationId === lagging.id))
      .toMatchObject({ grade: 'low', intervalMonths: 12, lastInspectedOn: '2026-11-02', reason: 'interval_passed', dueOn: '2027-11-02' });
    expect((await due('2027-11-01')).total).toBe(2);
    // The high-risk one inspected: due again three months later, not before.
    const templates = await t.http().get('/api/v1/inspections/templates').set(auth(county.token)).expect(200);
    await t.http().post('/api/v1/inspections').set(auth(county.token)).send({
      organizationId: failing.id, templateId: templates.body[0].id, inspectedOn: '2026-12-01', inspectors: ['张三'],
      results: ITEMS.map((itemKey) => ({ itemKey, result: 'pass' })),
    }).expect(201);
    expect((await due('2027-02-28')).items.map((d: { organizationId: string }) => d.organizationId)).toEqual([clean.id]);
    // Never inspected first, then by the day they fell due.
    expect((await due('2027-03-01')).items[1]).toMatchObject({ organizationId: failing.id, grade: 'high', intervalMonths: 3, reason: 'interval_passed', dueOn: '2027-03-01' });

    // Pages, jurisdiction, roles.
    const first = await due('2027-03-01', { limit: '1' });
    expect(first.items).toHaveLength(1);
    const second = await due('2027-03-01', { limit: '1', cursor: first.nextCursor });
    expect([first.items[0].organizationId, second.items[0].organizationId]).toEqual([clean.id, failing.id]);
    expect(second.nextCursor).toBeNull();
    await t.http().get('/api/v1/inspections/due').query({ region: '510100' }).set(auth(county.token)).expect(404);
    expect((await t.http().get('/api/v1/inspections/due').query({ region: '5101' }).set(auth(county.token)).expect(400)).body.details).toMatchObject({ field: 'region' });
    await t.http().get('/api/v1/inspections/due').set(auth(failing.token)).expect(403);
  });

  it('draws high-risk organisations more often: their published grade replaces the failure weight', async () => {
    // Two producers in 大邑县, one batch each; one graded high, one low.
    const regulator = await createRegulator(t, '510129');
    const [risky, safe] = [await createOrg(t, { name: '高风险果园', regionCode: '510129', uscc: uniqueUscc('93', '510129') }), await createOrg(t, { name: '低风险果园', regionCode: '510129', uscc: uniqueUscc('93', '510129') })];
    for (const org of [risky, safe]) {
      await createBatch(t, org.token, { producedOn: '2026-11-02', siteId: (await createSite(t, org.token, { regionCode: '510129' })).id, productId: (await createProduct(t, org.token)).id });
    }
    await t.http().post('/api/v1/risk-grades/compute').set(auth(regulator.token)).send({ regionCode: '510129', period: '2026' }).expect(201);
    const draft = (await grades(regulator.token, { organizationId: risky.id }).expect(200)).body.items[0];
    await t.http().patch(`/api/v1/risk-grades/${draft.id}`).set(auth(regulator.token)).send({ grade: 'high', reason: '举报线索：多次违规使用禁限用农药' }).expect(200);
    await t.http().post('/api/v1/risk-grades/publish').set(auth(regulator.token)).send({ regionCode: '510129', period: '2026' }).expect(201);

    // 50 draws of one batch out of the two: weight 4 against 1 (uniformly it would be about 25).
    let riskyDrawn = 0;
    for (let i = 0; i < 50; i++) {
      const plan = await t.http().post('/api/v1/sampling/plans').set(auth(regulator.token)).send({
        name: `2026 监督抽查 ${i}`, stream: 'supervisory_sampling', regionCode: '510129', cadence: 'monthly', periodFrom: '2026-11-01', periodTo: '2026-11-30',
        categories: ['水果'], analytes: ['溴氰菊酯'], quotas: [{ county: '510129', category: '水果', count: 1 }], labOrganizationIds: [lab.id],
      }).expect(201);
      await t.http().post(`/api/v1/sampling/plans/${plan.body.id}/rounds`).set(auth(regulator.token)).send({ on: '2026-11-15' }).expect(201);
      const samples = await t.http().get('/api/v1/sampling/samples').query({ planId: plan.body.id }).set(auth(regulator.token)).expect(200);
      expect(samples.body.items).toHaveLength(1);
      if (samples.body.items[0].organizationId === risky.id) riskyDrawn++;
    }
    // Expected 40 (sd 2.8); 32 or more is improbable for a uniform draw (p ≈ 2 %), below it for 4:1 (p ≈ 0.2 %).
    expect(riskyDrawn).toBeGreaterThanOrEqual(32);
  });
});
