import { DataSource } from 'typeorm';
import { chinaDate } from '../libs/codes/calendar-date';
import { assertEpcisDocument } from '../libs/epcis';
import { PhiGateService } from '../src/modules/farm-inputs';
import { addDays } from '../src/modules/farm-inputs/domain/crop-rules';
import { checkGate, GateInput } from '../src/modules/farm-inputs/domain/phi-gate';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, OrgWithKey } from './support/factories';
import { ConsoleClient, consoleUser } from './support/console';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const CABBAGE = '蔬菜>叶菜类蔬菜>普通白菜';
const PORK = '肉类>畜肉>猪肉';

/** A date `days` from today in China (negative: in the past). */
function day(days: number): string {
  return chinaDate(Date.now() + days * 86_400_000);
}

let serial = 10_000 + Math.floor(Math.random() * 80_000);
const regNo = () => `PD20${String(serial++).padStart(6, '0')}`;

describe('farm inputs: catalogue, farm records, the safe-interval gate', () => {
  let t: TestApp;
  let db: DataSource;
  let coop: OrgWithKey;
  let other: OrgWithKey;
  let sichuan: OrgWithKey;
  let pujiang: OrgWithKey;
  let site: { id: string };
  let kiwi: { id: string };
  let cabbage: { id: string };
  let deltamethrin: { id: string; registrationNumber: string };

  const pesticide = (fields: Record<string, unknown> = {}) => ({
    kind: 'pesticide', name: '2.5%溴氰菊酯乳油', registrationNumber: regNo(), holder: '示例农药有限公司',
    activeIngredients: [{ analyte: '溴氰菊酯', content: '2.5%' }],
    cropRules: [{ category: '水果', intervalDays: 14 }, { category: KIWI, intervalDays: 21, maxDose: { value: '40', unit: 'mL/亩' } }, { category: CABBAGE, intervalDays: 2 }],
    flags: { lowRisk: true }, verified: false, source: '示例', ...fields,
  });
  const application = (fields: Record<string, unknown> = {}) => ({
    siteId: site.id, inputId: deltamethrin.id, crop: KIWI, appliedAt: `${day(-30)}T08:30:00+08:00`,
    dose: { value: '150', unit: 'mL' }, area: { value: '5', unit: '亩' }, target: '蚜虫', operator: '王建国', ...fields,
  });
  const record = async (fields: Record<string, unknown> = {}) =>
    (await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application(fields)).expect(201)).body as { id: string; warnings: unknown[] };
  const batch = (productId: string, fields: Record<string, unknown>) =>
    t.http().post('/api/v1/batches').set(auth(coop.token)).send({ productId, siteId: site.id, quantity: { value: '100', unit: 'kg' }, producedOn: day(0), ...fields });

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    other = await createOrg(t, { name: '另一个合作社' });
    sichuan = await createRegulator(t, '510000');
    pujiang = await createRegulator(t, '510131');
    site = await createSite(t, coop.token);
    kiwi = await createProduct(t, coop.token);
    cabbage = await createProduct(t, coop.token, { name: '小白菜', category: CABBAGE });
    const res = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide());
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    deltamethrin = res.body;
  });
  afterAll(() => t.close());

  describe('catalogue', () => {
    it('admin and provincial regulators write; county regulators and producers may not; every role reads', async () => {
      await t.http().post('/api/v1/inputs').set(auth(sichuan.token)).send(pesticide()).expect(201);
      await t.http().post('/api/v1/inputs').set(auth(pujiang.token)).send(pesticide()).expect(403);
      await t.http().post('/api/v1/inputs').set(auth(coop.token)).send(pesticide()).expect(403);
      const read = await t.http().get(`/api/v1/inputs/${deltamethrin.id}`).set(auth(coop.token)).expect(200);
      expect(read.body).toMatchObject({
        kind: 'pesticide', kindName: '农药', registrationLegacy: false, activeIngredients: [{ analyte: '溴氰菊酯', content: '2.5%' }],
        flags: { banned: false, lowRisk: true }, verified: false, source: '示例',
      });
      expect(read.body.cropRules).toContainEqual({ category: KIWI, intervalDays: 21, maxDose: { value: '40', unit: 'mL/亩' } });
      const list = await t.http().get('/api/v1/inputs?kind=pesticide&limit=1').set(auth(pujiang.token)).expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.nextCursor).toEqual(expect.any(String));
      await t.http().get('/api/v1/inputs').expect(401);
    });

    it('checks registration numbers, analytes, categories and doses, naming the field', async () => {
      const bad = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide({ registrationNumber: 'PD2019001' })).expect(400);
      expect(bad.body).toMatchObject({ code: 'INVALID_REGISTRATION_NUMBER', details: { field: 'registrationNumber', rule: 'registration_format' } });
      const legacy = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide({ registrationNumber: `LS20${String(serial++).padStart(6, '0')}` })).expect(201);
      expect(legacy.body.registrationLegacy).toBe(true);
      const analyte = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide({ activeIngredients: [{ analyte: '不存在的农药' }] })).expect(422);
      expect(analyte.body).toMatchObject({ code: 'UNKNOWN_ANALYTE', details: { field: 'activeIngredients[0].analyte' } });
      const category = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide({ cropRules: [{ category: '水果>火星果', intervalDays: 3 }] })).expect(400);
      expect(category.body).toMatchObject({ code: 'UNKNOWN_CATEGORY', details: { field: 'cropRules[0].category' } });
      const dose = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide({ cropRules: [{ category: '水果', intervalDays: 3, maxDose: { value: '3', unit: '箱/亩' } }] })).expect(400);
      expect(dose.body).toMatchObject({ code: 'INVALID_DOSE', details: { field: 'cropRules[0].maxDose.unit' } });
      const dup = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide({ registrationNumber: deltamethrin.registrationNumber })).expect(409);
      expect(dup.body.code).toBe('DUPLICATE_INPUT');
      // An active ingredient the limits catalogue flags as banned bans the input.
      const banned = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide({ name: '3%克百威颗粒剂', activeIngredients: [{ analyte: '克百威' }] })).expect(201);
      expect(banned.body.flags.banned).toBe(true);
    });

    it('imports CSV all or nothing with the shared report; a re-import changes nothing', async () => {
      const header = 'kind,name,registration_number,holder,active_ingredients,crop_rules,banned,restricted,low_risk,slow_release,organic,verified,source,note';
      const a = regNo();
      const good = `${header}\npesticide,10%吡虫啉可湿性粉剂,${a},示例,吡虫啉 10%,"${CABBAGE}:7:20g/亩; 水果:21:",no,no,yes,no,no,no,示例,\nfertiliser,商品有机肥,,示例,,,no,no,no,no,yes,no,示例,\n`;
      const first = await t.http().post('/api/v1/inputs/import').set(auth(sichuan.token)).set('Content-Type', 'text/csv').send(good).expect(200);
      expect(first.body).toEqual({ rowCount: 2, created: 2, updated: 0, unchanged: 0 });
      const again = await t.http().post('/api/v1/inputs/import').set(auth(sichuan.token)).set('Content-Type', 'text/csv').send(good).expect(200);
      expect(again.body).toEqual({ rowCount: 2, created: 0, updated: 0, unchanged: 2 });
      const imported = await t.http().get(`/api/v1/inputs?registrationNumber=${a}`).set(auth(coop.token)).expect(200);
      expect(imported.body.items[0]).toMatchObject({ name: '10%吡虫啉可湿性粉剂', flags: { lowRisk: true }, cropRules: [{ category: CABBAGE, intervalDays: 7, maxDose: { value: '20', unit: 'g/亩' } }, { category: '水果', intervalDays: 21, maxDose: null }] });

      const b = regNo();
      const broken = `${header}\npesticide,好的一行,${b},示例,,,no,no,no,no,no,no,示例,\npesticide,坏登记证,PDX,示例,,,no,no,no,no,no,no,示例,\nherbicide,坏种类,,示例,,,no,no,no,no,no,no,示例,\npesticide,坏作物,${regNo()},示例,,火星:3:,no,no,no,no,no,no,示例,\n`;
      const rejected = await t.http().post('/api/v1/inputs/import').set(auth(ADMIN_TOKEN)).set('Content-Type', 'text/csv').send(broken).expect(422);
      expect(rejected.body).toMatchObject({ code: 'INPUT_IMPORT_REJECTED', details: { rowCount: 4, problemCount: 3, truncated: false } });
      expect(rejected.body.details.problems).toEqual([
        expect.objectContaining({ row: 3, column: 'registration_number', code: 'INVALID_REGISTRATION_NUMBER' }),
        expect.objectContaining({ row: 4, column: 'kind', code: 'VALIDATION_FAILED' }),
        expect.objectContaining({ row: 5, column: 'crop_rules', code: 'UNKNOWN_CATEGORY' }),
      ]);
      const none = await t.http().get(`/api/v1/inputs?registrationNumber=${b}`).set(auth(coop.token)).expect(200);
      expect(none.body.items).toEqual([]);
      await t.http().post('/api/v1/inputs/import').set(auth(pujiang.token)).set('Content-Type', 'text/csv').send(good).expect(403);
    });
  });

  describe('farm records', () => {
    it('records an application, warns above the label maximum dose, and keeps it immutable', async () => {
      const ok = await record();
      expect(ok.warnings).toEqual([]);
      const over = await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ dose: { value: '0.5', unit: 'L' }, area: { value: '5', unit: '亩' } })).expect(201);
      expect(over.body.warnings).toEqual([expect.objectContaining({ rule: 'max_dose', applied: '100 mL/亩', limit: '40 mL/亩' })]);
      expect(over.body).toMatchObject({ status: 'recorded', input: { id: deltamethrin.id, kindName: '农药' }, operator: '王建国', flags: { lowRisk: true } });

      const patch = await t.http().patch(`/api/v1/input-applications/${ok.id}`).set(auth(coop.token)).send({ target: '红蜘蛛' }).expect(409);
      expect(patch.body.code).toBe('APPLICATION_IMMUTABLE');
      const del = await t.http().delete(`/api/v1/input-applications/${ok.id}`).set(auth(coop.token)).expect(409);
      expect(del.body).toMatchObject({ code: 'RECORD_RETAINED', details: { rule: 'retention' } });

      const voided = await t.http().post(`/api/v1/input-applications/${over.body.id}/void`).set(auth(coop.token)).send({ reason: '剂量录错' }).expect(200);
      expect(voided.body).toMatchObject({ status: 'voided', voidReason: '剂量录错' });
      await t.http().post(`/api/v1/input-applications/${over.body.id}/void`).set(auth(coop.token)).send({ reason: '再次' }).expect(409);
      const again = await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application({ replacesId: over.body.id })).expect(201);
      expect(again.body.replacesId).toBe(over.body.id);
      const notVoided = await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application({ replacesId: ok.id })).expect(409);
      expect(notVoided.body).toMatchObject({ code: 'APPLICATION_IMMUTABLE', details: { field: 'replacesId' } });
      const audit = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE subject_id = $1", [over.body.id]) as { n: number }[];
      expect(audit[0].n).toBeGreaterThanOrEqual(2);
    });

    it('fills the input from a scanned label code and refuses one whose digits 2–7 do not match', async () => {
      const digits = deltamethrin.registrationNumber.slice(-6);
      const code = `1${digits}1001${'1'.repeat(21)}`;
      const scanned = await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ inputId: undefined, labelCode: `https://example.cn/q?c=${code}` })).expect(201);
      expect(scanned.body).toMatchObject({ input: { id: deltamethrin.id }, labelCode: code });
      const wrong = `1${'999999'}1001${'1'.repeat(21)}`;
      const mismatch = await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application({ labelCode: wrong })).expect(422);
      expect(mismatch.body).toMatchObject({ code: 'LABEL_CODE_MISMATCH', details: { field: 'labelCode', rule: 'matches_registration' } });
      const short = await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application({ labelCode: '12345' })).expect(400);
      expect(short.body).toMatchObject({ code: 'INVALID_LABEL_CODE', details: { field: 'labelCode' } });
    });

    it('refuses bad input naming the field, and another organisation\'s site as not found', async () => {
      const cases: [Record<string, unknown>, number, string, string][] = [
        [{ dose: { value: '3', unit: '箱' } }, 400, 'INVALID_DOSE', 'dose.unit'],
        [{ area: { value: '3', unit: 'kg' } }, 400, 'INVALID_DOSE', 'area.unit'],
        [{ appliedAt: `${day(3)}T08:00:00+08:00` }, 400, 'VALIDATION_FAILED', 'appliedAt'],
        [{ appliedAt: '2020-01-01T08:00:00+08:00' }, 400, 'VALIDATION_FAILED', 'appliedAt'],
        [{ earTags: ['151013100000123', '15101310000012'] }, 400, 'INVALID_EAR_TAG', 'earTags[1]'],
        [{ crop: '水果>火星果' }, 400, 'UNKNOWN_CATEGORY', 'crop'],
        [{ inputId: '00000000-0000-4000-8000-000000000000' }, 404, 'NOT_FOUND', 'inputId'],
        [{ seedUnitCode: '51013100100000000001' }, 400, 'VALIDATION_FAILED', 'seedUnitCode'],
      ];
      for (const [fields, status, code, field] of cases) {
        const res = await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application(fields)).expect(status);
        expect(res.body).toMatchObject({ code, details: expect.objectContaining({ field }) });
      }
      const foreign = await t.http().post('/api/v1/input-applications').set(auth(other.token)).send(application()).expect(404);
      expect(foreign.body).toMatchObject({ code: 'NOT_FOUND', details: { field: 'siteId' } });
      const mine = await record();
      await t.http().get(`/api/v1/input-applications/${mine.id}`).set(auth(other.token)).expect(404);
      await t.http().post(`/api/v1/input-applications/${mine.id}/void`).set(auth(other.token)).send({ reason: 'x' }).expect(404);
      await t.http().get(`/api/v1/input-applications/${mine.id}`).set(auth(pujiang.token)).expect(200);
    });

    it('lists with the shared pagination, scoped to the organisation', async () => {
      const page = await t.http().get('/api/v1/input-applications?limit=2').set(auth(coop.token)).expect(200);
      expect(page.body.items).toHaveLength(2);
      const next = await t.http().get(`/api/v1/input-applications?limit=2&cursor=${page.body.nextCursor}`).set(auth(coop.token)).expect(200);
      expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
      const theirs = await t.http().get('/api/v1/input-applications').set(auth(other.token)).expect(200);
      expect(theirs.body.items).toEqual([]);
      await t.http().get('/api/v1/input-applications?cursor=bogus').set(auth(coop.token)).expect(400);
    });

    it('exports the records as EPCIS 2.0 ObjectEvents (valid against the schema), voided ones with an error declaration', async () => {
      const first = await t.http().get('/api/v1/input-applications/epcis?limit=2').set(auth(coop.token)).expect(200);
      expect(first.headers['content-type']).toContain('application/ld+json');
      expect(first.headers.link).toMatch(/rel="next"/);
      expect(() => assertEpcisDocument(first.body)).not.toThrow();
      const all = await t.http().get('/api/v1/input-applications/epcis?limit=200').set(auth(coop.token)).expect(200);
      expect(() => assertEpcisDocument(all.body)).not.toThrow();
      const events = all.body.epcisBody.eventList as Record<string, any>[];
      expect(events[0]).toMatchObject({
        type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'tianfu:input_application', eventTimeZoneOffset: '+08:00',
        readPoint: { id: `https://trace.example.cn/site/${site.id}` },
        'tianfu:input': { 'tianfu:name': '2.5%溴氰菊酯乳油', 'tianfu:kind': 'pesticide', 'tianfu:activeIngredients': ['溴氰菊酯'] },
      });
      expect(events.some((e) => e.errorDeclaration?.['tianfu:reason'] === '剂量录错')).toBe(true);
      expect(JSON.stringify(all.body)).not.toContain('王建国');
    });
  });

  describe('the gate (安全间隔期 / 休药期)', () => {
    let gateSite: { id: string };
    let sprayedOn: string;
    beforeAll(async () => {
      gateSite = await createSite(t, coop.token, { name: '东山坡' });
      sprayedOn = day(-25);
      await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ siteId: gateSite.id, appliedAt: `${sprayedOn}T09:00:00+08:00` })).expect(201);
      await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ siteId: gateSite.id, crop: CABBAGE, appliedAt: `${sprayedOn}T10:00:00+08:00` })).expect(201);
    });
    const onGate = (productId: string, fields: Record<string, unknown>) => batch(productId, { siteId: gateSite.id, ...fields });

    it('refuses a kiwi batch harvested the day before the interval ends, with the application, input and first allowed date', async () => {
      const firstAllowed = day(-4);
      const res = await onGate(kiwi.id, { harvestedOn: day(-5) }).expect(422);
      expect(res.body).toMatchObject({
        code: 'PHI_NOT_ELAPSED',
        details: {
          field: 'harvestedOn', rule: 'phi_elapsed', application: { appliedOn: sprayedOn }, input: { id: deltamethrin.id, registrationNumber: deltamethrin.registrationNumber },
          intervalDays: 21, intervalCategory: KIWI, firstAllowedDate: firstAllowed,
        },
      });
      const refused = await db.query("SELECT outcome FROM phi_gate_records WHERE site_id = $1 AND outcome = 'refused'", [gateSite.id]) as unknown[];
      expect(refused).toHaveLength(1);
      const onDay = await onGate(kiwi.id, { harvestedOn: firstAllowed }).expect(201);
      expect(onDay.body.harvestedOn).toBe(firstAllowed);
      await onGate(kiwi.id, { harvestedOn: day(-3) }).expect(201);
    });

    it('judges producedOn when no harvest date is given, and another crop on the same site by its own interval', async () => {
      const res = await onGate(cabbage.id, { producedOn: day(-24) }).expect(422);
      expect(res.body.code).toBe('PHI_NOT_ELAPSED');
      await onGate(cabbage.id, { producedOn: day(-23) }).expect(201);
      const later = await onGate(cabbage.id, { harvestedOn: day(-1), producedOn: day(-2) }).expect(400);
      expect(later.body.details).toMatchObject({ field: 'harvestedOn', rule: 'not_after_produced' });
    });

    it('lets a regulator override an interval (audited) and records the batch as overridden', async () => {
      const overSite = await createSite(t, coop.token, { name: '北坡' });
      const applied = await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ siteId: overSite.id, appliedAt: `${day(-3)}T09:00:00+08:00` })).expect(201);
      await batch(kiwi.id, { siteId: overSite.id, harvestedOn: day(-1) }).expect(422);
      await t.http().post(`/api/v1/input-applications/${applied.body.id}/overrides`).set(auth(coop.token)).send({ crop: KIWI, reason: 'x' }).expect(403);
      const override = await t.http().post(`/api/v1/input-applications/${applied.body.id}/overrides`).set(auth(pujiang.token))
        .send({ crop: KIWI, reason: '抽检样品 510131202600001 未检出溴氰菊酯' }).expect(201);
      expect(override.body).toMatchObject({ applicationId: applied.body.id, crop: KIWI });
      const created = await batch(kiwi.id, { siteId: overSite.id, harvestedOn: day(-1) }).expect(201);
      const records = await t.http().get(`/api/v1/input-applications?batchId=${created.body.id}`).set(auth(pujiang.token)).expect(200);
      expect(records.body.items.map((a: { id: string }) => a.id)).toEqual([applied.body.id]);
      expect(records.body.gate).toEqual([expect.objectContaining({ outcome: 'overridden', harvestedOn: day(-1) })]);
      await t.http().get(`/api/v1/input-applications?batchId=${created.body.id}`).set(auth(other.token)).expect(404);
      // A batch its records do not concern (no gate record): an empty list for those who may read it, 404 for others.
      // (Another county's organisation, so this file's indicator counts stay as they are.)
      const dayi = await createOrg(t, { name: '大邑县猕猴桃合作社', regionCode: '510129' });
      const plain = await createBatch(t, dayi.token, { siteId: (await createSite(t, dayi.token, { regionCode: '510129' })).id });
      expect((await t.http().get(`/api/v1/input-applications?batchId=${plain.id}`).set(auth(dayi.token)).expect(200)).body)
        .toEqual({ items: [], nextCursor: null, gate: [] });
      await t.http().get(`/api/v1/input-applications?batchId=${plain.id}`).set(auth(coop.token)).expect(404);
      await t.http().get('/api/v1/input-applications?batchId=00000000-0000-4000-8000-000000000000').set(auth(dayi.token)).expect(404);
      const audit = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE subject_id = $1", [override.body.id]) as { n: number }[];
      expect(audit[0].n).toBe(1);
      const gateAudit = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE subject_type = 'phi_gate_records'") as { n: number }[];
      expect(gateAudit[0].n).toBeGreaterThan(0);
      // The consumer page: 农事记录 with inputs by name and kind, last application, interval state; no operator.
      const scan = await t.http().get(`/api/v1/scan/${created.body.traceCode}`).expect(200);
      expect(scan.body.farmRecords).toEqual({
        inputs: [{ name: '2.5%溴氰菊酯乳油', kind: '农药', applications: 1, lastAppliedOn: day(-3), lowRisk: true, organic: false }],
        lastAppliedOn: day(-3), harvestedOn: day(-1), interval: 'overridden',
      });
      const html = await t.http().get(`/t/${created.body.traceCode}`).expect(200);
      expect(html.text).toContain('农事记录');
      expect(html.text).toContain('经监管部门核准放行');
      expect(html.text).not.toContain('王建国');
      expect(JSON.stringify(scan.body)).not.toContain('王建国');
    });

    it('refuses a banned input on the crop whatever the dates', async () => {
      const bannedSite = await createSite(t, coop.token, { name: '西坡' });
      const carbofuran = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send(pesticide({ name: '3%克百威颗粒剂', activeIngredients: [{ analyte: '克百威' }], cropRules: [] })).expect(201);
      await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ siteId: bannedSite.id, inputId: carbofuran.body.id, appliedAt: `${day(-200)}T09:00:00+08:00` })).expect(201);
      const res = await batch(kiwi.id, { siteId: bannedSite.id, harvestedOn: day(-1) }).expect(422);
      expect(res.body).toMatchObject({ code: 'INPUT_BANNED', details: { input: { id: carbofuran.body.id }, rule: 'no_banned_inputs' } });
      await batch(cabbage.id, { siteId: bannedSite.id, harvestedOn: day(-1) }).expect(201);
    });

    it('applies 休药期 to livestock identified by ear tags', async () => {
      const farm = await createSite(t, coop.token, { name: '生猪养殖场' });
      const pork = await createProduct(t, coop.token, { name: '生猪', category: PORK });
      const drug = await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send({
        kind: 'veterinary_drug', name: '恩诺沙星注射液', activeIngredients: [{ analyte: '恩诺沙星' }],
        cropRules: [{ category: '肉类', intervalDays: 10, maxDose: { value: '5', unit: 'mL/头' } }], verified: false, source: '示例',
      }).expect(201);
      await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application({
        siteId: farm.id, inputId: drug.body.id, crop: '肉类>畜肉', animalGroup: '3号圈', earTags: ['151013100000123', '151013100000124'],
        appliedAt: `${day(-12)}T09:00:00+08:00`, dose: { value: '20', unit: 'mL' }, area: { value: '2', unit: '头' }, target: '呼吸道感染',
      })).expect(201);
      const refused = await batch(pork.id, { siteId: farm.id, harvestedOn: day(-3) }).expect(422);
      expect(refused.body.details).toMatchObject({ intervalDays: 10, firstAllowedDate: day(-2) });
      await batch(pork.id, { siteId: farm.id, harvestedOn: day(-2) }).expect(201);
    });

    it('certificates rest on the records: inputsUsed derived (add-only), tests must cover them, and issue re-checks the gate', async () => {
      const certSite = await createSite(t, coop.token, { name: '南坡' });
      await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ siteId: certSite.id, appliedAt: `${day(-40)}T09:00:00+08:00` })).expect(201);
      const b = (await batch(kiwi.id, { siteId: certSite.id, harvestedOn: day(-10), producedOn: day(-9) }).expect(201)).body as { id: string };
      const typed = await t.http().post('/api/v1/certificates').set(auth(coop.token))
        .send({ batchId: b.id, basis: ['quality_control'], evidence: { qualityControl: '田间档案齐全', inputsUsed: ['吡虫啉', '溴氰菊酯'] }, quantity: { value: '10', unit: 'kg' } }).expect(201);
      expect(typed.body.evidence.inputsUsed).toEqual(['溴氰菊酯', '吡虫啉']);
      const none = await t.http().post('/api/v1/certificates').set(auth(coop.token))
        .send({ batchId: b.id, basis: ['quality_control'], evidence: { qualityControl: '田间档案齐全' }, quantity: { value: '1', unit: 'kg' } }).expect(201);
      expect(none.body.evidence.inputsUsed).toEqual(['溴氰菊酯']);
      // A self-test that did not look for 溴氰菊酯 does not cover what the records say was used.
      const test = await t.http().post(`/api/v1/batches/${b.id}/test-records`).set(auth(coop.token))
        .send({ stream: 'self_test', testedOn: day(-8), results: [{ analyte: '毒死蜱', detected: false, lod: '0.01', unit: 'mg/kg', verdict: 'pass' }] }).expect(201);
      const uncovered = await t.http().post('/api/v1/certificates').set(auth(coop.token))
        .send({ batchId: b.id, basis: ['self_test'], evidence: { testRecordIds: [test.body.id] }, quantity: { value: '1', unit: 'kg' } }).expect(422);
      expect(uncovered.body).toMatchObject({ code: 'TESTS_DO_NOT_COVER_INPUTS', details: { missing: ['溴氰菊酯'] } });
      // A record entered after the batch (sprayed 5 days before its harvest) stops the next certificate.
      await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ siteId: certSite.id, appliedAt: `${day(-15)}T09:00:00+08:00` })).expect(201);
      const refused = await t.http().post('/api/v1/certificates').set(auth(coop.token))
        .send({ batchId: b.id, basis: ['quality_control'], evidence: { qualityControl: '田间档案齐全' }, quantity: { value: '1', unit: 'kg' } }).expect(422);
      expect(refused.body).toMatchObject({ code: 'PHI_NOT_ELAPSED', details: { firstAllowedDate: day(6) } });
      const doc = await t.http().get('/docs-json').expect(200);
      expect(JSON.stringify(doc.body.paths['/api/v1/certificates'].post)).toContain('PHI_NOT_ELAPSED');
      // Sampling suggests the panel from the same records.
      const panel = await t.http().get(`/api/v1/sampling/suggested-panel?batchId=${b.id}`).set(auth(pujiang.token)).expect(200);
      expect(panel.body).toEqual({ batchId: b.id, analytes: ['溴氰菊酯'], source: 'farm_records' });
      await t.http().get(`/api/v1/sampling/suggested-panel?batchId=${b.id}`).set(auth(other.token)).expect(404);
    });

    it('counts the farm-input indicators on GET /api/v1/indicators (same engine: numerators and denominators)', async () => {
      const query = { indicator: 'phi_violations,input_record_coverage,low_risk_pesticide_share,organic_fertiliser_share', from: day(-360).slice(0, 7), to: day(0).slice(0, 7) };
      const res = await t.http().get('/api/v1/indicators').query(query).set(auth(coop.token)).expect(200);
      const row = (key: string) => res.body.rows.find((r: { indicator: string }) => r.indicator === key) as { numerator: string; denominator: string; name: string };
      // Refused: kiwi the day before, cabbage by producedOn, the northern slope before its override, the banned input, pork; overridden: 1; passed with records: 5.
      expect(row('phi_violations')).toMatchObject({ name: '安全间隔期违规', numerator: '6', denominator: '11' });
      // Seven batches of the cooperative, all in certificate-required categories; the cabbage of the western slope has no records on its crop.
      expect(row('input_record_coverage')).toMatchObject({ numerator: '6', denominator: '7' });
      expect((row('input_record_coverage') as unknown as { description: string }).description).toContain('须开具承诺达标合格证的类别');
      const pesticides = await db.query("SELECT count(*)::int AS n FROM input_applications WHERE organization_id = $1 AND status = 'recorded' AND input_kind = 'pesticide'", [coop.id]) as { n: number }[];
      expect(row('low_risk_pesticide_share')).toMatchObject({ numerator: String(pesticides[0].n), denominator: String(pesticides[0].n) });
      expect(row('organic_fertiliser_share')).toMatchObject({ numerator: '0', denominator: '0' });
    });

    it('input_record_coverage counts the batches that need a certificate (category data, not individual farmers), by category', async () => {
      const TEA = '饮料类>茶叶';
      const query = { indicator: 'input_record_coverage', from: day(-360).slice(0, 7), to: day(0).slice(0, 7) };
      const coverage = async (token: string, extra: Record<string, string> = {}) =>
        (await t.http().get('/api/v1/indicators').query({ ...query, ...extra }).set(auth(token)).expect(200)).body.rows as { numerator: string; denominator: string; category?: { path: string } }[];
      // Processed tea needs no certificate: its batch, records or not, stays out.
      const teaGarden = await createSite(t, coop.token, { name: '茶园' });
      const tea = await createProduct(t, coop.token, { name: '蒲江雀舌', category: TEA });
      await t.http().post('/api/v1/input-applications').set(auth(coop.token))
        .send(application({ siteId: teaGarden.id, crop: TEA, appliedAt: `${day(-60)}T09:00:00+08:00` })).expect(201);
      await batch(tea.id, { siteId: teaGarden.id, harvestedOn: day(-2) }).expect(201);
      expect((await coverage(coop.token))[0]).toMatchObject({ numerator: '6', denominator: '7' });
      // By category: the kiwi, cabbage and pork batches under their own categories.
      const byCategory = await coverage(coop.token, { groupBy: 'category' });
      expect(byCategory.find((r) => r.category?.path === '水果')).toMatchObject({ denominator: expect.any(String) });
      expect(byCategory.some((r) => r.category?.path === '饮料类')).toBe(false);
      // An individual farmer's batch with records stays out as well.
      const farmer = await createOrg(t, { name: '张三（个人农户）', kind: 'individual', uscc: undefined });
      const plot = await createSite(t, farmer.token, { name: '自家果园' });
      const fruit = await createProduct(t, farmer.token);
      await t.http().post('/api/v1/input-applications').set(auth(farmer.token))
        .send(application({ siteId: plot.id, appliedAt: `${day(-60)}T09:00:00+08:00` })).expect(201);
      await t.http().post('/api/v1/batches').set(auth(farmer.token))
        .send({ productId: fruit.id, siteId: plot.id, quantity: { value: '10', unit: 'kg' }, producedOn: day(0) }).expect(201);
      expect((await coverage(farmer.token))[0]).toMatchObject({ numerator: '0', denominator: '0' });
      // The product's category changes to one that needs a certificate: its batch (with records) comes in.
      await db.query('UPDATE products SET category_path = $1 WHERE id = $2', [CABBAGE, tea.id]);
      expect((await coverage(coop.token))[0]).toMatchObject({ numerator: '7', denominator: '8' });
      await db.query('UPDATE products SET category_path = $1 WHERE id = $2', [TEA, tea.id]);
      expect((await coverage(coop.token))[0]).toMatchObject({ numerator: '6', denominator: '7' });
      // The categories are data: a rule taking processed tea in brings the tea batch in; removing it takes it out.
      await t.http().put(`/api/v1/certificate-scope/${encodeURIComponent(TEA)}`).set(auth(sichuan.token))
        .send({ source: '四川省地方规定（示例）', verified: false, note: '示例' }).expect(200);
      expect((await coverage(coop.token))[0]).toMatchObject({ numerator: '7', denominator: '8' });
      await t.http().delete(`/api/v1/certificate-scope/${encodeURIComponent(TEA)}`).set(auth(ADMIN_TOKEN)).expect(200);
      expect((await coverage(coop.token))[0]).toMatchObject({ numerator: '6', denominator: '7' });
    });

    it('lists both codes on the batch route in the OpenAPI document', async () => {
      const doc = await t.http().get('/docs-json').expect(200);
      const text = JSON.stringify(doc.body.paths['/api/v1/batches'].post);
      expect(text).toContain('PHI_NOT_ELAPSED');
      expect(text).toContain('INPUT_BANNED');
    });

    it('the database sends the gate what may decide: the same findings as judging every record of the site (random season, overrides, voids)', async () => {
      const gate = t.app.get(PhiGateService);
      const field = await createSite(t, coop.token, { name: '轮作试验地' });
      // A general rule longer than the specific one (fruit 30 days, kiwi 7), a banned input, and deltamethrin (fruit 14, kiwi 21, cabbage 2).
      const shortOnKiwi = (await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN))
        .send(pesticide({ name: '示例短间隔农药', cropRules: [{ category: '水果', intervalDays: 30 }, { category: KIWI, intervalDays: 7 }] })).expect(201)).body as { id: string };
      const banned = (await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN))
        .send(pesticide({ name: '示例禁用农药', activeIngredients: [{ analyte: '克百威' }], cropRules: [] })).expect(201)).body as { id: string };
      const inputIds = [deltamethrin.id, deltamethrin.id, shortOnKiwi.id, shortOnKiwi.id, banned.id];
      const crops = [KIWI, '水果', CABBAGE, '水果>柑橘类水果>橙', '蔬菜'];
      let seed = 16;
      const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
      const today = day(0);
      for (let i = 0; i < 80; i++) {
        const appliedOn = addDays(today, -next(400));
        const [row] = await db.query(
          `INSERT INTO input_applications (organization_id, site_id, region_code, input_id, input_kind, crop_category, applied_at, applied_on,
             dose_value, dose_unit, area_value, area_unit, target, operator_name, status)
           VALUES ($1, $2, '510131', $3, 'pesticide', $4, ($5::date + time '09:00') AT TIME ZONE 'Asia/Shanghai', $5, 1, 'mL', 1, '亩', '试验', '试验', $6) RETURNING id`,
          [coop.id, field.id, inputIds[next(inputIds.length)], crops[next(crops.length)], appliedOn, next(10) === 0 ? 'voided' : 'recorded']) as { id: string }[];
        if (next(6) === 0) {
          await db.query(`INSERT INTO phi_overrides (application_id, category_path, reason, regulator_organization_id, region_code) VALUES ($1, $2, '试验', $3, '510131')`,
            [row.id, crops[next(2)], pujiang.id]);
        }
      }
      const stored = await db.query(
        `SELECT a.id, a.input_id, a.crop_category, to_char(a.applied_on, 'YYYY-MM-DD') AS applied_on, a.status,
           ARRAY(SELECT o.category_path FROM phi_overrides o WHERE o.application_id = a.id) AS overrides FROM input_applications a WHERE a.site_id = $1`,
        [field.id]) as { id: string; input_id: string; crop_category: string; applied_on: string; status: string; overrides: string[] }[];
      const rows = await db.query('SELECT id, name, kind, registration_number, banned, crop_rules FROM farm_inputs WHERE id = ANY($1::uuid[])', [[...new Set(inputIds)]]) as
        { id: string; name: string; kind: GateInput['kind']; registration_number: string | null; banned: boolean; crop_rules: GateInput['rules'] }[];
      const inputs = new Map(rows.map((i): [string, GateInput] => [i.id, { id: i.id, name: i.name, kind: i.kind, registrationNumber: i.registration_number, banned: i.banned, rules: i.crop_rules }]));
      const byId = <T extends { applicationId: string }>(list: T[]) => [...list].sort((a, b) => a.applicationId.localeCompare(b.applicationId));
      let decided = 0;
      for (const crop of [KIWI, '水果', CABBAGE, '蔬菜', PORK]) {
        for (const harvestedOn of [today, addDays(today, -10), addDays(today, -25), addDays(today, -200)]) {
          const verdict = await gate.evaluate(db.manager, { organizationId: coop.id, siteId: field.id, regionCode: '510131', crop, harvestedOn });
          const season = stored.filter((a) => a.status === 'recorded' && a.applied_on <= harvestedOn && a.applied_on >= addDays(harvestedOn, -365));
          const covers = (category: string) => crop === category || crop.startsWith(`${category}>`);
          const all = checkGate({ crop, harvestedOn }, season.map((a) => ({ id: a.id, inputId: a.input_id, crop: a.crop_category, appliedOn: a.applied_on })), inputs,
            new Set(season.filter((a) => a.overrides.some(covers)).map((a) => a.id)));
          expect(byId(verdict.intervals)).toEqual(byId(all.intervals));
          expect(byId(verdict.banned)).toEqual(byId(all.banned));
          expect({ refused: verdict.refused, overridden: verdict.overridden, count: verdict.applicationCount })
            .toEqual({ refused: all.refused, overridden: all.overridden, count: all.applicationIds.length });
          if (all.intervals.length || all.banned.length) decided++;
        }
      }
      expect(decided).toBeGreaterThan(5);
    });

    it('records a passed batch by count and the deciding applications, and lists every application it judged again', async () => {
      const busy = await createSite(t, coop.token, { name: '整季喷药的坡地' });
      const sprays: { id: string }[] = [];
      for (const daysAgo of [60, 50, 45, 40, 30]) {
        sprays.push((await t.http().post('/api/v1/input-applications').set(auth(coop.token))
          .send(application({ siteId: busy.id, appliedAt: `${day(-daysAgo)}T09:00:00+08:00` })).expect(201)).body);
      }
      // Another crop on the site, and a record voided before the harvest: neither is judged.
      await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application({ siteId: busy.id, crop: CABBAGE, appliedAt: `${day(-20)}T09:00:00+08:00` })).expect(201);
      const wrong = (await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application({ siteId: busy.id, appliedAt: `${day(-35)}T09:00:00+08:00` })).expect(201)).body;
      await t.http().post(`/api/v1/input-applications/${wrong.id}/void`).set(auth(coop.token)).send({ reason: '记重了' }).expect(200);
      // The crop's interval is 21 days: the spray 30 days ago is the latest, and decides nothing.
      const made = (await batch(kiwi.id, { siteId: busy.id, harvestedOn: day(-1) }).expect(201)).body as { id: string };
      const [row] = await db.query('SELECT outcome, application_count, application_ids, findings FROM phi_gate_records WHERE batch_id = $1', [made.id]) as
        { outcome: string; application_count: number; application_ids: string[]; findings: { inputs: unknown[] } }[];
      expect(row).toMatchObject({ outcome: 'passed', application_count: 5, application_ids: [sprays[4].id] });
      expect(row.findings.inputs).toEqual([{ id: deltamethrin.id, name: '2.5%溴氰菊酯乳油', applications: 5, lastApplicationId: sprays[4].id, lastAppliedOn: day(-30) }]);
      // After the batch: one judged record voided (still listed, with its reason), one entered late (not judged).
      await t.http().post(`/api/v1/input-applications/${sprays[0].id}/void`).set(auth(coop.token)).send({ reason: '日期记错' }).expect(200);
      await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send(application({ siteId: busy.id, appliedAt: `${day(-70)}T09:00:00+08:00` })).expect(201);
      const listed = (await t.http().get(`/api/v1/input-applications?batchId=${made.id}&limit=2`).set(auth(pujiang.token)).expect(200)).body;
      const next = (await t.http().get(`/api/v1/input-applications?batchId=${made.id}&limit=10&cursor=${listed.nextCursor}`).set(auth(pujiang.token)).expect(200)).body;
      const items = [...listed.items, ...next.items] as { id: string; status: string }[];
      expect(items.map((a) => a.id).sort()).toEqual(sprays.map((s) => s.id).sort());
      expect(items.find((a) => a.id === sprays[0].id)).toMatchObject({ status: 'voided' });
      // The consumer page counts the records still standing.
      const traceCode = (await t.http().get(`/api/v1/batches/${made.id}`).set(auth(coop.token)).expect(200)).body.traceCode as string;
      const scan = await t.http().get(`/api/v1/scan/${traceCode}`).expect(200);
      expect(scan.body.farmRecords).toMatchObject({ inputs: [{ applications: 4, lastAppliedOn: day(-30) }], interval: 'satisfied' });
    });
  });

  describe('console: the phone-first 农事 page per site', () => {
    const PASSWORD = '绿源猕猴桃2026春天';
    let grower: OrgWithKey;
    let orchard: { id: string };
    let person: ConsoleClient;
    let seed: { id: string };
    const unescape = (html: string) => html.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const page = (query = '') => person.get(`/app/farm/sites/${orchard.id}${query}`);
    /** The bottle's 单元识别代码: category 1, the registration number's last six digits, holder-made, spec 001, a serial. */
    const labelOf = (registrationNumber: string) => `1${registrationNumber.slice(-6)}1001${'7'.repeat(21)}`;
    const recordForm = async (query: string, fields: Record<string, string> = {}) => {
      const shown = await page(query);
      expect(shown.status).toBe(200);
      const action = `/app/farm/sites/${orchard.id}/applications`;
      const prefilled: Record<string, string> = {};
      for (const [tag] of shown.text.matchAll(/<input\b[^>]*>/g)) {
        const name = /\sname="([^"]*)"/.exec(tag)?.[1];
        if (!name || /\stype="hidden"/.test(tag) || ['code', 'q', 'reason'].includes(name)) continue;
        prefilled[name] = unescape(/\svalue="([^"]*)"/.exec(tag)?.[1] ?? '');
      }
      const selected = Object.fromEntries([...shown.text.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)]
        .map(([, name, options]) => [name, unescape((/<option\b[^>]*value="([^"]*)"[^>]*selected/.exec(options) ?? /<option\b[^>]*value="([^"]*)"/.exec(options))![1])]));
      const form: Record<string, string> = { ...ConsoleClient.hidden(shown.text, action), ...prefilled, ...selected };
      return { shown, form, send: () => person.post(action, { ...form, ...fields }, `/app/farm/sites/${orchard.id}${query}`) };
    };

    beforeAll(async () => {
      grower = await createOrg(t, { name: '蒲江县果农专业合作社' });
      orchard = await createSite(t, grower.token, { name: '南坡果园' });
      await createProduct(t, grower.token, { name: '红阳猕猴桃' });
      person = await consoleUser(t, grower.id, `farm-${Date.now()}`, PASSWORD, 'operator');
      seed = (await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN))
        .send({ kind: 'seed', name: '红阳', holder: '四川省自然资源科学研究院', verified: false, source: '示例' }).expect(201)).body;
    });

    it('lists the sites; logs an application from the scanned label code and shows from when each crop may be harvested', async () => {
      const sites = await person.get('/app/farm');
      expect(sites.status).toBe(200);
      expect(sites.text).toContain(`href="/app/farm/sites/${orchard.id}"`);
      expect(sites.text).toContain('href="/app/farm" aria-current="page"');
      const before = await page();
      expect(before.text).toMatch(new RegExp(`data-crop="${KIWI}">[\\s\\S]*?data-first-allowed="${day(0)}">今天可采收`));
      // Tap 1: the camera reads the bottle; the page names the pesticide and carries the code into the form.
      const code = labelOf(deltamethrin.registrationNumber);
      const { shown, form, send } = await recordForm(`?code=${code}`, { 'dose.value': '250', 'area.value': '5', target: '蚜虫' });
      expect(shown.text).toContain('2.5%溴氰菊酯乳油');
      expect(form).toMatchObject({ inputId: deltamethrin.id, labelCode: code, crop: KIWI, operator: '王丽', 'dose.unit': 'mL', 'area.unit': '亩' });
      // Tap 2 and 3 are the form's fields (filled) and 记录.
      const saved = await send();
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toMatch(new RegExp(`^/app/farm/sites/${orchard.id}\\?created=`));
      const list = (await t.http().get(`/api/v1/input-applications?siteId=${orchard.id}`).set(auth(grower.token)).expect(200)).body.items;
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ labelCode: code, crop: KIWI, dose: { value: '250', unit: 'mL' }, operator: '王丽', appliedOn: day(0), warnings: [{ rule: 'max_dose' }] });
      // Kiwi: 21 days from today.
      const after = await page('?created=1');
      expect(after.text).toContain('已记录');
      expect(after.text).toMatch(new RegExp(`data-crop="${KIWI}">[\\s\\S]*?data-first-allowed="${day(21)}">${day(21)} 起可采收`));
      expect(after.text).toContain('施用量 50 mL/亩 超过标签最大用量 40 mL/亩');
      // The next time the same input is one tap away, and the form comes filled from its last use.
      expect(unescape(after.text)).toContain(`/app/farm/sites/${orchard.id}?inputId=${deltamethrin.id}`);
      const again = await recordForm(`?inputId=${deltamethrin.id}`);
      expect(again.form).toMatchObject({ 'dose.value': '250', 'area.value': '5', target: '蚜虫', crop: KIWI });
      expect(again.form.labelCode).toBeUndefined();
      expect((await again.send()).status).toBe(303);
    });

    it('names the problem of a form or a scan in place, and refuses a label code of another pesticide', async () => {
      const empty = await recordForm(`?inputId=${deltamethrin.id}`, { 'dose.value': '', target: '' });
      const refused = await empty.send();
      expect(refused.status).toBe(422);
      expect(refused.text).toMatch(/id="err-dose.value"/);
      const mismatch = await recordForm(`?inputId=${deltamethrin.id}`, { labelCode: labelOf('PD20990001') });
      const res = await mismatch.send();
      expect(res.status).toBe(422);
      expect(res.text).toContain('农药标签码与所选农药的登记证号不符');
      const unreadable = await page('?code=12345');
      expect(unreadable.status).toBe(200);
      expect(unreadable.text).toMatch(/id="err-code"[^>]*>没有找到 32 位农药标签码/);
      const unknown = await page(`?code=${labelOf('PD20990002')}`);
      expect(unknown.text).toContain('投入品目录中没有与该标签码对应的农药');
    });

    it('reads a seed bag QR (four lines) into the seed of that variety, with the unit code shown', async () => {
      const qr = encodeURIComponent('品种名称：红阳\n生产经营者名称：四川省自然资源科学研究院\n单元识别代码：51013100100000000001\n追溯网址：https://seed.example.cn/t/51013100100000000001');
      const { shown, form, send } = await recordForm(`?code=${qr}`, { 'dose.value': '2', 'area.value': '5', 'area.unit': '亩' });
      expect(shown.text).toContain('51013100100000000001');
      expect(shown.text).toContain('待核实');
      expect(form).toMatchObject({ inputId: seed.id, target: '播种', 'dose.unit': 'kg', seedUnitCode: '51013100100000000001' });
      // 记录: the bag's unit code stays on the record, in the API and on the page.
      expect((await send()).status).toBe(303);
      const list = (await t.http().get(`/api/v1/input-applications?siteId=${orchard.id}`).set(auth(grower.token)).expect(200)).body.items as { input: { id: string } }[];
      expect(list.find((a) => a.input.id === seed.id)).toMatchObject({ seedUnitCode: '51013100100000000001', labelCode: null, target: '播种' });
      expect((await page()).text).toContain('data-seed-unit-code="51013100100000000001"');
      // Through the API: only on a seed, and in the QR's form.
      const bad = await t.http().post('/api/v1/input-applications').set(auth(grower.token))
        .send(application({ siteId: orchard.id, inputId: seed.id, seedUnitCode: '5101-3100', dose: { value: '2', unit: 'kg' } })).expect(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'seedUnitCode', rule: 'unit_code' } });
    });

    it('shows a crop on which a banned input was used as not harvestable, naming the input and the day', async () => {
      const slope = await createSite(t, grower.token, { name: '北坡果园' });
      const carbofuran = (await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN))
        .send(pesticide({ name: '3%克百威颗粒剂', activeIngredients: [{ analyte: '克百威' }], cropRules: [] })).expect(201)).body as { id: string; flags: { banned: boolean } };
      expect(carbofuran.flags.banned).toBe(true);
      await t.http().post('/api/v1/input-applications').set(auth(grower.token))
        .send(application({ siteId: slope.id, inputId: carbofuran.id, appliedAt: `${day(-200)}T09:00:00+08:00` })).expect(201);
      const shown = await person.get(`/app/farm/sites/${slope.id}`);
      expect(shown.status).toBe(200);
      expect(shown.text).toMatch(new RegExp(`data-crop="${KIWI}"><strong>猕猴桃</strong> <span class="tag bad">不可采收</span>`));
      expect(shown.text).toContain(`使用过禁用投入品 3%克百威颗粒剂（${day(-200)}）`);
      expect(shown.text).not.toMatch(new RegExp(`data-crop="${KIWI}">[\\s\\S]{0,200}今天可采收`));
    });

    it('voids a record only with a reason, and the harvest outlook follows', async () => {
      const records = (await t.http().get(`/api/v1/input-applications?siteId=${orchard.id}`).set(auth(grower.token)).expect(200)).body.items as { id: string }[];
      expect(records).toHaveLength(3);
      const action = (id: string) => `/app/farm/applications/${id}/void`;
      const shown = await page();
      const hidden = ConsoleClient.hidden(shown.text, action(records[0].id));
      const noReason = await person.post(action(records[0].id), { ...hidden, reason: '' }, `/app/farm/sites/${orchard.id}`);
      expect(noReason.status).toBe(422);
      expect(noReason.text).toContain(`id="err-void-${records[0].id}"`);
      for (const r of records) {
        const res = await person.post(action(r.id), { ...hidden, reason: '记错了用量' }, `/app/farm/sites/${orchard.id}`);
        expect(res.status).toBe(303);
      }
      const voided = (await t.http().get(`/api/v1/input-applications/${records[0].id}`).set(auth(grower.token)).expect(200)).body;
      expect(voided).toMatchObject({ status: 'voided', voidReason: '记错了用量' });
      const after = await page();
      expect(after.text).toMatch(new RegExp(`data-crop="${KIWI}">[\\s\\S]*?今天可采收`));
      expect(after.text).not.toContain(`action="${action(records[0].id)}"`);
      // Voiding twice, or another organisation's record, is refused.
      const twice = await person.post(action(records[0].id), { ...hidden, reason: '再作废' }, `/app/farm/sites/${orchard.id}`);
      expect(twice.status).toBe(422);
    });

    it("answers 404 for another organisation's site or record", async () => {
      expect((await person.get(`/app/farm/sites/${site.id}`)).status).toBe(404);
      const theirs = await record();
      const csrf = ConsoleClient.hidden((await page()).text, '/app/logout')._csrf;
      expect((await person.post(`/app/farm/applications/${theirs.id}/void`, { _csrf: csrf, reason: '不是我的' })).status).toBe(404);
      expect((await t.http().get(`/api/v1/input-applications/${theirs.id}`).set(auth(coop.token)).expect(200)).body.status).toBe('recorded');
    });
  });

  describe("the regulator's batch page (dashboard)", () => {
    it('lists every application behind the batch and every warning and override, with who, when and why; the export holds the same', async () => {
      const grower = await createOrg(t, { name: '蒲江县西坡果业合作社' });
      const slope = await createSite(t, grower.token, { name: '西坡' });
      const fruit = await createProduct(t, grower.token, { name: '西坡猕猴桃' });
      const send = (fields: Record<string, unknown>) => t.http().post('/api/v1/input-applications').set(auth(grower.token))
        .send(application({ siteId: slope.id, ...fields })).expect(201);
      const heavy = (await send({ appliedAt: `${day(-40)}T08:00:00+08:00`, dose: { value: '300', unit: 'mL' }, operator: '李四' })).body;
      const recent = (await send({ appliedAt: `${day(-3)}T08:00:00+08:00`, operator: '王五' })).body;
      const variety = (await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN))
        .send({ kind: 'seed', name: '金艳', holder: '四川省自然资源科学研究院', verified: false, source: '示例' }).expect(201)).body as { id: string };
      const sown = (await send({ inputId: variety.id, seedUnitCode: 'JY2026A0001', appliedAt: `${day(-100)}T08:00:00+08:00`, dose: { value: '1', unit: 'kg' }, target: '播种' })).body;
      expect(sown.seedUnitCode).toBe('JY2026A0001');
      const harvest = { productId: fruit.id, siteId: slope.id, quantity: { value: '100', unit: 'kg' }, producedOn: day(0), harvestedOn: day(-1) };
      await t.http().post('/api/v1/batches').set(auth(grower.token)).send(harvest).expect(422);
      await t.http().post(`/api/v1/input-applications/${recent.id}/overrides`).set(auth(pujiang.token))
        .send({ crop: KIWI, reason: '抽检样品 510131202600077 未检出溴氰菊酯' }).expect(201);
      const made = (await t.http().post('/api/v1/batches').set(auth(grower.token)).send(harvest).expect(201)).body as { id: string };

      const person = await consoleUser(t, pujiang.id, `pujiang-${Date.now()}`, '绿源猕猴桃2026春天', 'regulator');
      // The console's batch page, where the region's batch list leads, links to it.
      expect((await person.get(`/app/batches/${made.id}`)).text).toContain(`href="/app/dashboard/batches/${made.id}" id="farm-record-link"`);
      const page = await person.get(`/app/dashboard/batches/${made.id}`);
      expect(page.status).toBe(200);
      const html = page.text;
      // Both applications, with the operator, dose and the warning on the heavy one.
      expect(html).toContain('农事记录（投入品使用）');
      expect(html.match(/2\.5%溴氰菊酯乳油/g)!.length).toBeGreaterThanOrEqual(2);
      expect(html).toContain('李四');
      expect(html).toContain('王五');
      expect(html).toContain('施用量 60 mL/亩 超过标签最大用量 40 mL/亩');
      // Who, when and why: the warning (the operator), the override (the regulator organisation and its reason), the judgement.
      expect(html).toContain('超量警示');
      expect(html).toContain('施用人 李四');
      expect(html).toContain('监管放行（间隔期未满）');
      expect(html).toContain('抽检样品 510131202600077 未检出溴氰菊酯');
      expect(html).toContain('农业农村局');
      expect(html).toContain('间隔期核查：经监管放行后通过');
      expect(heavy.warnings).toHaveLength(1);
      const csv = await person.get(`/app/dashboard/export/farm-events.csv?batch=${made.id}`);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('抽检样品 510131202600077 未检出溴氰菊酯');
      expect(html).toContain('种子单元识别代码');
      expect(html).toContain('JY2026A0001');
      const records = await person.get(`/app/dashboard/export/farm-records.csv?batch=${made.id}`);
      expect(records.text).toContain('李四');
      expect(records.text).toContain('JY2026A0001');
      // Another region's regulator does not open the batch.
      const elsewhere = await createRegulator(t, '511800');
      const stranger = await consoleUser(t, elsewhere.id, `yaan-${Date.now()}`, '绿源猕猴桃2026春天', 'regulator');
      expect((await stranger.get(`/app/dashboard/batches/${made.id}`)).status).toBe(404);
      expect((await stranger.get(`/app/dashboard/export/farm-events.csv?batch=${made.id}`)).status).toBe(404);
    });
  });
});
