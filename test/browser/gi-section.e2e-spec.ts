import type { Browser } from 'playwright-core';
import { auth, createOrg, createProduct, createRegulator, createSite, uniqueUscc } from '../support/factories';
import { launchChromium, screenshotPath } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

describe('scan page GI and quality-mark sections in a real browser (Chromium, phone width)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let regulator: Awaited<ReturnType<typeof createRegulator>>;
  let gi: { id: string; registrationNumber: string };
  let authorisationId: string;
  let traceCode: string;
  let markedCode: string;
  let marks: { green: string; organic: string; brand: string };
  const holderUscc = uniqueUscc('12', '510131');
  const coopUscc = uniqueUscc('93', '510131');

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    regulator = await createRegulator(t, '510100');
    const org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', uscc: coopUscc });
    gi = (await t.http().post('/api/v1/gi').set(auth(regulator.token)).send({
      regime: 'gi_trademark', registrationNumber: String(7_000_000 + Math.floor(Math.random() * 999_999)), productName: '蒲江猕猴桃',
      holderUscc, holderName: '蒲江县猕猴桃协会', areaCodes: ['510131'], chinaEu: true,
    }).expect(201)).body;
    authorisationId = (await t.http().post(`/api/v1/gi/${gi.id}/authorisations`).set(auth(regulator.token))
      .send({ organizationId: org.id, validFrom: '2026-01-01' }).expect(201)).body.id;
    const product = await createProduct(t, org.token, { name: '蒲江猕猴桃（红阳）' });
    const site = await createSite(t, org.token, { name: '西来镇猕猴桃基地' });
    traceCode = (await t.http().post('/api/v1/batches').set(auth(org.token))
      .send({ productId: product.id, siteId: site.id, quantity: { value: '800', unit: 'kg' }, producedOn: '2026-10-08', giId: gi.id }).expect(201)).body.traceCode;
    // Three marks on one batch, claimed while valid: one still valid, one expired since, one revoked since.
    const mark = async (fields: Record<string, unknown>) => (await t.http().post('/api/v1/marks').set(auth(regulator.token))
      .send({ holderUscc: coopUscc, holderName: '蒲江县绿源猕猴桃专业合作社', productIds: [product.id], ...fields }).expect(201)).body as { id: string; number: string };
    const green = await mark({ scheme: 'green_food', number: 'LB-15-2501510003A', certifier: '中国绿色食品发展中心', validFrom: '2025-03-01', validTo: '2028-02-29' });
    const organic = await mark({ scheme: 'organic', number: '124OP2500001', certifier: '中绿华夏有机食品认证中心', validFrom: '2025-03-01', validTo: '2026-02-28' });
    const brand = await mark({ scheme: 'regional_brand', number: '天府粮仓-2025-017', validFrom: '2025-01-01' });
    marks = { green: green.number, organic: organic.number, brand: brand.number };
    markedCode = (await t.http().post('/api/v1/batches').set(auth(org.token)).send({
      productId: product.id, siteId: site.id, quantity: { value: '500', unit: 'kg' }, producedOn: '2025-10-08',
      marks: [{ markId: green.id }, { markId: organic.id }, { markId: brand.id }],
    }).expect(201)).body.traceCode;
    await t.http().post(`/api/v1/marks/${brand.id}/revoke`).set(auth(regulator.token)).send({ reason: '品牌授权到期未续', revokedOn: '2026-11-30' }).expect(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('shows name, regime, registration number, holder and the authorised-user state, fitting 360 px', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    expect((await page.goto(`${base}/t/${traceCode}`))?.status()).toBe(200);
    const section = page.locator('section#gi');
    await section.waitFor();
    expect(await section.locator('h2').innerText()).toBe('地理标志');
    const text = await section.innerText();
    for (const expected of ['蒲江猕猴桃', '地理标志证明商标/集体商标', gi.registrationNumber, '蒲江县猕猴桃协会', holderUscc, '授权使用中', '中欧地理标志协定']) {
      expect(text).toContain(expected);
    }
    expect(await section.locator('.warn').count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('scan-page-gi-360.png'), fullPage: true });
    await page.close();
  });

  it('shows each quality mark with number, holder and a clear 有效 / 已过期 / 已撤销 state, fitting 360 px', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    expect((await page.goto(`${base}/t/${markedCode}`))?.status()).toBe(200);
    const section = page.locator('section#marks');
    await section.waitFor();
    expect(await section.locator('h2').innerText()).toBe('质量标志');
    const items = section.locator('li');
    expect(await items.count()).toBe(3);
    const byNumber = new Map<string, string>();
    for (const text of await items.allInnerTexts()) {
      const number = Object.values(marks).find((n) => text.includes(n));
      expect(number).toBeDefined();
      expect(text).toContain('蒲江县绿源猕猴桃专业合作社');
      byNumber.set(number!, text);
    }
    expect(byNumber.get(marks.green)).toMatch(/绿色食品[\s\S]*状态\s*有效/);
    expect(byNumber.get(marks.organic)).toMatch(/有机产品[\s\S]*有效期至\s*2026-02-28[\s\S]*状态\s*已过期/);
    expect(byNumber.get(marks.brand)).toMatch(/区域公用品牌[\s\S]*状态\s*已撤销/);
    // The state is told by colour too: valid green (ok), expired and revoked amber (warn).
    expect(await section.locator('dd .ok').allInnerTexts()).toEqual(['有效']);
    expect((await section.locator('dd .warn').allInnerTexts()).sort()).toEqual(['已撤销', '已过期']);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await section.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('scan-page-marks-360.png'), fullPage: true });
    await page.close();
  });

  it('says so when the authorisation and then the GI are revoked, keeping the claim', async () => {
    await t.http().post(`/api/v1/gi/${gi.id}/authorisations/${authorisationId}/revoke`).set(auth(regulator.token))
      .send({ reason: '违规使用', revokedOn: '2026-11-20' }).expect(201);
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    await page.goto(`${base}/t/${traceCode}`);
    let section = page.locator('section#gi');
    expect(await section.innerText()).toContain('授权已撤销（2026-11-20）');
    expect(await section.getByRole('note').innerText()).toContain('不再是该地理标志的授权使用人');

    await t.http().post(`/api/v1/gi/${gi.id}/revoke`).set(auth(regulator.token)).send({ reason: '商标注销', revokedOn: '2026-11-25' }).expect(201);
    await page.reload();
    section = page.locator('section#gi');
    expect(await section.innerText()).toContain('已撤销');
    expect(await section.getByRole('note').innerText()).toContain('该地理标志已于 2026-11-25 撤销');
    await page.screenshot({ path: screenshotPath('scan-page-gi-revoked-360.png'), fullPage: true });
    await page.close();
  });
});
