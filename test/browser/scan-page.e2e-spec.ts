import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { auth, createBatch, createOrg, createProduct, createSite } from '../support/factories';
import { launchChromium, screenshotPath } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

describe('consumer scan page in a real browser (Chromium, phone width)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let batch: Awaited<ReturnType<typeof createBatch>>;
  let org: Awaited<ReturnType<typeof createOrg>>;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    const product = await createProduct(t, org.token, { name: '蒲江猕猴桃（红阳）', spec: '2.5kg/箱' });
    const site = await createSite(t, org.token, { name: '西来镇猕猴桃基地' });
    batch = await createBatch(t, org.token, { productId: product.id, siteId: site.id, producedOn: '2026-10-08' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('shows product, producer, origin and batch at 360 px without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    const response = await page.goto(`${base}/t/${batch.traceCode}`);
    expect(response?.status()).toBe(200);
    const text = await page.locator('main').innerText();
    for (const expected of ['蒲江猕猴桃（红阳）', '蒲江县绿源猕猴桃专业合作社', '四川省成都市蒲江县', '西来镇猕猴桃基地', batch.lotCode, '2026-10-08', '2.5kg/箱']) {
      expect(text).toContain(expected);
    }
    expect(await page.locator('.banner').count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('scan-page-360.png'), fullPage: true });
    await page.close();
  });

  it('sends a 问题反馈 with a photo from the scan page at 360 px and shows the follow-up page', async () => {
    const photo = join(tmpdir(), `report-photo-${process.pid}.jpg`);
    await writeFile(photo, await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 150, g: 110, b: 60 } } }).jpeg({ quality: 95 })
      .withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 39/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 4/1 0/1' } }).toBuffer());
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    const problems: string[] = [];
    // (the refused first attempt logs its 400 as a console error: expected)
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('status of 400')) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/t/${batch.traceCode}`);
    await page.getByRole('link', { name: '我要反馈' }).click();
    await page.waitForURL(`**/t/${batch.traceCode}/feedback`);
    await page.selectOption('select[name=category]', 'quality');
    await page.fill('textarea[name=text]', '在超市买的猕猴桃，打开有明显异味。');
    await page.setInputFiles('input[name=photos]', photo);
    await page.fill('input[name=phone]', '13800138000');
    await page.screenshot({ path: screenshotPath('consumer-report-form-360.png'), fullPage: true });
    // a phone without the consent box ticked is refused, with the reason shown
    await page.click('button[type=submit]');
    await page.locator('#report-error').getByText('勾选同意').waitFor();
    await page.check('input[name=phoneConsent]');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/feedback\/[A-Za-z0-9_-]{32}$/);
    expect(await page.locator('#report-status').innerText()).toContain('反馈已提交');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('consumer-report-sent-360.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]); // no CSP violation, no script error

    const listed = await t.http().get('/api/v1/consumer-reports').set(auth(org.token)).expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ category: 'quality', text: '在超市买的猕猴桃，打开有明显异味。', phone: '13800138000', photos: [{ contentType: 'image/jpeg' }] });
    const stored = await t.http().get(listed.body.items[0].photos[0].url).set(auth(org.token)).buffer(true).expect(200);
    const meta = await sharp(stored.body as Buffer).metadata();
    expect(meta.exif).toBeUndefined();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1280); // shrunk in the browser
  });

  it('puts a visible red recall banner at the top of the page', async () => {
    await t.http().post(`/api/v1/batches/${batch.id}/status`).set(auth(org.token)).send({ status: 'recalled', reason: '检出禁用农药' }).expect(201);
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    await page.goto(`${base}/t/${batch.traceCode}`);
    const banner = page.getByRole('alert');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('该批次产品已召回');
    const box = await banner.boundingBox();
    expect(box!.y).toBeLessThan(200);
    const color = await banner.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(color).toBe('rgb(198, 40, 40)');
    await page.screenshot({ path: screenshotPath('scan-page-recalled-360.png'), fullPage: true });
    await page.close();
  });

  it('finds a page from a code typed on the home page, forgiving case and spaces', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    await page.goto(`${base}/`);
    const typed = `${batch.traceCode.slice(0, 5).toLowerCase()} ${batch.traceCode.slice(5)}`;
    await page.getByLabel('追溯码').fill(typed);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(`**/t/${batch.traceCode}`);
    expect(await page.locator('.product').innerText()).toBe('蒲江猕猴桃（红阳）');
    await page.goto(`${base}/t/NOTACODE`);
    expect(await page.locator('h1').last().innerText()).toBe('未找到该追溯码');
    await page.close();
  });
});
