import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { DashboardWorld, seedDashboardWorld, ZIYANG } from '../support/dashboard-world';
import { createTestApp, TestApp } from '../support/test-app';

const PASSWORD = '资阳市监管2026秋天';

describe('regulator dashboard in a real browser (Chromium), laptop and tablet', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let w: DashboardWorld;
  const loginName = `ziyang-browser-${Date.now()}`;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    // 资阳市: the API suite seeds 巴中市 in the same database, and the tile figures must be exact.
    w = await seedDashboardWorld(t, ZIYANG);
    await consoleUser(t, w.bazhong.id, loginName, PASSWORD, 'regulator');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function logIn(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    await page.goto(`${base}/app`);
    await page.getByLabel('登录名').fill(loginName);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/app/dashboard`);
    return page;
  }

  const noSideScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  const tile = (page: Page, key: string) => page.locator(`[data-indicator="${key}"]`).innerText();

  it.each([1280, 768])('drills 市(州) → county → organisation → batch → samples at %i px, with the seeded figures', async (width) => {
    const page = await logIn(width);
    expect(await page.locator('h1').innerText()).toBe('质量指标');
    const routine = await tile(page, 'routine_monitoring');
    expect(routine).toContain('农产品质量安全例行监测合格率');
    expect(routine).toContain('50.00%');
    expect(routine).toMatch(/合格样品数\s*1\s*\/\s*检测样品数\s*2/);
    expect(routine).toContain('目标 ≥ 99%');
    expect(routine).toContain('未达标');
    const sampling = await tile(page, 'food_sampling');
    expect(sampling).toContain('100.00%');
    expect(sampling).toMatch(/合格样品数\s*1\s*\/\s*检测样品数\s*1/);
    expect(sampling).toContain('达标');
    expect(await page.locator('[data-chart="routine_monitoring"] svg polyline, [data-chart="routine_monitoring"] svg circle').count()).toBeGreaterThan(0);
    await noSideScroll(page);
    await page.screenshot({ path: screenshotPath(`dashboard-city-${width}.png`), fullPage: true });

    await page.locator('[data-table="regions"]').getByRole('link', { name: '安岳县' }).click();
    await page.waitForURL(/region=512021/);
    expect(await page.locator('.trail').innerText()).toBe('资阳市 › 安岳县');
    await noSideScroll(page);
    await page.screenshot({ path: screenshotPath(`dashboard-county-${width}.png`), fullPage: true });

    await page.locator('[data-table="organizations"]').getByRole('link', { name: w.tongjiang.name }).click();
    await page.waitForURL(/\/app\/dashboard\/organizations\//);
    expect(await tile(page, 'certificate_issuance')).toMatch(/有有效合格证的批次\s*1\s*\/\s*应开证批次\s*2/);
    await noSideScroll(page);
    await page.screenshot({ path: screenshotPath(`dashboard-organization-${width}.png`), fullPage: true });

    await page.locator('[data-table="batches"]').getByRole('link', { name: 'TJ-2026-002' }).click();
    await page.waitForURL(/\/app\/dashboard\/batches\//);
    const samples = await page.locator('[data-table="samples"]').innerText();
    expect(samples).toContain('例行监测');
    expect(samples).toContain('不合格');
    expect(samples).toContain('溴氰菊酯');
    await noSideScroll(page);
    await page.screenshot({ path: screenshotPath(`dashboard-batch-${width}.png`), fullPage: true });
    await page.close();
  });

  it('filters by quarter through the form and downloads the failed samples as CSV', async () => {
    const page = await logIn(1280);
    await page.getByLabel('趋势周期').selectOption('quarter');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/period=quarter/);
    expect(await page.locator('#h-trend-charts').innerText()).toContain('按季度');
    await page.getByText('展开各期数据').click();
    expect(await page.locator('[data-table="trend"]').innerText()).toContain('2026-Q4');

    await page.getByRole('link', { name: '不合格样品' }).click();
    await page.waitForURL(/failed-samples/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^不合格样品-四川省资阳市-2026-01至2026-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('TJ-2026-002');
    await page.screenshot({ path: screenshotPath('dashboard-failed-samples-1280.png'), fullPage: true });
    await page.close();
  });
});
