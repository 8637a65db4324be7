import type { Browser } from 'playwright-core';
import { auth, createBatch, createOrg, createRegulator, OrgWithKey, uniqueUscc } from '../support/factories';
import { launchChromium, qrVideo, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { createTestApp, TestApp } from '../support/test-app';

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const PASSWORD = '蒙阳市场2026入场查验';

/**
 * 一店一码, the market's 公示 page and a listing's /l/{code} in Chromium at 360 px (unknown codes get
 * the friendly 404 page), and the console's gate page on a phone with a fake camera showing a QR.
 */
describe('market pages /s/{code}, /m/{id}, /l/{code} and the gate page in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let market: OrgWithKey;
  let stall: { id: string; code: string; publicUrl: string };
  let certNumber: string;
  let gateCert: { number: string; verifyUrl: string };
  let listingCode: string;
  let gateLogin: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const producer = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', regionCode: '510131' });
    market = await createOrg(t, { name: '成都蒙阳农产品批发市场', kind: 'market', uscc: uniqueUscc('91', '510104'), regionCode: '510104', contact: { phone: '028-87654321' } });
    await createRegulator(t, '510104');
    await createOrg(t, { name: '成都市检测中心', kind: 'lab', uscc: uniqueUscc('12', '510100'), regionCode: '510100' }, 'lab');
    const seller = (await t.http().post('/api/v1/market-sellers').set(auth(market.token))
      .send({ name: '张三水果摊<script>', kind: 'business', uscc: uniqueUscc('92', '510104'), origins: ['四川省成都市蒲江县'], vehiclePlates: ['川A12345'] }).expect(201)).body;
    await t.http().post('/api/v1/market-sellers').set(auth(market.token)).send({ name: '李四', kind: 'business', uscc: uniqueUscc('92', '510104') }).expect(201);
    stall = (await t.http().post('/api/v1/market-stalls').set(auth(market.token)).send({ number: 'A-12', sellerId: seller.id }).expect(201)).body;
    const batch = await createBatch(t, producer.token);
    const cert = (await t.http().post('/api/v1/certificates').set(auth(producer.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '300', unit: 'kg' } }).expect(201)).body;
    certNumber = cert.number;
    await t.http().post('/api/v1/market-entries').set(auth(market.token)).send({ sellerId: seller.id, items: [
      { certificate: cert.verifyUrl, category: KIWI, productName: '红阳猕猴桃', quantity: { value: '120', unit: 'kg' }, rapidTest: { analyte: '有机磷和氨基甲酸酯类农药', result: 'pass' } },
    ] }).expect(201);
    const failed = await t.http().post('/api/v1/market-entries').set(auth(market.token)).send({ sellerId: seller.id, items: [
      { traceCode: batch.traceCode, category: KIWI, productName: '徐香猕猴桃', quantity: { value: '30', unit: 'kg' }, rapidTest: { analyte: '毒死蜱', result: 'fail' } },
    ] }).expect(422);
    await t.http().post(`/api/v1/market-entries/${failed.body.details.entryId}/items/${failed.body.details.items[0].id}/disposal`).set(auth(market.token))
      .send({ method: '销毁', note: '监督下销毁' }).expect(200);
    gateCert = (await t.http().post('/api/v1/certificates').set(auth(producer.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '200', unit: 'kg' } }).expect(201)).body;
    listingCode = (await t.http().post('/api/v1/listings').set(auth(producer.token)).send({
      platform: 'douyin', platformRef: 'https://haohuo.jinritemai.com/views/product/item2?id=3612345678901', productId: batch.product.id, batchIds: [batch.id],
      sessions: [{ host: '蒲江猕猴桃小王', startsAt: '2026-12-04T19:00:00+08:00', endsAt: '2026-12-04T22:00:00+08:00', batchIds: [batch.id] }],
    }).expect(201)).body.code;
    gateLogin = `gate-${Date.now()}`;
    await consoleUser(t, market.id, gateLogin, PASSWORD, 'operator');
    // The phone's camera shows the certificate's QR (Chromium's fake camera).
    browser = await launchChromium({ fakeCameraVideo: qrVideo(gateCert.verifyUrl) });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const open = async (path: string, status = 200) => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    const response = await page.goto(`${base}${path}`);
    expect(response?.status()).toBe(status);
    return page;
  };

  it('shows the stall\'s goods today with origin, certificate state and test results, at 360 px', async () => {
    const page = await open(new URL(stall.publicUrl).pathname);
    const goods = await page.locator('#goods').innerText();
    for (const expected of ['红阳猕猴桃', '120 kg', '四川省成都市蒲江县', certNumber, '有效']) expect(goods).toContain(expected);
    // The lot kept out by the failed rapid test is not on sale, but its test result is shown.
    expect(goods).not.toContain('徐香猕猴桃');
    const tests = await page.locator('#tests').innerText();
    expect(tests).toContain('毒死蜱');
    expect(tests).toContain('不合格');
    expect(await page.locator('#stall').innerText()).toContain('张三水果摊<script>');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('market-stall-360.png'), fullPage: true });
    await page.click('text=查看市场信息公示');
    const board = await page.locator('main').innerText();
    for (const expected of ['快检结果', '毒死蜱', '不合格产品处置', '销毁', '028-87654321']) expect(board).toContain(expected);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('market-board-360.png'), fullPage: true });
    await page.close();
  });

  it('shows a listing\'s current batch, its certificate and live sessions at 360 px', async () => {
    const page = await open(`/l/${listingCode}`);
    const text = await page.locator('main').innerText();
    for (const expected of ['抖音', '蒲江猕猴桃小王', '2026-12-04 19:00 – 2026-12-04 22:00']) expect(text).toContain(expected);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('listing-360.png'), fullPage: true });
    await page.close();
  });

  it('checks lots at the gate on a phone: seller by plate, camera scan → 准许入场; typed number over the certificate → 禁止入场 with the reason', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    await context.grantPermissions(['camera'], { origin: base });
    const page = await context.newPage();
    await page.goto(`${base}/app/gate`);
    await page.getByLabel('登录名').fill(gateLogin);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/app/gate`);
    // The seller by plate, typed as people do.
    await page.getByLabel('按姓名或车牌查找').fill('川a 12345');
    await page.getByRole('button', { name: '查找' }).click();
    expect(await page.locator('#seller').innerText()).not.toContain('李四');
    await page.locator('#seller').getByRole('link', { name: /张三水果摊/ }).click();
    expect(await page.getByLabel('车牌').inputValue()).toBe('川A12345');
    await page.getByLabel('食品类别').fill(KIWI);
    await page.getByLabel('入场数量').fill('50');
    await page.getByText('合格', { exact: true }).click();
    await page.getByRole('button', { name: '扫合格证或追溯码' }).click();
    await page.waitForSelector('#verdict.pass', { timeout: 20_000 });
    const accepted = await page.locator('#verdict').innerText();
    expect(accepted).toContain('准许入场');
    expect(accepted).toContain(gateCert.number);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('market-gate-accepted-360.png'), fullPage: true });

    // The next lot of the same seller: the certificate number typed (no camera), more than it has left.
    await page.getByLabel('入场数量').fill('190');
    await page.getByLabel('合格证二维码内容、合格证编号或追溯码').fill(gateCert.number);
    await page.getByLabel('证上数量').fill('200');
    await page.getByRole('button', { name: '查验', exact: true }).click();
    await page.waitForSelector('#verdict.fail');
    const refused = await page.locator('#verdict').innerText();
    expect(refused).toContain('禁止入场');
    expect(refused).toContain('合格证数量已用尽');
    expect(refused).toContain('已报告');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('market-gate-refused-360.png'), fullPage: true });
    await page.getByRole('button', { name: '记录处置' }).click();
    expect(await page.locator('#verdict').innerText()).toContain('已销毁');

    const entries = (await t.http().get('/api/v1/market-entries').set(auth(market.token))).body.items as { status: string; vehiclePlate: string; items: { presented: string; quantity: { value: string } }[] }[];
    expect(entries.slice(0, 2).map((e) => [e.status, e.vehiclePlate, e.items[0].presented, e.items[0].quantity.value]))
      .toEqual([['refused', '川A12345', gateCert.number, '190'], ['accepted', '川A12345', gateCert.verifyUrl, '50']]);
    await context.close();
  });

  it('answers unknown stall, market and listing codes with the friendly not-found page', async () => {
    for (const path of ['/s/0000000000000', '/s/<b>', `/m/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, '/m/nope', '/l/0000000000000']) {
      const page = await open(path, 404);
      expect(await page.locator('main').innerText()).toMatch(/未找到该(摊位|市场|商品链接)/);
      await page.close();
    }
  });

  it('prints the stall QR on an A4 sheet or a roll label', async () => {
    const a4 = await t.http().get(`/api/v1/market-stalls/${stall.id}/qr.pdf`).set(auth(market.token)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect((a4.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    await t.http().get(`/api/v1/market-stalls/${stall.id}/qr.pdf?layout=roll-60x80`).set(auth(market.token)).expect(200);
    const svg = await t.http().get(`/api/v1/market-stalls/${stall.id}/qr.svg`).set(auth(market.token)).expect(200);
    expect(String(svg.text ?? svg.body)).toContain('<svg');
    await t.http().get(`/api/v1/market-stalls/${stall.id}/qr.pdf?layout=a5`).set(auth(market.token)).expect(400);
  });
});
