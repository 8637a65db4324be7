import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { chinaDate } from '../libs/codes/calendar-date';
import { ConsoleClient, consoleUser } from './support/console';
import { auth, createOrg, createProduct, createRegulator, createSite, OrgWithKey, uniqueUscc } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

let serial = 10_000;
const greenNumber = () => `LB-15-25015${serial++}A`;
const organicNumber = () => `124OP25${String(serial++).padStart(5, '0')}`;

describe('quality marks: records, claims on batches, refusals kept, CSV, regulators', () => {
  let t: TestApp;
  let db: DataSource;
  let chengdu: OrgWithKey;
  let coop: OrgWithKey;
  let coopUscc: string;
  let base: { id: string };
  let otherSite: { id: string };
  let kiwi: string;
  let rice: string;

  const createMark = async (fields: Record<string, unknown>, token = coop.token) =>
    (await t.http().post('/api/v1/marks').set(auth(token)).send(fields).expect(201)).body as { id: string; number: string; state: string };
  const green = (fields: Record<string, unknown> = {}) => ({
    scheme: 'green_food', number: greenNumber(), holderUscc: coopUscc, holderName: '蒲江县绿源猕猴桃专业合作社', enterpriseCode: 'GF510131250001',
    certifier: '中国绿色食品发展中心', productNames: ['蒲江猕猴桃'], siteIds: [base.id], validFrom: '2025-03-01', validTo: '2028-02-29',
    yearlyQuota: { value: '1', unit: 't' }, ...fields,
  });
  const batch = (fields: Record<string, unknown>, token = coop.token) =>
    t.http().post('/api/v1/batches').set(auth(token)).send({ productId: kiwi, siteId: base.id, quantity: { value: '100', unit: 'kg' }, producedOn: '2026-10-08', ...fields });

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    chengdu = await createRegulator(t, '510100');
    coopUscc = uniqueUscc('93', '510131');
    coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', uscc: coopUscc });
    base = await createSite(t, coop.token, { name: '西来镇认证基地' });
    otherSite = await createSite(t, coop.token, { name: '未认证基地' });
    kiwi = (await createProduct(t, coop.token)).id;
    rice = (await createProduct(t, coop.token, { name: '蒲江大米', category: '谷物>稻类>大米' })).id;
  });
  afterAll(() => t.close());

  it('lets a cooperative record its own certificates and regulators those in their region; checks numbers, codes and validity as data', async () => {
    const schemes = (await t.http().get('/api/v1/marks/schemes').expect(200)).body.items as { id: string; numberFormats: { verified: boolean }[] }[];
    expect(schemes.find((s) => s.id === 'organic')!.numberFormats.map((f) => f.verified)).toEqual([true, false]);

    const mark = await createMark(green());
    const got = (await t.http().get(`/api/v1/marks/${mark.id}`).expect(200)).body;
    expect(got).toMatchObject({ scheme: 'green_food', schemeName: '绿色食品', numberFormat: { id: 'lb', verified: true }, holder: { uscc: coopUscc, regionCode: '510131' }, state: 'valid', stateName: '有效' });
    const organic2022 = await createMark({ ...green(), scheme: 'organic', number: `1240OP25${String(serial++).padStart(5, '0')}`, enterpriseCode: undefined, validTo: '2026-02-28' }, chengdu.token);
    expect((await t.http().get(`/api/v1/marks/${organic2022.id}`).expect(200)).body.numberFormat).toEqual({ id: 'op_2022', verified: false });

    const bad: [Record<string, unknown>, number, string, string][] = [
      [{ number: 'LB-15-123A' }, 400, 'INVALID_MARK_NUMBER', 'number'],
      [{ enterpriseCode: 'GF510100250001' }, 400, 'INVALID_ENTERPRISE_CODE', 'enterpriseCode'],
      [{ validTo: '2028-03-02' }, 400, 'INVALID_MARK_VALIDITY', 'validTo'],
      [{ scheme: 'organic', number: organicNumber(), enterpriseCode: undefined, validTo: '2026-03-02' }, 400, 'INVALID_MARK_VALIDITY', 'validTo'],
      [{ productNames: [] }, 400, 'INVALID_MARK_SCOPE', 'productNames'],
      [{ areaCodes: ['510124'] }, 400, 'INVALID_REGION_CODE', 'areaCodes[0]'],
      [{ number: mark.number }, 409, 'DUPLICATE_MARK', 'number'],
      [{ holderUscc: uniqueUscc('93', '510131') }, 403, 'FORBIDDEN', 'holderUscc'],
    ];
    for (const [fields, status, code, field] of bad) {
      const res = await t.http().post('/api/v1/marks').set(auth(coop.token)).send(green(fields)).expect(status);
      expect(res.body).toMatchObject({ code, details: { field } });
    }
    // A regulator elsewhere may not record a 蒲江 holder's certificate.
    await t.http().post('/api/v1/marks').set(auth((await createRegulator(t, '511800')).token)).send(green()).expect(403);
    const list = await t.http().get(`/api/v1/marks?holderUscc=${coopUscc}&scheme=green_food`).expect(200);
    expect(list.body.items.map((m: { id: string }) => m.id)).toContain(mark.id);
  });

  it('records valid claims with the batch and refuses every broken rule by name, creating nothing and keeping the refusal', async () => {
    const mark = await createMark(green());
    const ok = await batch({ marks: [{ markId: mark.id }] }).expect(201);
    expect(await db.query('SELECT scheme, organization_id, year, base_amount::text AS amount FROM mark_claims WHERE batch_id = $1', [ok.body.id]))
      .toEqual([{ scheme: 'green_food', organization_id: coop.id, year: 2026, amount: '100.000000' }]);

    const future = await createMark(green({ validFrom: '2026-11-01', validTo: '2029-10-31' }));
    const expired = await createMark(green({ validFrom: '2023-01-01', validTo: '2025-12-31' }));
    const revoked = await createMark(green());
    await t.http().post(`/api/v1/marks/${revoked.id}/revoke`).set(auth(chengdu.token)).send({ reason: '年检不合格' }).expect(201);
    await t.http().post(`/api/v1/marks/${revoked.id}/revoke`).set(auth(chengdu.token)).send({ reason: 'again' }).expect(409);
    const before = Number((await db.query('SELECT count(*) FROM batches'))[0].count);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ marks: [{ markId: future.id }] }, 'MARK_NOT_YET_VALID', 'valid_from'],
      [{ marks: [{ markId: expired.id }] }, 'MARK_EXPIRED', 'valid_to'],
      [{ marks: [{ markId: revoked.id }] }, 'MARK_REVOKED', 'mark_revoked'],
      [{ marks: [{ markId: mark.id }], productId: rice }, 'MARK_OUTSIDE_SCOPE', 'product'],
      [{ marks: [{ markId: mark.id }], siteId: otherSite.id }, 'MARK_OUTSIDE_SCOPE', 'site'],
      [{ marks: [{ markId: mark.id }], quantity: { value: '3', unit: '箱' } }, 'MARK_QUOTA_UNIT_MISMATCH', 'comparable_unit'],
      // The second mark is refused: the whole batch is, the valid first claim with it.
      [{ marks: [{ markId: mark.id }, { markId: expired.id }] }, 'MARK_EXPIRED', 'valid_to'],
    ];
    for (const [fields, code, rule] of cases) {
      const res = await batch(fields).expect(422);
      expect(res.body).toMatchObject({ code, details: { rule, field: expect.stringMatching(/^marks\[\d\]\.markId$/) } });
    }
    const stranger = await createOrg(t, { name: '另一个合作社' });
    const strangerSite = await createSite(t, stranger.token);
    const strangerProduct = await createProduct(t, stranger.token);
    const foreign = await batch({ productId: strangerProduct.id, siteId: strangerSite.id, marks: [{ markId: mark.id }] }, stranger.token).expect(422);
    expect(foreign.body).toMatchObject({ code: 'MARK_NOT_AUTHORISED' });
    expect(Number((await db.query('SELECT count(*) FROM batches'))[0].count)).toBe(before);
    const refusals = await db.query('SELECT reason FROM mark_claim_refusals ORDER BY created_at');
    expect(refusals.map((r: { reason: string }) => r.reason)).toEqual([
      'MARK_NOT_YET_VALID', 'MARK_EXPIRED', 'MARK_REVOKED', 'MARK_OUTSIDE_SCOPE', 'MARK_OUTSIDE_SCOPE', 'MARK_QUOTA_UNIT_MISMATCH', 'MARK_EXPIRED', 'MARK_NOT_AUTHORISED',
    ]);
    expect((await batch({ marks: [{ markId: '00000000-0000-4000-8000-000000000000' }] }).expect(404)).body.details.field).toBe('marks[0].markId');
    await batch({ marks: [{ markId: 'nope' }] }).expect(400);
    expect((await batch({ marks: [{ markId: mark.id }, { markId: mark.id }] }).expect(400)).body.details.field).toBe('marks');

    // Regulators see the claims and the refusals of their region; a producer does not.
    const claims = (await t.http().get('/api/v1/marks/claims?scheme=green_food').set(auth(chengdu.token)).expect(200)).body;
    expect(claims.items.map((c: { batchId: string }) => c.batchId)).toContain(ok.body.id);
    const seen = (await t.http().get('/api/v1/marks/refusals?limit=100').set(auth(chengdu.token)).expect(200)).body;
    expect(seen.items).toHaveLength(8);
    expect(seen.items[0]).toMatchObject({ reason: 'MARK_NOT_AUTHORISED', mark: { number: mark.number }, organization: { id: stranger.id } });
    const elsewhere = await createRegulator(t, '511800');
    expect((await t.http().get('/api/v1/marks/refusals').set(auth(elsewhere.token)).expect(200)).body.items).toHaveLength(0);
    await t.http().get('/api/v1/marks/refusals').set(auth(coop.token)).expect(403);
  });

  it('keeps a yearly quota under concurrent claims (mark quota and brand licence quota)', async () => {
    const mark = await createMark(green());
    await batch({ marks: [{ markId: mark.id }], quantity: { value: '600', unit: 'kg' } }).expect(201);
    const over = await batch({ marks: [{ markId: mark.id }], quantity: { value: '900', unit: '斤' } }).expect(422);
    expect(over.body).toMatchObject({ code: 'MARK_QUOTA_EXCEEDED', details: { quotaOf: 'mark', remaining: { value: '400', unit: 'kg' } } });
    // Six concurrent batches of 100 kg into the remaining 400 kg: exactly four fit.
    const results = await Promise.all(Array.from({ length: 6 }, () => batch({ marks: [{ markId: mark.id }] })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 422, 422]);
    const [{ sum }] = await db.query('SELECT sum(base_amount)::text AS sum FROM mark_claims WHERE mark_id = $1', [mark.id]);
    expect(Number(sum)).toBe(1000);

    // 「天府粮仓」-style brand: the owner licenses the cooperative with its own quota.
    const owner = await createOrg(t, { name: '四川省农业农村厅品牌办', uscc: uniqueUscc('12', '510131') });
    const ownerUscc = (await db.query('SELECT uscc FROM organizations WHERE id = $1', [owner.id]))[0].uscc as string;
    const brand = await createMark({ scheme: 'regional_brand', number: `天府粮仓-${serial++}`, holderUscc: ownerUscc, categoryPaths: ['水果'], areaCodes: ['510100'], validFrom: '2025-01-01' }, chengdu.token);
    expect((await batch({ marks: [{ markId: brand.id }] }).expect(422)).body.code).toBe('MARK_NOT_AUTHORISED');
    await t.http().post(`/api/v1/marks/${mark.id}/licences`).set(auth(chengdu.token)).send({ organizationId: owner.id, validFrom: '2026-01-01' }).expect(422);
    const licence = (await t.http().post(`/api/v1/marks/${brand.id}/licences`).set(auth(owner.token))
      .send({ organizationId: coop.id, validFrom: '2026-01-01', validTo: '2026-12-31', yearlyQuota: { value: '250', unit: 'kg' } }).expect(201)).body;
    const racing = await Promise.all(Array.from({ length: 4 }, () => batch({ marks: [{ markId: brand.id }] })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    expect(racing.find((r) => r.status === 422)!.body.details).toMatchObject({ quotaOf: 'licence', remaining: { value: '50', unit: 'kg' } });
    await t.http().post(`/api/v1/marks/${brand.id}/licences/${licence.id}/revoke`).set(auth(chengdu.token)).send({ reason: '违规', revokedOn: '2026-11-01' }).expect(201);
    expect((await batch({ marks: [{ markId: brand.id }], quantity: { value: '1', unit: 'kg' } }).expect(422)).body).toMatchObject({ code: 'MARK_REVOKED', details: { rule: 'licence_revoked' } });
  });

  it('never lets conversion-period produce claim 有机', async () => {
    const organic = await createMark({ ...green(), scheme: 'organic', number: organicNumber(), enterpriseCode: undefined, validFrom: '2026-03-01', validTo: '2027-02-28', yearlyQuota: undefined });
    const conversion = await createMark({ ...green(), scheme: 'organic_conversion', number: organicNumber(), enterpriseCode: undefined, siteIds: [otherSite.id], validFrom: '2026-01-01', validTo: '2026-12-31', yearlyQuota: undefined });
    await batch({ marks: [{ markId: organic.id }] }).expect(201);
    // A certified organic base next to a converting one: the converting site claims nothing organic.
    await t.http().post('/api/v1/marks').set(auth(coop.token)).send({ ...green(), scheme: 'organic', number: organicNumber(), enterpriseCode: undefined, siteIds: [otherSite.id], validFrom: '2026-03-01', validTo: '2027-02-28', yearlyQuota: undefined }).expect(201)
      .then(async (res) => {
        const refused = await batch({ siteId: otherSite.id, marks: [{ markId: res.body.id }] }).expect(422);
        expect(refused.body).toMatchObject({ code: 'MARK_CONVERSION_PERIOD', details: { rule: 'under_conversion' } });
      });
    expect((await batch({ siteId: otherSite.id, marks: [{ markId: conversion.id }] }).expect(422)).body).toMatchObject({ code: 'MARK_CONVERSION_PERIOD', details: { rule: 'not_claimable' } });
  });

  it('shows each claimed mark on the consumer page with number, holder and 有效/已过期/已撤销', async () => {
    const mark = await createMark(green());
    const brandOwner = await createOrg(t, { name: '品牌持有人', uscc: uniqueUscc('12', '510131') });
    const ownerUscc = (await db.query('SELECT uscc FROM organizations WHERE id = $1', [brandOwner.id]))[0].uscc as string;
    const brand = await createMark({ scheme: 'regional_brand', number: `蒲江猕猴桃品牌-${serial++}`, holderUscc: ownerUscc, holderName: '蒲江县猕猴桃协会', productIds: [kiwi], validFrom: '2025-01-01' }, chengdu.token);
    await t.http().post(`/api/v1/marks/${brand.id}/licences`).set(auth(chengdu.token)).send({ organizationId: coop.id, validFrom: '2026-01-01' }).expect(201);
    const claimed = (await batch({ marks: [{ markId: mark.id }, { markId: brand.id }] }).expect(201)).body as { traceCode: string };
    let scan = (await t.http().get(`/api/v1/scan/${claimed.traceCode}`).expect(200)).body;
    expect(scan.marks).toEqual(expect.arrayContaining([
      expect.objectContaining({ schemeName: '绿色食品', number: mark.number, holderName: '蒲江县绿源猕猴桃专业合作社', state: 'valid', stateName: '有效' }),
      expect.objectContaining({ schemeName: '区域公用品牌', holderName: '蒲江县猕猴桃协会', state: 'valid' }),
    ]));
    await t.http().post(`/api/v1/marks/${mark.id}/revoke`).set(auth(chengdu.token)).send({ reason: '年检不合格' }).expect(201);
    scan = (await t.http().get(`/api/v1/scan/${claimed.traceCode}`).expect(200)).body;
    expect(scan.marks.find((m: { number: string }) => m.number === mark.number)).toMatchObject({ state: 'revoked', stateName: '已撤销' });
    const page = await t.http().get(`/t/${claimed.traceCode}`).expect(200);
    expect(page.text).toContain('质量标志');
    expect(page.text).toContain('已撤销');
    expect(page.text).toContain(mark.number);
  });

  it('imports marks from CSV atomically with a report per row, re-imports as unchanged, and exports what re-imports', async () => {
    const csvPost = (body: string, token = chengdu.token, query = '') =>
      t.http().post(`/api/v1/marks/records.csv${query}`).set(auth(token)).set('Content-Type', 'text/csv').send(body);
    const header = 'scheme,number,holder_uscc,holder_name,enterprise_code,product_names,site_ids,valid_from,valid_to,quota_value,quota_unit';
    const [a, b] = [greenNumber(), organicNumber()];
    const broken = [
      header,
      `green_food,${a},${coopUscc},合作社,GF510131250002,猕猴桃;蒲江猕猴桃,${base.id},2025-03-01,2028-02-29,2,t`,
      `green_food,LB-1-2,${coopUscc},,,猕猴桃,,2025-03-01,2028-02-29,,`,
      `organic,${b},${coopUscc},,,猕猴桃,,2025-03-01,2026-03-05,,`,
      `green_food,${a},${coopUscc},,,猕猴桃,,2025-03-01,2028-02-29,,`,
      `有机转换,${organicNumber()},${uniqueUscc('93', '511823')},,,猕猴桃,,2025-03-01,2026-02-28,,`,
    ].join('\n');
    const res = await csvPost(broken).expect(422);
    expect(res.body).toMatchObject({ code: 'MARK_IMPORT_REJECTED', details: { rowCount: 5, problemCount: 4 } });
    expect(res.body.details.problems).toEqual([
      expect.objectContaining({ row: 3, column: 'number', code: 'INVALID_MARK_NUMBER' }),
      expect.objectContaining({ row: 4, column: 'valid_to', code: 'INVALID_MARK_VALIDITY' }),
      expect.objectContaining({ row: 5, column: 'number', code: 'DUPLICATE_IN_FILE' }),
      expect.objectContaining({ row: 6, column: 'holder_uscc', code: 'FORBIDDEN' }),
    ]);
    expect((await db.query('SELECT count(*)::int AS n FROM mark_records WHERE number = $1', [a]))[0].n).toBe(0);

    const clean = [header, broken.split('\n')[1], `organic,${b},${coopUscc},,,猕猴桃,,2025-03-01,2026-02-28,,`].join('\n');
    expect((await csvPost(clean, chengdu.token, '?dryRun=true').expect(201)).body).toMatchObject({ created: 2, dryRun: true });
    expect((await csvPost(clean).expect(201)).body).toMatchObject({ rows: 2, created: 2, updated: 0, unchanged: 0 });
    expect((await csvPost(clean).expect(201)).body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const imported = (await t.http().get(`/api/v1/marks?number=${a}`).expect(200)).body.items[0];
    expect(imported).toMatchObject({ holder: { organizationId: coop.id }, enterpriseCode: 'GF510131250002', scope: { productNames: ['猕猴桃', '蒲江猕猴桃'], siteIds: [base.id] }, yearlyQuota: { value: '2', unit: 't' } });

    const exported = await t.http().get('/api/v1/marks/records.csv').expect(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    const rows = parse(exported.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.number === a)).toMatchObject({ scheme: 'green_food', product_names: '猕猴桃;蒲江猕猴桃', quota_value: '2', quota_unit: 't' });
    const again = (await csvPost(exported.text, ADMIN_TOKEN).expect(201)).body;
    expect(again).toMatchObject({ created: 0, updated: 0 });
    await csvPost('scheme,number\n', coop.token).expect(400);
  });

  it('lists certificates expiring in the regulator\'s region', async () => {
    const soon = await createMark({ ...green(), scheme: 'organic', number: organicNumber(), enterpriseCode: undefined, validFrom: '2026-01-01', validTo: '2026-12-31' });
    const res = (await t.http().get('/api/v1/marks/expiring?days=60').set(auth(chengdu.token)).expect(200)).body;
    expect(res.items.map((m: { id: string }) => m.id)).toContain(soon.id);
    await t.http().get('/api/v1/marks/expiring').set(auth(coop.token)).expect(403);
  });

  it('shows a regulator its region\'s claims, refusals, expiring and expired-but-claimed certificates on the console, and nothing of another region', async () => {
    const day = (n: number) => chinaDate(Date.now() + n * 86_400_000);
    // 蒲江 (in 成都): an organic certificate ending in 20 days, claimed; a green-food one expired in 2026-06 that batches still try to carry.
    const soon = await createMark({ ...green(), scheme: 'organic', number: organicNumber(), enterpriseCode: undefined, validFrom: day(-300), validTo: day(20), yearlyQuota: undefined });
    await batch({ producedOn: day(-10), marks: [{ markId: soon.id }] }).expect(201);
    const expired = await createMark(green({ validFrom: '2024-01-01', validTo: '2026-06-30', yearlyQuota: undefined }));
    expect((await batch({ producedOn: '2026-10-08', marks: [{ markId: expired.id }] }).expect(422)).body.code).toBe('MARK_EXPIRED');
    await batch({ producedOn: '2026-05-01', marks: [{ markId: expired.id }] }).expect(201);
    // 涪城 (绵阳): the same kinds of rows, outside 成都's region.
    const fuUscc = uniqueUscc('93', '510703');
    const fu = await createOrg(t, { name: '涪城区果业专业合作社', regionCode: '510703', uscc: fuUscc });
    const fuSite = await createSite(t, fu.token, { name: '涪城认证基地', regionCode: '510703' });
    const fuKiwi = (await createProduct(t, fu.token)).id;
    const fuMark = await createMark({ ...green(), scheme: 'organic', number: organicNumber(), holderUscc: fuUscc, holderName: '涪城区果业专业合作社', enterpriseCode: undefined,
      siteIds: [fuSite.id], validFrom: day(-300), validTo: day(20), yearlyQuota: undefined }, fu.token);
    const fuBatch = (fields: Record<string, unknown>) => batch({ productId: fuKiwi, siteId: fuSite.id, ...fields }, fu.token);
    await fuBatch({ producedOn: day(-10), marks: [{ markId: fuMark.id }] }).expect(201);
    await fuBatch({ producedOn: day(-400), marks: [{ markId: fuMark.id }] }).expect(422);

    const regulator = await consoleUser(t, chengdu.id, `marks-regulator-${Date.now()}`, '成都市农业农村局2026冬', 'regulator');
    const res = await regulator.get('/app/marks');
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(50 * 1024);
    expect(res.text).toContain('href="/app/marks"');
    const section = (id: string) => new RegExp(`<section class="card" id="${id}">([\\s\\S]*?)</section>`).exec(res.text)![1];
    expect(section('expiring')).toContain(soon.number);
    expect(section('expiring')).toContain('还剩 20 天');
    expect(section('expiring')).not.toContain(expired.number);
    expect(section('still-claimed')).toContain(expired.number);
    expect(section('still-claimed')).toMatch(/过期后：使用 1 次，被拒 1 次/);
    expect(section('still-claimed')).toContain('蒲江县绿源猕猴桃专业合作社');
    expect(section('refusals')).toContain(expired.number);
    expect(section('refusals')).toContain('MARK_EXPIRED');
    expect(section('refusals')).toContain('该质量标志证书已过期');
    expect(section('refusals')).toContain('蒲江县绿源猕猴桃专业合作社');
    expect(section('claims')).toContain(soon.number);
    expect(section('claims')).toContain(expired.number);
    // Another region's certificates, claims and refusals are not shown.
    expect(res.text).not.toContain(fuMark.number);
    expect(res.text).not.toContain('涪城区果业专业合作社');
    // The scheme filter narrows every list; no form on the page (it only reads).
    const organic = await regulator.get('/app/marks?scheme=organic&days=30');
    expect(organic.status).toBe(200);
    expect(organic.text).toContain(soon.number);
    expect(organic.text).not.toContain(expired.number);
    expect(organic.text).toMatch(/<a class="chip" href="\/app\/marks\?scheme=organic&amp;days=30" aria-current="page">30 天/);
    expect(organic.text).not.toMatch(/<form(?![^>]*action="\/app\/logout")/);
    // The cooperative's people have no such workspace.
    const coopUser = await consoleUser(t, coop.id, `marks-coop-${Date.now()}`, '蒲江猕猴桃2026冬天');
    expect((await coopUser.get('/app/marks')).status).toBe(303);
    expect((await coopUser.get('/app')).text).not.toContain('href="/app/marks"');
    // The API answers the same rows (stillClaimed is additive on /expiring).
    const api = (await t.http().get('/api/v1/marks/expiring?days=60').set(auth(chengdu.token)).expect(200)).body;
    expect(api.stillClaimed).toEqual(expect.arrayContaining([expect.objectContaining({ mark: expect.objectContaining({ id: expired.id }), claimsAfterExpiry: 1, refusalsAfterExpiry: 1 })]));
  });

  it('lets a cooperative\'s org_admin record a certificate in the console and claim held or licensed marks on a new batch', async () => {
    const admin = await consoleUser(t, coop.id, `marks-admin-${Date.now()}`, '蒲江猕猴桃2026冬天');
    const page = await admin.get('/app/mark-records');
    expect(page.status).toBe(200);
    const hidden = ConsoleClient.hidden(page.text, '/app/mark-records');
    const number = greenNumber();
    // A broken number is refused next to its field, with what was typed kept.
    const bad = await admin.post('/app/mark-records', { ...hidden, scheme: 'green_food', number: 'LB-1-2', productIds: kiwi, validFrom: '2026-01-01', validTo: '2028-12-31', 'yearlyQuota.value': '', 'yearlyQuota.unit': 't' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/data-field="number"/);
    expect(bad.text).toContain('value="LB-1-2"');
    const ok = await admin.post('/app/mark-records', {
      ...ConsoleClient.hidden(bad.text, '/app/mark-records'), scheme: 'green_food', number, enterpriseCode: 'GF510131250001', certifier: '中国绿色食品发展中心',
      productIds: kiwi, siteIds: base.id, validFrom: '2026-01-01', validTo: '2028-12-31', 'yearlyQuota.value': '2', 'yearlyQuota.unit': 't',
    });
    expect(ok.status).toBe(303);
    const recorded = (await t.http().get(`/api/v1/marks?number=${number}`).expect(200)).body.items[0];
    expect(recorded).toMatchObject({ scheme: 'green_food', holder: { organizationId: coop.id }, scope: { productIds: [kiwi], siteIds: [base.id] }, yearlyQuota: { value: '2', unit: 't' } });
    expect((await admin.get('/app/mark-records')).text).toContain(number);
    // A brand it is licensed for (held by an association) is offered on the new-batch form beside its own certificate.
    const association = await createOrg(t, { name: '蒲江县猕猴桃协会', uscc: uniqueUscc('51', '510131') });
    const associationUscc = (await db.query('SELECT uscc FROM organizations WHERE id = $1', [association.id]))[0].uscc as string;
    const brand = await createMark({ scheme: 'regional_brand', number: `天府粮仓-${serial++}`, holderUscc: associationUscc, holderName: '蒲江县猕猴桃协会', productIds: [kiwi], validFrom: '2025-01-01' }, chengdu.token);
    await t.http().post(`/api/v1/marks/${brand.id}/licences`).set(auth(chengdu.token)).send({ organizationId: coop.id, validFrom: '2026-01-01' }).expect(201);
    const form = (await admin.get('/app/batches/new')).text;
    expect(form).toContain(`value="${recorded.id}"`);
    expect(form).toContain(`value="${brand.id}"`);
    expect((await admin.get('/app/mark-records')).text).toContain('授权使用（持有人：蒲江县猕猴桃协会）');
    // An operator sees the list but no form (only the holder's org_admin records certificates).
    const operator = await consoleUser(t, coop.id, `marks-operator-${Date.now()}`, '蒲江猕猴桃2026冬天', 'operator');
    const seen = await operator.get('/app/mark-records');
    expect(seen.text).toContain(number);
    expect(seen.text).not.toContain('action="/app/mark-records"');
  });

  it('counts the mark indicators: 三品一标 products per scheme, share of batch quantity per scheme and unit, refused claims', async () => {
    // A cooperative and a GI in 西昌 (no other test here writes there).
    const xcUscc = uniqueUscc('93', '513401');
    const xc = await createOrg(t, { name: '西昌脐橙合作社', regionCode: '513401', uscc: xcUscc });
    const liangshan = await createRegulator(t, '513400');
    const site = await createSite(t, xc.token, { regionCode: '513401' });
    const orange = await createProduct(t, xc.token, { name: '西昌脐橙', category: '水果>柑橘类水果' });
    const own = (fields: Record<string, unknown>) => createMark({
      holderUscc: xcUscc, productNames: ['西昌脐橙'], siteIds: [site.id], ...fields,
    }, xc.token);
    const greenMark = await own({ scheme: 'green_food', number: greenNumber(), validFrom: '2025-03-01', validTo: '2026-12-31' });
    const organicMark = await own({ scheme: 'organic', number: organicNumber(), productNames: ['西昌脐橙', '西昌石榴'], validFrom: '2026-01-01', validTo: '2026-06-30' });
    const gi = (await t.http().post('/api/v1/gi').set(auth(liangshan.token)).send({
      regime: 'agi', registrationNumber: `AGI${String(serial++).slice(-5)}`, productName: '西昌脐橙', holderUscc: uniqueUscc('51', '513401'),
      areaCodes: ['513401'], announcedOn: '2015-01-01',
    }).expect(201)).body as { id: string };
    await t.http().post(`/api/v1/gi/${gi.id}/authorisations`).set(auth(liangshan.token)).send({ organizationId: xc.id, validFrom: '2026-01-01' }).expect(201);
    const make = (fields: Record<string, unknown>) => t.http().post('/api/v1/batches').set(auth(xc.token))
      .send({ productId: orange.id, siteId: site.id, quantity: { value: '100', unit: 'kg' }, producedOn: '2026-10-08', ...fields });
    await make({ marks: [{ markId: greenMark.id }] }).expect(201);
    await make({ quantity: { value: '200', unit: 'kg' } }).expect(201);
    await make({ quantity: { value: '50', unit: 'kg' }, giId: gi.id }).expect(201);
    await make({ quantity: { value: '3', unit: '箱' } }).expect(201);
    // The organic certificate ended on 2026-06-30: refused, kept as a refusal.
    await make({ marks: [{ markId: organicMark.id }] }).expect(422);

    type Row = { indicator: string; name: string; scheme?: { id: string; name: string; unit?: string }; numerator: string; denominator: string; rate: number | null; period?: { key: string } };
    const rows = async (token: string, query: Record<string, string>) =>
      ((await t.http().get('/api/v1/indicators').query({ from: '2026-01', to: '2026-12', ...query }).set(auth(token)).expect(200)).body.rows as Row[])
        .map((r) => [r.period?.key ?? '', r.scheme?.id ?? '', r.scheme?.unit ?? '', r.numerator, r.denominator, r.rate === null ? null : Number(r.rate.toFixed(4))]);

    // Per unit, never added across units: kg rows over 350 kg, the 箱 batch on rows of its own (rows sorted by scheme name, then unit).
    expect(await rows(xc.token, { indicator: 'mark_quantity_share' })).toEqual([
      ['', 'gi', '箱', '0', '3', 0], ['', 'gi', 'kg', '50', '350', 0.1429], ['', 'green_food', '箱', '0', '3', 0], ['', 'green_food', 'kg', '100', '350', 0.2857],
      ['', 'regional_brand', '箱', '0', '3', 0], ['', 'regional_brand', 'kg', '0', '350', 0], ['', 'organic', '箱', '0', '3', 0], ['', 'organic', 'kg', '0', '350', 0],
    ]);
    const names = ((await t.http().get('/api/v1/indicators').query({ indicator: 'mark_claim_refusals', from: '2026-01', to: '2026-12' }).set(auth(xc.token)).expect(200)).body.rows as Row[])
      .map((r) => [r.name, r.scheme?.name]);
    expect(names).toEqual([['标志使用被拒率', '地理标志'], ['标志使用被拒率', '绿色食品'], ['标志使用被拒率', '有机产品']]);
    expect(await rows(xc.token, { indicator: 'mark_claim_refusals' })).toEqual([
      ['', 'gi', '', '0', '1', 0], ['', 'green_food', '', '0', '1', 0], ['', 'organic', '', '1', '1', 1],
    ]);
    // A stock as of each period's end: the organic certificate (two products) counts as valid until June,
    // then only in the denominator (products ever certified); the GI (no platform holder) counts in its
    // protected area's county, seen by that county's regulator.
    expect(await rows(liangshan.token, { indicator: 'quality_mark_products', region: '513401', groupBy: 'quarter' })).toEqual([
      ['2026-Q1', 'gi', '', '1', '1', 1], ['2026-Q2', 'gi', '', '1', '1', 1], ['2026-Q3', 'gi', '', '1', '1', 1], ['2026-Q4', 'gi', '', '1', '1', 1],
      ['2026-Q1', 'green_food', '', '1', '1', 1], ['2026-Q2', 'green_food', '', '1', '1', 1], ['2026-Q3', 'green_food', '', '1', '1', 1], ['2026-Q4', 'green_food', '', '1', '1', 1],
      ['2026-Q1', 'organic', '', '2', '2', 1], ['2026-Q2', 'organic', '', '2', '2', 1], ['2026-Q3', 'organic', '', '0', '2', 0], ['2026-Q4', 'organic', '', '0', '2', 0],
    ]);
    // Revoking the green certificate takes it off from the month of the revocation.
    await t.http().post(`/api/v1/marks/${greenMark.id}/revoke`).set(auth(liangshan.token)).send({ reason: '抽检不合格', revokedOn: '2026-11-15' }).expect(201);
    expect(await rows(xc.token, { indicator: 'quality_mark_products', from: '2026-10', to: '2026-11', groupBy: 'month' })).toEqual([
      ['2026-10', 'green_food', '', '1', '1', 1], ['2026-11', 'green_food', '', '0', '1', 0], ['2026-10', 'organic', '', '0', '2', 0], ['2026-11', 'organic', '', '0', '2', 0],
    ]);
    // Records no platform organisation holds (the GI) are no organisation's row.
    const byOrganization = (await t.http().get('/api/v1/indicators').query({ indicator: 'quality_mark_products', region: '513401', groupBy: 'organization' })
      .set(auth(liangshan.token)).expect(200)).body.rows as { organization: { id: string } }[];
    expect([...new Set(byOrganization.map((r) => r.organization.id))]).toEqual([xc.id]);
    // Outside the regulator's jurisdiction: 404, as every indicator.
    await t.http().get('/api/v1/indicators').query({ indicator: 'quality_mark_products', region: '510131' }).set(auth(liangshan.token)).expect(404);
  });

  it('lists the claim refusal codes on the OpenAPI document of POST /api/v1/batches', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const codes = doc.paths['/api/v1/batches'].post.responses['422'].content['application/json'].schema.properties.code.enum as string[];
    expect(codes).toEqual(expect.arrayContaining(['MARK_EXPIRED', 'MARK_NOT_YET_VALID', 'MARK_OUTSIDE_SCOPE', 'MARK_QUOTA_EXCEEDED', 'MARK_NOT_AUTHORISED', 'MARK_REVOKED', 'MARK_CONVERSION_PERIOD']));
  });
});
