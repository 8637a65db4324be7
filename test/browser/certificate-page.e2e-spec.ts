import type { Browser } from 'playwright-core';
import { auth, createBatch, createOrg } from '../support/factories';
import { launchChromium, screenshotPath } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

describe('public certificate page /c/{token} in a real browser (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let org: Awaited<ReturnType<typeof createOrg>>;
  let cert: { id: string; number: string; verifyUrl: string };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社', contact: { phone: '028-88551234' } });
    const batch = await createBatch(t, org.token);
    cert = (await t.http().post('/api/v1/certificates').set(auth(org.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '300', unit: 'kg' }, signedBy: '张三' })
      .expect(201)).body;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const open = async (width: number) => {
    const page = await browser.newPage({ viewport: { width, height: 800 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    const response = await page.goto(`${base}${new URL(cert.verifyUrl).pathname}`);
    expect(response?.status()).toBe(200);
    return page;
  };

  it('shows a large green VALID state above the certificate, readable at 360 px', async () => {
    const page = await open(360);
    const state = page.getByRole('status');
    expect(await state.innerText()).toContain('有效');
    const box = (await state.boundingBox())!;
    expect(box.y).toBeLessThan(150);
    expect(await state.locator('strong').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(30);
    expect(await state.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(29, 107, 67)');
    const text = await page.locator('main').innerText();
    for (const expected of ['承诺达标合格证', cert.number, '蒲江县绿源猕猴桃专业合作社', '300 kg', '☑ 质量安全控制符合要求', '☐ 自行检测合格', '未使用禁用农药']) {
      expect(text).toContain(expected);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('certificate-valid-360.png'), fullPage: true });
    await page.close();
  });

  it('turns red and says VOIDED, with the reason, once the certificate is voided', async () => {
    await t.http().post(`/api/v1/certificates/${cert.id}/void`).set(auth(org.token)).send({ reason: '数量填写错误' }).expect(200);
    const page = await open(360);
    const state = page.getByRole('alert');
    const text = await state.innerText();
    expect(text).toContain('已作废');
    expect(text).toContain('VOIDED');
    expect(text).toContain('数量填写错误');
    expect(await state.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(198, 40, 40)');
    await page.screenshot({ path: screenshotPath('certificate-voided-360.png'), fullPage: true });
    await page.close();
    const desktop = await open(1280);
    await desktop.screenshot({ path: screenshotPath('certificate-voided-1280.png'), fullPage: true });
    await desktop.close();
  });

  it('shows the friendly not-found page for a malformed token', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    const response = await page.goto(`${base}/c/not-a-token`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').last().innerText()).toBe('未找到该合格证');
    await page.close();
  });
});
