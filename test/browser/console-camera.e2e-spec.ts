import { Browser, BrowserContext } from 'playwright-core';
import { chinaDate } from '../../libs/codes/calendar-date';
import { auth, createBatch, createOrg, createProduct, createSite } from '../support/factories';
import { launchChromium, qrVideo, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { ADMIN_TOKEN, createTestApp, TestApp } from '../support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

/*
 * The phone camera in the console (Chromium's fake camera playing a generated video of a QR code),
 * at phone width: one Chromium for the file; each test writes its code to the video file before
 * its page starts the camera.
 */
describe('console: scanning with the phone camera (Chromium, fake camera, 360 px)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let video: string;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    video = qrVideo('waiting for a code');
    browser = await launchChromium({ fakeCameraVideo: video });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function signedIn(loginName: string, path: string): Promise<{ context: BrowserContext; page: Awaited<ReturnType<BrowserContext['newPage']>> }> {
    const context = await browser.newContext({ viewport: { width: 360, height: 760 }, locale: 'zh-CN' });
    await context.grantPermissions(['camera'], { origin: base });
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    await page.getByLabel('登录名').fill(loginName);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}${path}`);
    return { context, page };
  }

  it('a purchaser collects a certificate: the QR is decoded in the browser, the number filled in and the collection recorded', async () => {
    const farm = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    const batch = await createBatch(t, farm.token);
    const cert = (await t.http().post('/api/v1/certificates').set(auth(farm.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '500', unit: 'kg' } })
      .expect(201)).body as { number: string; verifyUrl: string };
    const buyer = await createOrg(t, { name: '成都市果品收购有限公司', kind: 'purchaser' });
    const loginName = `camera-${Date.now()}`;
    await consoleUser(t, buyer.id, loginName, PASSWORD, 'operator');
    await createProduct(t, buyer.token, { name: '收购猕猴桃' });

    qrVideo(cert.verifyUrl, video);
    const { context, page } = await signedIn(loginName, '/app/collect');
    await page.getByLabel('收购为本单位产品').selectOption({ label: '收购猕猴桃' });
    await page.getByLabel('收购数量').fill('200');
    await page.getByRole('button', { name: '用手机摄像头扫码' }).click();
    await page.waitForSelector('text=查验通过，已记录', { timeout: 20_000 });
    expect(await page.locator('main').innerText()).toContain(cert.number);
    await page.screenshot({ path: screenshotPath('console-collect-360.png'), fullPage: true });
    await context.close();
    const list = (await t.http().get('/api/v1/certificate-collections').set(auth(buyer.token))).body.items as { outcome: string; presented: string }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ outcome: 'accepted', presented: cert.verifyUrl });
  });

  it('a grower logs a spray by scanning the pesticide bottle: scan, check, 记录 — and sees from when the kiwi may be harvested', async () => {
    const coop = await createOrg(t, { name: '蒲江县果农专业合作社' });
    const orchard = await createSite(t, coop.token, { name: '南坡果园' });
    await createProduct(t, coop.token, { name: '红阳猕猴桃', category: KIWI });
    const input = (await t.http().post('/api/v1/inputs').set(auth(ADMIN_TOKEN)).send({
      kind: 'pesticide', name: '1.8%阿维菌素乳油', registrationNumber: 'PD20070001', activeIngredients: [{ analyte: '阿维菌素' }],
      cropRules: [{ category: KIWI, intervalDays: 14, maxDose: { value: '40', unit: 'mL/亩' } }], verified: false, source: '示例',
    }).expect(201)).body as { id: string };
    // Last month's spray of the same bottle: the form comes filled from it.
    await t.http().post('/api/v1/input-applications').set(auth(coop.token)).send({
      siteId: orchard.id, inputId: input.id, crop: KIWI, appliedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      dose: { value: '150', unit: 'mL' }, area: { value: '5', unit: '亩' }, target: '红蜘蛛', operator: '王建国',
    }).expect(201);
    const loginName = `grower-${Date.now()}`;
    await consoleUser(t, coop.id, loginName, PASSWORD, 'operator');
    // The bottle's QR: a URL holding the 32-digit 单元识别代码 (digits 2–7: the registration number's last six).
    const code = `1${'070001'}1001${'3'.repeat(21)}`;
    qrVideo(`https://label.example.cn/q/${code}`, video);

    const { context, page } = await signedIn(loginName, `/app/farm/sites/${orchard.id}`);
    expect(await page.locator('#harvest-outlook').innerText()).toContain('今天可采收');
    await page.getByRole('button', { name: '扫农药瓶或种子袋二维码' }).click();
    await page.waitForSelector('#chosen-input', { timeout: 20_000 });
    expect(await page.locator('#chosen-input').innerText()).toContain('1.8%阿维菌素乳油');
    expect(await page.getByLabel('用量').inputValue()).toBe('150');
    expect(await page.getByLabel('防治对象或用途').inputValue()).toBe('红蜘蛛');
    await page.getByRole('button', { name: '记录' }).click();
    await page.waitForSelector('text=已记录');
    const firstAllowed = chinaDate(Date.now() + 14 * 86_400_000);
    expect(await page.locator('#harvest-outlook').innerText()).toContain(`${firstAllowed} 起可采收`);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: screenshotPath('console-farm-360.png'), fullPage: true });
    await context.close();

    const records = (await t.http().get(`/api/v1/input-applications?siteId=${orchard.id}`).set(auth(coop.token)).expect(200)).body.items as Record<string, unknown>[];
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ labelCode: code, input: { id: input.id }, dose: { value: '150', unit: 'mL' }, target: '红蜘蛛', operator: '王丽', appliedOn: chinaDate() });
  });
});
