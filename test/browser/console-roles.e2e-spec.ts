import type { Browser, Page } from 'playwright-core';
import { ADMIN_TOKEN, createTestApp, TestApp } from '../support/test-app';
import { auth, createBatch, createOrg, createRegulator } from '../support/factories';
import { launchChromium, phoneLogin, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';

const PASSWORD = '绿源猕猴桃2026春天';

/** Each role's console at 360 px: navigation offers its own workspaces only. */
describe('console by role in a real browser (Chromium) at 360 px', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const stamp = Date.now();
  let batchId: string;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    const bureau = await createRegulator(t, '510100');
    const batch = await createBatch(t, coop.token);
    batchId = batch.id;
    // A claimed quality mark and a refused claim of it, for the regulator's 质量标志 page.
    const uscc = (await t.http().get(`/api/v1/organizations/${coop.id}`).set(auth(ADMIN_TOKEN)).expect(200)).body.uscc as string;
    const mark = (await t.http().post('/api/v1/marks').set(auth(bureau.token)).send({
      scheme: 'green_food', number: 'LB-15-2501510002A', holderUscc: uscc, holderName: '蒲江县绿源猕猴桃专业合作社', productIds: [batch.product.id],
      validFrom: '2025-03-01', validTo: '2028-02-29',
    }).expect(201)).body as { id: string };
    await createBatch(t, coop.token, { productId: batch.product.id, marks: [{ markId: mark.id }] });
    await t.http().post('/api/v1/batches').set(auth(coop.token)).send({
      productId: batch.product.id, siteId: (batch as unknown as { siteId: string }).siteId, quantity: { value: '10', unit: 'kg' }, producedOn: '2024-10-08', marks: [{ markId: mark.id }],
    }).expect(422);
    await consoleUser(t, coop.id, `operator-${stamp}`, PASSWORD, 'operator');
    await consoleUser(t, bureau.id, `regulator-${stamp}`, PASSWORD, 'regulator');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const logIn = (loginName: string): Promise<Page> => phoneLogin(browser, base, loginName, PASSWORD);

  const navTexts = (page: Page) => page.locator('nav').first().locator('a').allInnerTexts();

  it('a regulator lands on the dashboard, reads a batch with no label or certificate buttons, and a typed producer page sends it back', async () => {
    const page = await logIn(`regulator-${stamp}`);
    expect(new URL(page.url()).pathname).toBe('/app/dashboard');
    expect(await navTexts(page)).toEqual(['批次', '抽检计划', '巡查', '质量指标', '问题反馈', '质量标志', '地理标志']);
    await page.screenshot({ path: screenshotPath('console-regulator-dashboard-360.png'), fullPage: true });
    await page.getByRole('link', { name: '批次', exact: true }).click();
    await page.waitForURL(`${base}/app/batches`);
    expect(await page.getByRole('link', { name: '新建批次' }).count()).toBe(0);
    await page.goto(`${base}/app/batches/${batchId}`);
    expect(await page.getByRole('link', { name: '打印标签' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: '开具合格证' }).count()).toBe(0);
    expect(await page.locator('form[method="post"]:not([action^="/app/logout"])').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-regulator-batch-360.png'), fullPage: true });
    await page.goto(`${base}/app/products`);
    expect(new URL(page.url()).pathname).toBe('/app/dashboard');
    // its triage queue of consumer reports (问题反馈) fits the phone too
    await page.getByRole('link', { name: '问题反馈', exact: true }).click();
    await page.waitForURL(`${base}/app/reports`);
    expect(await page.locator('h1').innerText()).toContain('分办队列');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('console-regulator-reports-360.png'), fullPage: true });
    // quality-mark use in its region (质量标志): cards that fit the phone, read-only
    await page.getByRole('link', { name: '质量标志', exact: true }).click();
    await page.waitForURL(`${base}/app/marks`);
    expect(await page.locator('section#claims').innerText()).toContain('LB-15-2501510002A');
    expect(await page.locator('section#refusals').innerText()).toContain('该质量标志证书在生产日期尚未生效');
    expect(await page.locator('form[method="post"]:not([action^="/app/logout"])').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('console-regulator-marks-360.png'), fullPage: true });
  });

  it('an operator sees the producer workspaces but not accounts', async () => {
    const page = await logIn(`operator-${stamp}`);
    expect(new URL(page.url()).pathname).toBe('/app');
    expect(await navTexts(page)).toEqual(['首页', '产品', '基地', '农事', '批次', '合格证', '认证标志', '查验收购', '发货收货', '网店与直播', '质量指标', '整改', '问题反馈']);
    await page.screenshot({ path: screenshotPath('console-operator-home-360.png'), fullPage: true });
    await page.goto(`${base}/app/users`);
    expect(new URL(page.url()).pathname).toBe('/app');
  });
});
