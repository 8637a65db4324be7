import type { Browser, Page } from 'playwright-core';
import { createBatch, createOrg, createRegulator } from '../support/factories';
import { launchChromium, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { createTestApp, TestApp } from '../support/test-app';

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
    batchId = (await createBatch(t, coop.token)).id;
    await consoleUser(t, coop.id, `operator-${stamp}`, PASSWORD, 'operator');
    await consoleUser(t, bureau.id, `regulator-${stamp}`, PASSWORD, 'regulator');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function logIn(loginName: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    await page.goto(`${base}/app/login`);
    await page.getByLabel('登录名').fill(loginName);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname !== '/app/login');
    return page;
  }

  const navTexts = (page: Page) => page.locator('nav').first().locator('a').allInnerTexts();

  it('a regulator lands on the dashboard, reads a batch with no label or certificate buttons, and a typed producer page sends it back', async () => {
    const page = await logIn(`regulator-${stamp}`);
    expect(new URL(page.url()).pathname).toBe('/app/dashboard');
    expect(await navTexts(page)).toEqual(['批次', '质量指标']);
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
  });

  it('an operator sees the producer workspaces but not accounts', async () => {
    const page = await logIn(`operator-${stamp}`);
    expect(new URL(page.url()).pathname).toBe('/app');
    expect(await navTexts(page)).toEqual(['首页', '产品', '基地', '农事', '批次', '合格证', '查验收购', '质量指标']);
    await page.screenshot({ path: screenshotPath('console-operator-home-360.png'), fullPage: true });
    await page.goto(`${base}/app/users`);
    expect(new URL(page.url()).pathname).toBe('/app');
  });
});
