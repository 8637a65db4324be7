import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, uniqueGtin13 } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

/**
 * GET /api/v1/indicators through HTTP: figures from data made through the API, who sees what, and
 * clear 4xx answers. Everything sits in 凉山州 (5134); the file's database is its own.
 */
describe('GET /api/v1/indicators', () => {
  let t: TestApp;
  let coop: { id: string; token: string };
  let other: { id: string; token: string };
  let liangshan: { id: string; token: string };
  let xichang: { id: string; token: string };
  let chengdu: { id: string; token: string };

  const get = (token: string, query: Record<string, string>) => t.http().get('/api/v1/indicators').query(query).set(auth(token));

  beforeAll(async () => {
    t = await createTestApp();
    coop = await createOrg(t, { regionCode: '513401', name: '西昌合作社' });
    other = await createOrg(t, { regionCode: '513422', name: '木里合作社' });
    liangshan = await createRegulator(t, '513400');
    xichang = await createRegulator(t, '513401');
    chengdu = await createRegulator(t, '510100');
    const site = await createSite(t, coop.token, { regionCode: '513401' });
    const withGtin = await createProduct(t, coop.token, { name: '西昌葡萄', category: '水果>浆果和其他小型水果>藤蔓和灌木类水果>葡萄', gtin: uniqueGtin13() });
    await createProduct(t, coop.token, { name: '西昌番茄', category: '蔬菜>茄果类蔬菜>番茄' });
    for (const producedOn of ['2026-01-10', '2026-02-10', '2026-05-03']) await createBatch(t, coop.token, { productId: withGtin.id, siteId: site.id, producedOn });
    const otherSite = await createSite(t, other.token, { regionCode: '513422' });
    await createBatch(t, other.token, { siteId: otherSite.id, producedOn: '2026-03-01' });
  });
  afterAll(() => t.close());

  it('counts what was registered: GTIN coverage and batches with trace codes, by quarter', async () => {
    const res = await get(coop.token, { indicator: 'gtin_coverage,trace_code_coverage', from: '2026-01', to: '2026-06', groupBy: 'quarter' }).expect(200);
    expect(res.body.window).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(res.body.scope.organizationId).toBe(coop.id);
    const trace = res.body.rows.filter((r: { indicator: string }) => r.indicator === 'trace_code_coverage');
    expect(trace.map((r: { period: { key: string }; numerator: string; denominator: string }) => [r.period.key, r.numerator, r.denominator]))
      .toEqual([['2026-Q1', '2', '2'], ['2026-Q2', '1', '1']]);
    expect(trace[0]).toMatchObject({ name: '追溯码赋码率', rate: 1, target: { kind: 'rising' } });
    // GTIN coverage is a stock: the products registered today count from this month on, not before.
    const before = res.body.rows.filter((r: { indicator: string }) => r.indicator === 'gtin_coverage');
    expect(before.map((r: { numerator: string; denominator: string; rate: null }) => [r.numerator, r.denominator, r.rate])).toEqual([['0', '0', null], ['0', '0', null]]);
    const now = await get(coop.token, { indicator: 'gtin_coverage' }).expect(200);
    expect(now.body.rows).toEqual([expect.objectContaining({ numerator: '1', denominator: '2', rate: 0.5 })]);
  });

  it('a regulator sees its region, split into counties and organisations; never outside it', async () => {
    const byCounty = await get(liangshan.token, { indicator: 'trace_code_coverage', from: '2026-01', to: '2026-12', groupBy: 'region' }).expect(200);
    expect(byCounty.body.scope.region).toEqual({ code: '513400', name: '四川省凉山彝族自治州' });
    const counties = byCounty.body.rows.map((r: { region: { code: string; name: string }; denominator: string }) => [r.region.code, r.region.name, r.denominator]);
    expect(counties).toEqual([['513401', '西昌市', '3'], ['513422', '木里藏族自治县', '1']]);
    const orgs = await get(liangshan.token, { indicator: 'trace_code_coverage', region: '513401', from: '2026-01', to: '2026-12', groupBy: 'organization' }).expect(200);
    expect(orgs.body.rows.map((r: { organization: { id: string; name: string } }) => r.organization)).toEqual([{ id: coop.id, name: '西昌合作社', regionCode: '513401' }]);
    // The county regulator defaults to its county and cannot look at the prefecture or elsewhere.
    const own = await get(xichang.token, { indicator: 'trace_code_coverage', from: '2026-01', to: '2026-12' }).expect(200);
    expect(own.body.rows[0]).toMatchObject({ numerator: '3', denominator: '3' });
    await get(xichang.token, { region: '513400' }).expect(404);
    await get(chengdu.token, { region: '513401' }).expect(404);
    await get(chengdu.token, { organization: coop.id }).expect(404);
    await get(xichang.token, { organization: other.id }).expect(404);
  });

  it('an organisation sees only its own figures', async () => {
    const mine = await get(other.token, { indicator: 'trace_code_coverage', from: '2026-01', to: '2026-12' }).expect(200);
    expect(mine.body.rows[0]).toMatchObject({ numerator: '1', denominator: '1' });
    await get(other.token, { organization: coop.id }).expect(404);
    const split = await get(other.token, { indicator: 'trace_code_coverage', from: '2026-01', to: '2026-12', groupBy: 'organization' }).expect(200);
    expect(split.body.rows.map((r: { organization: { id: string } }) => r.organization.id)).toEqual([other.id]);
  });

  it('splits by category at any level, the children adding up to the parent', async () => {
    const top = await get(ADMIN_TOKEN, { indicator: 'trace_code_coverage', region: '513400', from: '2026-01', to: '2026-12', groupBy: 'category' }).expect(200);
    expect(top.body.rows.map((r: { category: { path: string }; denominator: string }) => [r.category.path, r.denominator])).toEqual([['水果', '4']]);
    const fruit = await get(ADMIN_TOKEN, { indicator: 'trace_code_coverage', region: '513400', category: '水果', from: '2026-01', to: '2026-12', groupBy: 'category' }).expect(200);
    expect(fruit.body.rows.map((r: { category: { path: string }; denominator: string }) => [r.category.path, r.denominator]))
      .toEqual([['水果>浆果和其他小型水果', '4']]);
  });

  it('a regulator reads an organisation producing in its region though registered elsewhere, only the figures inside it', async () => {
    const visitor = await createOrg(t, { regionCode: '510104', name: '成都外来合作社' });
    const site = await createSite(t, visitor.token, { regionCode: '513401' });
    await createBatch(t, visitor.token, { siteId: site.id, producedOn: '2026-04-01' });
    const q = { indicator: 'trace_code_coverage', from: '2026-01', to: '2026-12', organization: visitor.id };
    const inXichang = await get(xichang.token, q).expect(200);
    expect(inXichang.body.rows[0]).toMatchObject({ numerator: '1', denominator: '1' });
    const inChengdu = await get(chengdu.token, q).expect(200);
    expect(inChengdu.body.rows[0]).toMatchObject({ numerator: '0', denominator: '0' });
    await get(liangshan.token, { ...q, organization: other.id, region: '513401' }).expect(200);
    await get(xichang.token, { ...q, organization: other.id }).expect(404);
  });

  it('answers bad questions with 4xx naming the field and the rule', async () => {
    const cases: [Record<string, string>, number, string, string][] = [
      [{ indicator: 'pass_rate' }, 400, 'indicator', 'one_of'],
      [{ groupBy: 'month,quarter' }, 400, 'groupBy', 'combination'],
      [{ groupBy: 'week' }, 400, 'groupBy', 'one_of'],
      [{ from: '2026-01-15' }, 400, 'from', 'month_aligned'],
      [{ to: '2026-02-28' }, 200, '', ''],
      [{ to: '2026-02-27' }, 400, 'to', 'month_aligned'],
      [{ from: '2026-05', to: '2026-01' }, 400, 'from', 'order'],
      [{ from: '2010-01', to: '2026-01' }, 400, 'from', 'max_window'],
      [{ region: '513401', groupBy: 'region' }, 400, 'groupBy', 'no_sub_regions'],
      [{ region: '999999' }, 400, 'region', 'known_code'],
      [{ indicator: 'routine_monitoring', groupBy: 'gi' }, 400, 'groupBy', 'dimension'],
      [{ organization: 'not-a-uuid' }, 400, 'organization', 'uuid'],
    ];
    for (const [query, status, field, rule] of cases) {
      const res = await get(ADMIN_TOKEN, query);
      expect([query, res.status]).toEqual([query, status]);
      if (status !== 200) expect([query, res.body.details]).toEqual([query, expect.objectContaining({ field, rule })]);
    }
    const unknownCategory = await get(ADMIN_TOKEN, { category: '水果>不存在' });
    expect(unknownCategory.status).toBeGreaterThanOrEqual(400);
    expect(unknownCategory.status).toBeLessThan(500);
    expect(unknownCategory.body.details).toMatchObject({ field: 'category', rule: 'known_category' });
    await t.http().get('/api/v1/indicators').expect(401);
  });
});
