import { DataSource } from 'typeorm';
import { isValidSscc } from '../libs/codes';
import { auth, createOrg, uniqueUscc } from './support/factories';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

/** Issue 15, item 4 (SSCC allocation part): unique, never reused, from the organisation's GS1 company prefix. */
describe('SSCC allocation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('allocates SSCCs from the company prefix: valid, consecutive, unique under concurrency, never reused', async () => {
    const org = await createOrg(t, { name: '蒲江县物流合作社', gs1CompanyPrefix: '6901234' });
    const first = await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ count: 3 }).expect(201);
    expect(first.body.ssccs.map((s: string) => s.slice(0, 8))).toEqual(['06901234', '06901234', '06901234']);
    for (const s of first.body.ssccs) expect(isValidSscc(s)).toBe(true);
    expect(first.body.ssccs.map((s: string) => s.slice(8, 17))).toEqual(['000000000', '000000001', '000000002']);
    const parallel = await Promise.all(Array.from({ length: 8 }, () => t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ count: 25 })));
    const all = [...first.body.ssccs, ...parallel.flatMap((r) => { expect(r.status).toBe(201); return r.body.ssccs as string[]; })];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(203);
    const other = await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ count: 1, extensionDigit: 7 }).expect(201);
    expect(other.body.ssccs[0]).toMatch(/^76901234000000000\d$/);
    const [{ n }] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM ssccs');
    expect(n).toBe(204);
    const one = await t.http().get(`/api/v1/ssccs/${all[5]}`).set(auth(org.token)).expect(200);
    expect(one.body.sscc).toBe(all[5]);
  });

  it('refuses without a company prefix, bad input, and another organisation\'s SSCC', async () => {
    const noPrefix = await createOrg(t, { name: '无厂商识别代码合作社' });
    const refused = await t.http().post('/api/v1/ssccs').set(auth(noPrefix.token)).send({}).expect(422);
    expect(refused.body).toMatchObject({ code: 'NO_COMPANY_PREFIX', details: { field: 'gs1CompanyPrefix' } });
    const org = await createOrg(t, { name: '另一家物流合作社', gs1CompanyPrefix: '690123456' });
    await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ count: 1001 }).expect(400);
    await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({ extensionDigit: 10 }).expect(400);
    const [mine] = (await t.http().post('/api/v1/ssccs').set(auth(org.token)).send({}).expect(201)).body.ssccs as string[];
    await t.http().get(`/api/v1/ssccs/${mine}`).set(auth(noPrefix.token)).expect(404);
    await t.http().get('/api/v1/ssccs/123').set(auth(org.token)).expect(400);
    const bad = await t.http().post('/api/v1/organizations').set(auth(ADMIN_TOKEN))
      .send({ name: '前缀错误合作社', kind: 'cooperative', regionCode: '510131', uscc: uniqueUscc(), gs1CompanyPrefix: '12345' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_GS1_COMPANY_PREFIX', details: { field: 'gs1CompanyPrefix' } });
  });
});
