import type { Browser } from 'playwright-core';
import { auth, createBatch, createOrg, createProduct, createSite, uniqueUscc } from '../support/factories';
import { launchChromium, phoneLogin, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { createTestApp, TestApp } from '../support/test-app';

describe('the supply chain on the consumer page (Chromium, phone width)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('shows the chain from origin through each handler with dates and places, without horizontal scrolling', async () => {
    const farm = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    const market = await createOrg(t, { name: '成都农产品中心批发市场', kind: 'market', regionCode: '510117', uscc: uniqueUscc('91', '510117') });
    const lot = await createBatch(t, farm.token, { producedOn: '2026-10-08', quantity: { value: '500', unit: 'kg' } });
    const shipment = await t.http().post('/api/v1/shipments').set(auth(farm.token))
      .send({ batchId: lot.id, toOrganizationId: market.id, quantity: { value: '200', unit: 'kg' }, shippedAt: '2026-10-09T01:00:00Z' }).expect(201);
    const product = await createProduct(t, market.token, { name: '猕猴桃（批发）' });
    const site = await createSite(t, market.token, { name: '郫都区冷库', regionCode: '510117' });
    const receipt = await t.http().post(`/api/v1/shipments/${shipment.body.id}/receipt`).set(auth(market.token))
      .send({ productId: product.id, siteId: site.id, receivedAt: '2026-10-09T06:00:00Z' }).expect(201);

    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    expect((await page.goto(`${base}/t/${receipt.body.receivedBatch.traceCode}`))?.status()).toBe(200);
    const chain = page.locator('#supply-chain');
    await chain.waitFor();
    const stages = await chain.locator('li').allInnerTexts();
    expect(stages).toHaveLength(2);
    expect(stages[0]).toContain('生产');
    expect(stages[0]).toContain('2026-10-08');
    expect(stages[0]).toContain('蒲江县绿源猕猴桃专业合作社');
    expect(stages[0]).toContain('四川省成都市蒲江县');
    expect(stages[1]).toContain('收货');
    expect(stages[1]).toContain('2026-10-09');
    expect(stages[1]).toContain('成都农产品中心批发市场');
    expect(stages[1]).toContain('四川省成都市郫都区');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('scan-page-supply-chain-360.png'), fullPage: true });
    await page.close();
  });

  it('console at 360 px: allocate an SSCC, pack a lot on it, its label, ship it; the receiver scans (00)… and receives it; the FSMA 204 sheet form', async () => {
    const coop = await createOrg(t, { name: '蒲江县物流合作社', gs1CompanyPrefix: '6901234' });
    const lot = await createBatch(t, coop.token, { quantity: { value: '500', unit: 'kg' } });
    const wholesalerUscc = uniqueUscc('91', '510106');
    const wholesaler = await createOrg(t, { name: '成都农产品中心批发市场', kind: 'market', regionCode: '510106', uscc: wholesalerUscc });
    const stall = await createSite(t, wholesaler.token, { name: '金牛冷库', regionCode: '510106' });
    const own = await createProduct(t, wholesaler.token, { name: '猕猴桃（批发）' });
    const login = `units-${Date.now()}`;
    await consoleUser(t, coop.id, login, 'Correct-Horse-9', 'operator');
    const page = await phoneLogin(browser, base, login, 'Correct-Horse-9');
    const noOverflowOf = async (p: typeof page) => expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const noOverflow = () => noOverflowOf(page);
    await page.goto(`${base}/app/shipments`);
    await page.click('a[href="/app/shipments/units"]');
    await noOverflow();
    await page.click('button:has-text("分配 SSCC")');
    await page.waitForURL(/\/app\/shipments\/units\/\d{18}/);
    const sscc = /units\/(\d{18})/.exec(page.url())![1];
    expect(sscc.startsWith('06901234')).toBe(true);
    await page.selectOption('select[name="batchId"]', lot.id);
    await page.fill('input[name="quantity.value"]', '40');
    await page.click('button:has-text("装入")');
    await page.waitForURL(/packed=1/);
    expect(await page.locator('main, body').first().innerText()).toContain(`${lot.lotCode} · 40`);
    expect(await page.locator(`a[href="/app/shipments/units/${sscc}/label.pdf"]`).count()).toBe(1);
    expect(await page.locator('button:has-text("整单元发货")').count()).toBe(1);
    await noOverflow();
    await page.screenshot({ path: screenshotPath('console-sscc-unit-360.png'), fullPage: true });
    const label = await page.request.get(`${base}/app/shipments/units/${sscc}/label.pdf`);
    expect(label.headers()['content-type']).toBe('application/pdf');
    await page.fill('input[name="toUscc"]', wholesalerUscc);
    await page.fill('input[name="referenceDocument"]', 'WB-0360');
    await page.click('button:has-text("整单元发货")');
    await page.waitForURL(/shipped=1/);
    await page.goto(`${base}/app/shipments/fsma204`);
    expect(await page.locator('input[name="fromDate"]').count()).toBe(1);
    await noOverflow();
    await page.close();

    // The market scans the label's SSCC as the element string, maps the lot to its own product and receives the unit.
    const receiverLogin = `receive-${Date.now()}`;
    await consoleUser(t, wholesaler.id, receiverLogin, 'Correct-Horse-9', 'operator');
    const market = await phoneLogin(browser, base, receiverLogin, 'Correct-Horse-9');
    await market.goto(`${base}/app/shipments`);
    await market.click('a[href="/app/shipments/receive"]');
    await market.getByLabel('扫描或输入 SSCC').fill(`(00)${sscc}`);
    await market.getByLabel('扫描或输入 SSCC').press('Enter');
    await market.waitForSelector('button:has-text("确认收货")');
    const unitText = await market.locator('main, body').first().innerText();
    for (const text of ['蒲江县物流合作社', lot.lotCode, '40 kg', 'WB-0360']) expect(unitText).toContain(text);
    await market.getByLabel('收货地点（仓库、摊位）').selectOption(stall.id);
    await market.locator('select[name="products[0].productId"]').selectOption(own.id);
    await market.fill('input[name="referenceDocument"]', 'RN-0360');
    await market.selectOption('select[name="referenceDocumentType"]', 'receiving_note');
    await noOverflowOf(market);
    await market.screenshot({ path: screenshotPath('console-sscc-receive-360.png'), fullPage: true });
    await market.click('button:has-text("确认收货")');
    await market.waitForURL(/received=1/);
    expect(await market.locator('main, body').first().innerText()).toContain('已收货');
    const inbound = market.locator('a[href^="/app/batches/"]');
    expect(await inbound.count()).toBe(1);
    await inbound.click();
    await market.waitForURL(/\/app\/batches\/[0-9a-f-]{36}$/);
    expect(await market.locator('main, body').first().innerText()).toContain('猕猴桃（批发）');
    await market.close();
  });
});
