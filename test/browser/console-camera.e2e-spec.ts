import type { Browser } from 'playwright-core';
import { auth, createBatch, createOrg, createProduct } from '../support/factories';
import { launchChromium, qrVideo, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { createTestApp, TestApp } from '../support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';

describe('console: a purchaser collects a certificate by scanning its QR with the camera (Chromium, fake camera)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('decodes the QR in the browser, fills the number in and records the collection', async () => {
    const farm = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    const batch = await createBatch(t, farm.token);
    const cert = (await t.http().post('/api/v1/certificates').set(auth(farm.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '500', unit: 'kg' } })
      .expect(201)).body as { number: string; verifyUrl: string };
    const buyer = await createOrg(t, { name: '成都市果品收购有限公司', kind: 'purchaser' });
    const loginName = `camera-${Date.now()}`;
    await consoleUser(t, buyer.id, loginName, PASSWORD, 'operator');
    await createProduct(t, buyer.token, { name: '收购猕猴桃' });

    browser = await launchChromium({ fakeCameraVideo: qrVideo(cert.verifyUrl) });
    const context = await browser.newContext({ viewport: { width: 360, height: 760 }, locale: 'zh-CN' });
    await context.grantPermissions(['camera'], { origin: base });
    const page = await context.newPage();
    await page.goto(`${base}/app/collect`);
    await page.getByLabel('登录名').fill(loginName);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/app/collect`);
    await page.getByLabel('收购为本单位产品').selectOption({ label: '收购猕猴桃' });
    await page.getByLabel('收购数量').fill('200');
    await page.getByRole('button', { name: '用手机摄像头扫码' }).click();
    await page.waitForSelector('text=查验通过，已记录', { timeout: 20_000 });
    expect(await page.locator('main').innerText()).toContain(cert.number);
    await page.screenshot({ path: screenshotPath('console-collect-360.png'), fullPage: true });
    const list = (await t.http().get('/api/v1/certificate-collections').set(auth(buyer.token))).body.items as { outcome: string; presented: string }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ outcome: 'accepted', presented: cert.verifyUrl });
  });
});
