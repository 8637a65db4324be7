import { DataSource } from 'typeorm';
import { IndicatorFoldService } from '../src/modules/indicators/indicator-fold.service';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

/**
 * Which categories need a 承诺达标合格证 is data the regulator keeps: rules with a source and a
 * `verified` flag; changing them moves the category flags and the certificate-rate indicator at once.
 */
describe('certificate scope rules (/api/v1/certificate-scope)', () => {
  let t: TestApp;
  let coop: { id: string; token: string };
  let province: { token: string };
  let county: { token: string };
  const WALNUT = '坚果>大粒坚果>核桃';
  const encoded = (path: string) => encodeURIComponent(path);

  const flag = async (path: string) => {
    const res = await t.http().get('/api/v1/categories').expect(200);
    return (res.body.items as { path: string; certificateRequired: boolean }[]).find((c) => c.path === path)?.certificateRequired;
  };
  const certificateRate = async () => {
    await t.app.get(IndicatorFoldService).foldOnce(100_000, true);
    const res = await t.http().get('/api/v1/indicators').query({ indicator: 'certificate_issuance', from: '2026-01', to: '2026-12' }).set(auth(coop.token)).expect(200);
    return res.body.rows.map((r: { numerator: string; denominator: string }) => [r.numerator, r.denominator]);
  };

  beforeAll(async () => {
    t = await createTestApp();
    coop = await createOrg(t, { regionCode: '510131' });
    province = await createRegulator(t, '510000');
    county = await createRegulator(t, '510131');
    const site = await createSite(t, coop.token);
    const walnut = await createProduct(t, coop.token, { name: '核桃', category: WALNUT });
    await createBatch(t, coop.token, { productId: walnut.id, siteId: site.id, producedOn: '2026-09-20' });
  });
  afterAll(() => t.close());

  it('starts from the 2025 rule: fresh tea leaves need a certificate, processed tea does not; each rule cites its source', async () => {
    const res = await t.http().get('/api/v1/certificate-scope').expect(200);
    expect(res.body.items.map((r: { category: string }) => r.category).sort()).toEqual(['水产品', '水果', '禽蛋', '肉类', '蔬菜', '饮料类>茶鲜叶'].sort());
    for (const rule of res.body.items) expect(rule).toMatchObject({ verified: true, source: expect.stringContaining('农业农村部令2025年第4号') });
    expect(await flag('饮料类>茶鲜叶')).toBe(true);
    expect(await flag('饮料类>茶叶')).toBe(false);
    expect(await flag('蔬菜>食用菌')).toBe(true);
    // GB 2763's oil-seed and nut branches are in the tree, outside the rule.
    expect(await flag('油料和油脂>木本油料>油茶籽')).toBe(false);
    expect(await flag(WALNUT)).toBe(false);
  });

  it('only the admin and provincial regulators change the rules; the category must be in the tree', async () => {
    const body = { source: '测试', verified: false };
    await t.http().put(`/api/v1/certificate-scope/${encoded('坚果')}`).set(auth(coop.token)).send(body).expect(403);
    await t.http().put(`/api/v1/certificate-scope/${encoded('坚果')}`).set(auth(county.token)).send(body).expect(403);
    const unknown = await t.http().put(`/api/v1/certificate-scope/${encoded('火星坚果')}`).set(auth(province.token)).send(body).expect(400);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_CATEGORY', details: { field: 'category' } });
    const bad = await t.http().put(`/api/v1/certificate-scope/${encoded('坚果')}`).set(auth(province.token)).send({ verified: 'yes' }).expect(400);
    expect(JSON.stringify(bad.body.details)).toMatch(/source|verified/);
    await t.http().delete(`/api/v1/certificate-scope/${encoded('坚果')}`).set(auth(ADMIN_TOKEN)).expect(404);
    expect(await flag(WALNUT)).toBe(false);
  });

  it('a new rule takes in the subtree and its batches count in the certificate rate at once; removing it gives them back', async () => {
    expect(await certificateRate()).toEqual([['0', '0']]);
    const put = await t.http().put(`/api/v1/certificate-scope/${encoded('坚果')}`).set(auth(province.token))
      .send({ source: '四川省地方规定（示例）', verified: false, note: '示例' }).expect(200);
    expect(put.body).toMatchObject({ category: '坚果', verified: false, categoriesChanged: 6 });
    expect(await flag(WALNUT)).toBe(true);
    expect(await certificateRate()).toEqual([['0', '1']]);

    const audit = await t.app.get(DataSource).query("SELECT action, subject_id FROM audit_log WHERE subject_type = 'certificate_scope_rules' ORDER BY seq");
    expect(audit).toEqual(expect.arrayContaining([{ action: 'certificate_scope.added', subject_id: '坚果' }]));

    const removed = await t.http().delete(`/api/v1/certificate-scope/${encoded('坚果')}`).set(auth(ADMIN_TOKEN)).expect(200);
    expect(removed.body).toEqual({ category: '坚果', categoriesChanged: 6 });
    expect(await flag(WALNUT)).toBe(false);
    expect(await certificateRate()).toEqual([['0', '0']]);
  });
});
