import { randomInt } from 'node:crypto';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './factories';
import { findRegion } from '../../src/modules/regions/domain/region-codes';
import { eventually } from './processes';
import { TestApp } from './test-app';

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const QC = { basis: ['quality_control'], evidence: { qualityControl: '按生产技术规程生产，落实农药安全间隔期' } };
const COLLECT = { place: '基地', collectedAt: '2026-10-20T09:30:00+08:00', sampler: '张三' };

/**
 * A 市(州) for one suite alone (suites share the run's database, and the figures must be exact): two
 * of its counties, where the lab sits, and a neighbouring 市(州) whose regulator must see none of it.
 */
export interface DashboardPlace {
  city: string;
  first: string;
  second: string;
  lab: string;
  neighbour: string;
}

/** 巴中市: 通江县, 南江县, the lab in 巴州区; 广安市 next door. */
export const BAZHONG: DashboardPlace = { city: '511900', first: '511921', second: '511922', lab: '511902', neighbour: '511600' };
/** 资阳市: 安岳县, 乐至县, the lab in 雁江区; 眉山市 next door. */
export const ZIYANG: DashboardPlace = { city: '512000', first: '512021', second: '512022', lab: '512002', neighbour: '511400' };

export interface DashboardWorld {
  place: DashboardPlace;
  /** The regulator of `place.city` and of `place.neighbour`. */
  bazhong: OrgWithKey;
  guangan: OrgWithKey;
  /** The cooperatives in `place.first` and `place.second`. */
  tongjiang: OrgWithKey & { name: string };
  nanjiang: OrgWithKey & { name: string };
  lab: OrgWithKey;
  gi: { id: string; name: string };
  batches: { certified: { id: string; lotCode: string; traceCode: string }; failed: { id: string; lotCode: string; traceCode: string }; nanjiang: { id: string; lotCode: string } };
  samples: { passed: string; failed: string; supervisory: string };
}

const nameOf = (code: string) => findRegion(code)!.name;

/**
 * A 市(州) regulator, two cooperatives in two of its counties, a lab; three batches (one with a
 * certificate and a GI claim), three judged samples: routine monitoring 1 of 2 passed (the failure: 溴氰菊酯 over its
 * limit), supervisory 1 of 1. And the regulator next door, who must see none of it.
 */
export async function seedDashboardWorld(t: TestApp, place: DashboardPlace = BAZHONG): Promise<DashboardWorld> {
  const bazhong = await createRegulator(t, place.city);
  const guangan = await createRegulator(t, place.neighbour);
  const coop = async (code: string, name: string) => ({ ...(await createOrg(t, { name, regionCode: code })), name });
  const tongjiang = await coop(place.first, `${nameOf(place.first)}银耳猕猴桃专业合作社`);
  const nanjiang = await coop(place.second, `${nameOf(place.second)}金银花猕猴桃专业合作社`);
  const lab = await createOrg(t, { name: `${nameOf(place.city)}农产品质量检测中心`, kind: 'lab', uscc: uniqueUscc('12', place.lab), regionCode: place.lab }, 'lab');

  const kiwi = await createProduct(t, tongjiang.token, { name: '红心猕猴桃', category: KIWI });
  const site = await createSite(t, tongjiang.token, { name: '第一基地', regionCode: place.first });
  const gi = await t.http().post('/api/v1/gi').set(auth(bazhong.token)).send({
    regime: 'gi_trademark', registrationNumber: String(80_000_000 + randomInt(9_999_999)), productName: `${nameOf(place.first)}猕猴桃`,
    holderUscc: uniqueUscc('12', place.first), holderName: `${nameOf(place.first)}猕猴桃协会`, areaCodes: [place.first],
  }).expect(201);
  await t.http().post(`/api/v1/gi/${gi.body.id}/authorisations`).set(auth(bazhong.token)).send({ organizationId: tongjiang.id, validFrom: '2026-01-01' }).expect(201);
  // Carries the GI mark: 1200.5 kg claimed.
  const certified = await createBatch(t, tongjiang.token, { productId: kiwi.id, siteId: site.id, lotCode: 'TJ-2026-001', producedOn: '2026-10-08', giId: gi.body.id });
  const failed = await createBatch(t, tongjiang.token, { productId: kiwi.id, siteId: site.id, lotCode: 'TJ-2026-002', producedOn: '2026-10-09' });
  await t.http().post('/api/v1/certificates').set(auth(tongjiang.token)).send({ batchId: certified.id, ...QC }).expect(201);
  const nanjiangSite = await createSite(t, nanjiang.token, { name: '第二基地', regionCode: place.second });
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
    place, bazhong, guangan, tongjiang, nanjiang, lab, gi: { id: gi.body.id, name: gi.body.productName },
    batches: { certified, failed, nanjiang: nanjiangBatch },
    samples: { passed, failed: failedSample, supervisory },
  };
}
