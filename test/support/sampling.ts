import { auth } from './factories';
import { eventually } from './processes';
import type { TestApp } from './test-app';

/**
 * A targeted sample of `batchId` that fails (溴氰菊酯 over the kiwi limit), judged, and the producer's
 * recheck of it: what a regulator's sample page offers to accept or refuse. Returns both ids.
 */
export async function failedSampleWithRecheck(t: TestApp, who: { regulator: string; lab: string; labId: string; producer: string }, batchId: string) {
  const sample = (await t.http().post('/api/v1/sampling/samples').set(auth(who.regulator))
    .send({ batchId, stream: 'supervisory_sampling', labOrganizationId: who.labId, analytes: ['溴氰菊酯'] }).expect(201)).body as { id: string };
  await t.http().post(`/api/v1/sampling/samples/${sample.id}/collect`).set(auth(who.regulator))
    .send({ place: '蒲江县西来镇基地', collectedAt: '2026-11-20T09:30:00+08:00', sampler: '张三' }).expect(200);
  await t.http().post(`/api/v1/sampling/samples/${sample.id}/receive`).set(auth(who.lab)).expect(200);
  await t.http().post(`/api/v1/sampling/samples/${sample.id}/results`).set(auth(who.lab))
    .send({ results: [{ analyte: '溴氰菊酯', value: '0.3', unit: 'mg/kg' }] }).expect(202);
  await eventually(async () => ((await t.http().get(`/api/v1/sampling/samples/${sample.id}`).set(auth(who.regulator))).body.status === 'judged' ? true : undefined));
  const recheck = (await t.http().post(`/api/v1/sampling/samples/${sample.id}/recheck`).set(auth(who.producer)).send({ reason: '对结果有异议' }).expect(201)).body as { id: string };
  return { sampleId: sample.id, recheckId: recheck.id };
}
