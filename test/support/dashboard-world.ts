import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './factories';
import { eventually } from './processes';
import { TestApp } from './test-app';

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const QC = { basis: ['quality_control'], evidence: { qualityControl: '按生产技术规程生产，落实农药安全间隔期' } };
const COLLECT = { place: '基地', collectedAt: '2026-10-20T09:30:00+08:00', sampler: '张三' };

export interface DashboardWorld {
  bazhong: OrgWithKey;
  guangan: OrgWithKey;
  tongjiang: OrgWithKey & { name: string };
  nanjiang: OrgWithKey & { name: string };
  lab: OrgWithKey;
  batches: { certified: { id: string; lotCode: string; traceCode: string }; failed: { id: string; lotCode: string; traceCode: string }; nanjiang: { id: string; lotCode: string } };
  samples: { passed: string; failed: string; supervisory: string };
}

/**
 * 巴中市 (5119), which no other suite touches, so its figures are exact: a 市(州) regulator, two
 * cooperatives in 通江县 and 南江县, a lab; three batches (one with a certificate), three judged
 * samples: routine monitoring 1 of 2 passed (the failure: 溴氰菊酯 over its limit), supervisory 1 of 1.
 * And 广安市's regulator, next door, who must see none of it.
 */
export async function seedDashboardWorld(t: TestApp): Promise<DashboardWorld> {
  const bazhong = await createRegulator(t, '511900');
  const guangan = await createRegulator(t, '511600');
  const tongjiang = { ...(await createOrg(t, { name: '通江县银耳猕猴桃专业合作社', regionCode: '511921' })), name: '通江县银耳猕猴桃专业合作社' };
  const nanjiang = { ...(await createOrg(t, { name: '南江县金银花猕猴桃专业合作社', regionCode: '511922' })), name: '南江县金银花猕猴桃专业合作社' };
  const lab = await createOrg(t, { name: '巴中市农产品质量检测中心', kind: 'lab', uscc: uniqueUscc('12', '511902'), regionCode: '511902' }, 'lab');

  const kiwi = await createProduct(t, tongjiang.token, { name: '通江红心猕猴桃', category: KIWI });
  const site = await createSite(t, tongjiang.token, { name: '诺江镇基地', regionCode: '511921' });
  const certified = await createBatch(t, tongjiang.token, { productId: kiwi.id, siteId: site.id, lotCode: 'TJ-2026-001', producedOn: '2026-10-08' });
  const failed = await createBatch(t, tongjiang.token, { productId: kiwi.id, siteId: site.id, lotCode: 'TJ-2026-002', producedOn: '2026-10-09' });
  await t.http().post('/api/v1/certificates').set(auth(tongjiang.token)).send({ batchId: certified.id, ...QC }).expect(201);
  const nanjiangSite = await createSite(t, nanjiang.token, { name: '光雾山基地', regionCode: '511922' });
  const nanjiangBatch = await createBatch(t, nanjiang.token, { siteId: nanjiangSite.id, lotCode: 'NJ-2026-001', producedOn: '2026-10-10' });

  const sample = async (batchId: string, stream: string, value: string) => {
    const created = await t.http().post('/api/v1/sampling/samples').set(auth(bazhong.token))
      .send({ batchId, stream, labOrganizationId: lab.id, analytes: ['溴氰菊酯'] }).expect(201);
    const id = created.body.id as string;
    await t.http().post(`/api/v1/sampling/samples/${id}/collect`).set(auth(bazhong.token)).send(COLLECT).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${id}/receive`).set(auth(lab.token)).expect(200);
    await t.http().post(`/api/v1/sampling/samples/${id}/results`).set(auth(lab.token))
      .send({ results: [{ analyte: '溴氰菊酯', value, unit: 'mg/kg', lod: '0.005' }] }).expect(202);
    await eventually(async () => {
      const res = await t.http().get(`/api/v1/sampling/samples/${id}`).set(auth(bazhong.token));
      return res.body.status === 'judged' ? true : undefined;
    });
    return id;
  };
  const passed = await sample(certified.id, 'routine_monitoring', '0.01');
  const failedSample = await sample(failed.id, 'routine_monitoring', '0.2');
  const supervisory = await sample(nanjiangBatch.id, 'supervisory_sampling', '0.01');
  return {
    bazhong, guangan, tongjiang, nanjiang, lab,
    batches: { certified, failed, nanjiang: nanjiangBatch },
    samples: { passed, failed: failedSample, supervisory },
  };
}
