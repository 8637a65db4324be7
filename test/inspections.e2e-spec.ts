import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { InspectionsService } from '../src/modules/inspections';
import { auth, createOrg, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');
const ITEMS = ['production_records', 'banned_pesticides', 'pre_harvest_interval', 'input_use_records', 'labelling', 'packaging_waste', 'gi_use', 'quality_marks', 'sampling'];

/** Inspections (巡查检查): checklist versions, inspections with findings and photos, re-inspection, overdue alerts, coverage. */
describe('inspections', () => {
  let t: TestApp;
  let county: OrgWithKey;
  let province: OrgWithKey;
  let farm: OrgWithKey;
  let stranger: OrgWithKey;
  let elsewhere: OrgWithKey;
  let starterId: string;

  const results = (fail: string[] = []) => ITEMS.map((itemKey) => ({ itemKey, result: fail.includes(itemKey) ? 'fail' : itemKey === 'gi_use' ? 'na' : 'pass' }));
  const inspection = (fields: Record<string, unknown> = {}) => ({
    organizationId: farm.id, templateId: starterId, inspectedOn: '2026-11-23', inspectors: ['张三', '李四'], results: results(), ...fields,
  });
  const post = (body: Record<string, unknown>, token = county.token, key?: string) => {
    const req = t.http().post('/api/v1/inspections').set(auth(token));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const photoDirs = () => (existsSync(join(t.config.filesDir, 'inspections')) ? readdirSync(join(t.config.filesDir, 'inspections')) : []);

  beforeAll(async () => {
    t = await createTestApp();
    county = await createRegulator(t, '510131');
    province = await createRegulator(t, '510000');
    farm = await createOrg(t, { name: '西来猕猴桃合作社' });
    stranger = await createOrg(t, { name: '别的合作社' });
    elsewhere = await createOrg(t, { name: '外县合作社', regionCode: '510129', uscc: uniqueUscc('93', '510129') });
    const templates = await t.http().get('/api/v1/inspections/templates').set(auth(county.token)).expect(200);
    starterId = (templates.body as { id: string; code: string }[]).find((x) => x.code === 'planting')!.id;
  });
  afterAll(() => t.close());

  it('seeds the starter checklist as published and unverified; a provincial regulator versions it, a published version never changes', async () => {
    const starter = await t.http().get(`/api/v1/inspections/templates/${starterId}`).set(auth(farm.token)).expect(200);
    expect(starter.body).toMatchObject({ code: 'planting', version: 1, status: 'published', verified: false });
    expect(starter.body.items.map((i: { key: string }) => i.key)).toEqual(ITEMS);

    const draft = { code: 'planting', name: '种植业巡查表（2027）', source: '省农业农村厅 2027 年巡查表', items: [...starter.body.items, { key: 'cold_chain', text: '冷链运输记录' }] };
    await t.http().post('/api/v1/inspections/templates').set(auth(county.token)).send(draft).expect(403);
    const bad = await t.http().post('/api/v1/inspections/templates').set(auth(province.token)).send({ ...draft, items: [draft.items[0], draft.items[0]] }).expect(422);
    expect(bad.body).toMatchObject({ code: 'INVALID_CHECKLIST', details: { field: 'items[1].key', rule: 'unique' } });
    const v2 = await t.http().post('/api/v1/inspections/templates').set(auth(province.token)).send(draft).expect(201);
    expect(v2.body).toMatchObject({ version: 2, status: 'draft' });
    // A draft cannot be inspected with; it can be edited, then published; then it is frozen.
    const early = await post(inspection({ templateId: v2.body.id })).expect(422);
    expect(early.body.code).toBe('TEMPLATE_NOT_PUBLISHED');
    await t.http().put(`/api/v1/inspections/templates/${v2.body.id}`).set(auth(ADMIN_TOKEN)).send({ ...draft, verified: true }).expect(200);
    await t.http().post(`/api/v1/inspections/templates/${v2.body.id}/publish`).set(auth(province.token)).expect(201);
    const frozen = await t.http().put(`/api/v1/inspections/templates/${v2.body.id}`).set(auth(province.token)).send(draft).expect(409);
    expect(frozen.body.code).toBe('TEMPLATE_PUBLISHED');
    await expect(t.app.get(DataSource).query("UPDATE inspection_templates SET name = 'x' WHERE id = $1", [starterId])).rejects.toThrow(/immutable/);
  });

  it('refuses what an inspector may not record: another county, a lab, a producer, missing or bare failures, a bad photo', async () => {
    expect((await post(inspection({ organizationId: elsewhere.id })).expect(404)).body.code).toBe('NOT_FOUND');
    const lab = await createOrg(t, { name: '检测中心', kind: 'lab', uscc: uniqueUscc('12', '510131') }, 'lab');
    expect((await post(inspection({ organizationId: lab.id })).expect(422)).body.code).toBe('NOT_INSPECTABLE');
    await post(inspection(), farm.token).expect(403);
    const missing = await post(inspection({ results: results().slice(1) })).expect(422);
    expect(missing.body).toMatchObject({ code: 'INVALID_INSPECTION', details: { field: 'results', rule: 'every_item' } });
    const bare = await post(inspection({ results: results(['labelling']) })).expect(422);
    expect(bare.body).toMatchObject({ details: { field: 'findings', rule: 'finding_per_failure' } });
    const late = await post(inspection({ results: results(['labelling']), findings: [{ itemKey: 'labelling', description: '未开具合格证', severity: 'minor', deadline: '2027-06-01' }] })).expect(422);
    expect(late.body).toMatchObject({ details: { field: 'findings[0].deadline', rule: 'at_most_90_days' } });
    const gif = await post(inspection({ photos: [{ contentType: 'image/gif', data: PNG }] })).expect(422);
    expect(gif.body).toMatchObject({ code: 'INVALID_PHOTO', details: { field: 'photos[0]', rule: 'type' } });
    const fake = await post(inspection({ photos: [{ contentType: 'image/jpeg', data: PNG }] })).expect(422);
    expect(fake.body.details.rule).toBe('signature');
    // A finding's photo names the item of one of the inspection's findings.
    const stray = await post(inspection({ photos: [{ contentType: 'image/png', data: PNG, itemKey: 'sampling' }] })).expect(422);
    expect(stray.body).toMatchObject({ code: 'INVALID_PHOTO', details: { field: 'photos[0].itemKey', rule: 'finding_item' } });
    // Written, then the transaction failed (an unknown finding to close): the photo is gone again.
    await post(inspection({ photos: [{ contentType: 'image/png', data: PNG }], closeFindingIds: ['0b5e0e3c-1a2b-4c3d-8e9f-001122334455'] })).expect(404);
    expect(photoDirs()).toEqual([]);
  });

  it('records an inspection once with findings, deadlines and a photo; the organisation sees its open findings, a re-inspection closes them', async () => {
    const site = await createSite(t, farm.token);
    const body = inspection({
      siteId: site.id, results: results(['labelling', 'pre_harvest_interval']), photos: [{ contentType: 'image/png', data: PNG }],
      findings: [
        { itemKey: 'labelling', description: '部分包装未附承诺达标合格证', severity: 'minor' },
        { itemKey: 'pre_harvest_interval', description: '采收距末次施药不足安全间隔期', severity: 'serious' },
      ],
    });
    const created = await post(body, county.token, 'phone-form-0001').expect(201);
    // 5 and 15 working days after Monday 23 November 2026, the most urgent first.
    expect(created.body.findings.map((f: { deadline: string; severityName: string }) => [f.severityName, f.deadline])).toEqual([['严重', '2026-11-30'], ['一般', '2026-12-14']]);
    expect(created.body).toMatchObject({ organizationName: '西来猕猴桃合作社', template: { code: 'planting', version: 1 }, inspectors: ['张三', '李四'], photos: [{ contentType: 'image/png', bytes: 12, itemKey: null }] });
    const again = await post(body, county.token, 'phone-form-0001').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(created.body.id);
    expect(photoDirs()).toEqual([created.body.id]);
    const photo = await t.http().get(created.body.photos[0].url).set(auth(farm.token)).buffer(true).expect(200);
    expect(Buffer.from(photo.body as Buffer).toString('base64')).toBe(PNG);
    await t.http().get(created.body.photos[0].url).set(auth(stranger.token)).expect(404);
    await t.http().get(`/api/v1/inspections/${created.body.id}`).set(auth(stranger.token)).expect(404);

    const open = await t.http().get('/api/v1/inspections/findings').set(auth(farm.token)).expect(200);
    expect(open.body.items).toHaveLength(2);
    expect(open.body.items.map((f: { itemText: string }) => f.itemText).sort()).toEqual(['包装或标签标注符合规定（含承诺达标合格证）', '遵守农药安全间隔期']);
    expect((await t.http().get('/api/v1/inspections/findings').set(auth(stranger.token)).expect(200)).body.items).toEqual([]);
    const overdue = await t.http().get('/api/v1/inspections/findings?status=overdue').set(auth(county.token)).expect(200);
    expect(overdue.body.items.map((f: { deadline: string }) => f.deadline)).toContain('2026-11-30');

    const serious = created.body.findings.find((f: { severity: string }) => f.severity === 'serious');
    const recheck = await post(inspection({ inspectedOn: '2026-12-01', reinspectionOf: created.body.id, closeFindingIds: [serious.id] })).expect(201);
    expect(recheck.body).toMatchObject({ reinspectionOf: created.body.id, closedFindingIds: [serious.id] });
    const twice = await post(inspection({ inspectedOn: '2026-12-02', closeFindingIds: [serious.id] })).expect(409);
    expect(twice.body.code).toBe('FINDING_NOT_OPEN');
    const left = await t.http().get('/api/v1/inspections/findings').set(auth(farm.token)).expect(200);
    expect(left.body.items.map((f: { severity: string }) => f.severity)).toEqual(['minor']);
    const closed = await t.http().get('/api/v1/inspections/findings?status=closed').set(auth(farm.token)).expect(200);
    expect(closed.body.items).toEqual([expect.objectContaining({ id: serious.id, closedByInspectionId: recheck.body.id, closedOn: '2026-12-01', overdue: false })]);
  });

  it('alerts the organisation and the regulators once when a finding passes its deadline', async () => {
    const other = await createOrg(t, { name: '逾期合作社' });
    const created = await post(inspection({
      organizationId: other.id, results: results(['packaging_waste']), findings: [{ itemKey: 'packaging_waste', description: '农药包装随意丢弃', severity: 'minor', deadline: '2026-11-30' }],
    })).expect(201);
    const service = t.app.get(InspectionsService);
    const findingId = created.body.findings[0].id as string;
    expect(await service.alertOverdue(new Date('2026-11-30T12:00:00+08:00'))).not.toContain(findingId);
    expect(await service.alertOverdue(new Date('2026-12-01T00:30:00+08:00'))).toContain(findingId);
    expect(await service.alertOverdue(new Date('2026-12-02T00:30:00+08:00'))).not.toContain(findingId);
    const kinds = async (token: string) => ((await t.http().get('/api/v1/notifications').set(auth(token)).expect(200)).body.items as { kind: string; subject: { id: string } }[])
      .filter((n) => n.subject.id === findingId).map((n) => n.kind);
    expect(await kinds(other.token)).toEqual(['inspection.finding_overdue']);
    expect(await kinds(county.token)).toEqual(['inspection.finding_overdue']);
    expect(await kinds(province.token)).toEqual(['inspection.finding_overdue']);
  });

  it('counts inspection_coverage: organisations inspected this year over organisations in scope', async () => {
    const res = await t.http().get('/api/v1/indicators').query({ indicator: 'inspection_coverage', from: '2026-01', to: '2026-12', region: '510131' })
      .set(auth(county.token)).expect(200);
    // farm, stranger, 逾期合作社 (the lab and the regulators are not in scope); farm and 逾期合作社 inspected.
    expect(res.body.rows).toEqual([expect.objectContaining({ indicator: 'inspection_coverage', numerator: '2', denominator: '3' })]);
    const byOrg = await t.http().get('/api/v1/indicators').query({ indicator: 'inspection_coverage', from: '2026-12', to: '2026-12', groupBy: 'organization', region: '510131' })
      .set(auth(county.token)).expect(200);
    expect(byOrg.body.rows.find((r: { organization: { id: string } }) => r.organization.id === farm.id)).toMatchObject({ numerator: '1', denominator: '1' });
    const list = await t.http().get(`/api/v1/inspections?organizationId=${farm.id}`).set(auth(county.token)).expect(200);
    expect(list.body.items).toHaveLength(2);
  });
});
