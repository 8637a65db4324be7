import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { LABEL_LAYOUTS } from '../../libs/labels';
import { crop, decodeQr, rasterisePdf, requirePoppler } from '../../libs/testing/raster';
import { auth, createOrg } from '../support/factories';
import { launchChromium, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { createTestApp, TestApp } from '../support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

describe('cooperative console in a real browser (Chromium), phone and desktop', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let org: Awaited<ReturnType<typeof createOrg>>;
  const loginName = `wangli-${Date.now()}`;

  beforeAll(async () => {
    requirePoppler();
    // Plain http on 127.0.0.1 in the test: cookies without Secure (the https case is in console.e2e-spec).
    t = await createTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    await consoleUser(t, org.id, loginName, PASSWORD);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const phone = () => browser.newPage({ viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, locale: 'zh-CN', acceptDownloads: true });
  const noSideScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  async function logIn(page: Page, next = '/app') {
    await page.goto(`${base}${next}`);
    expect(new URL(page.url()).pathname).toBe('/app/login');
    await page.getByLabel('登录名').fill(loginName);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}${next}`);
  }

  it('logs in, creates a product (fixing an inline error), a site and a batch, prints 40 labels and decodes a QR from the PDF', async () => {
    const page = await phone();
    await logIn(page);
    expect(await page.locator('h1').innerText()).toMatch(/^今天 \d{4}-\d{2}-\d{2}$/);
    await noSideScroll(page);
    await page.screenshot({ path: screenshotPath('console-home-360.png'), fullPage: true });

    // Product: a wrong GTIN is refused next to the field; the rest of what was typed stays.
    await page.getByRole('link', { name: '产品' }).click();
    await page.getByLabel('产品名称').fill('蒲江红心猕猴桃');
    await page.getByLabel('食品类别').fill(KIWI);
    await page.getByLabel('商品条码 GTIN').fill('6901234567890');
    await page.getByRole('button', { name: '保存产品' }).click();
    await page.waitForSelector('#err-gtin');
    expect(await page.locator('#err-gtin').innerText()).toContain('商品条码（GTIN）无效');
    expect(await page.getByLabel('产品名称').inputValue()).toBe('蒲江红心猕猴桃');
    expect(await page.getByLabel('食品类别').inputValue()).toBe(KIWI);
    await noSideScroll(page);
    await page.screenshot({ path: screenshotPath('console-product-error-360.png'), fullPage: true });
    await page.getByLabel('商品条码 GTIN').fill('6901234567892');
    await page.getByRole('button', { name: '保存产品' }).click();
    await page.waitForSelector('text=产品已保存');

    await page.getByRole('link', { name: '基地' }).click();
    await page.getByLabel('基地名称').fill('西来镇猕猴桃基地');
    await page.getByLabel('所在县（区）').fill('蒲江');
    await page.getByRole('button', { name: '保存基地' }).click();
    await page.waitForSelector('text=基地已保存');
    expect(await page.locator('table').innerText()).toContain('蒲江县');

    await page.goto(`${base}/app/batches/new`);
    await page.getByLabel('产品').selectOption({ label: '蒲江红心猕猴桃' });
    await page.getByLabel('生产基地').selectOption({ index: 1 });
    await page.getByLabel('数量').fill('1200');
    await page.getByRole('button', { name: '创建批次' }).click();
    await page.waitForSelector('text=批次已创建');
    const batchUrl = page.url();
    expect(await page.locator('main').innerText()).toContain('1200 kg');
    await page.screenshot({ path: screenshotPath('console-batch-360.png'), fullPage: true });

    // Print 40 labels on an A4 sheet and download the PDF.
    await page.getByRole('link', { name: '打印标签' }).click();
    expect(await page.getByLabel('张数').inputValue()).toBe('40');
    await page.getByRole('button', { name: '生成标签' }).click();
    await page.waitForSelector('[data-ready]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-ready]').click()]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const spec = LABEL_LAYOUTS['a4-40'];
    const px = 200 / 25.4;
    const [sheet] = rasterisePdf(pdf, 200);
    const first = decodeQr(crop(sheet, 0, 0, spec.labelWidthMm * px, spec.labelHeightMm * px));
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1\/(t|01)\//);
    const runs = (await t.http().get(`/api/v1/batches/${/batches\/([0-9a-f-]{36})/.exec(batchUrl)![1]}/print-runs`).set(auth(org.token))).body.items;
    expect(runs).toHaveLength(1);
    expect(runs[0].count).toBe(40);

    // The batch page lists the run (reprint) and previews the consumer page.
    await page.goto(batchUrl);
    expect(await page.locator('main').innerText()).toContain('打印标签 40 枚');
    expect(await page.frameLocator('iframe').locator('body').innerText()).toContain('蒲江红心猕猴桃');
    await page.close();

    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await logIn(desktop, new URL(batchUrl).pathname);
    await desktop.screenshot({ path: screenshotPath('console-batch-1280.png'), fullPage: true });
    await desktop.goto(`${base}/app`);
    await desktop.screenshot({ path: screenshotPath('console-home-1280.png'), fullPage: true });
    await desktop.close();
  });

  it('issues a certificate from a batch and voids it with a reason', async () => {
    const page = await phone();
    await logIn(page, '/app/batches');
    await page.locator('main .list a').first().click();
    await page.getByRole('link', { name: '开具合格证' }).click();
    // quality_control is ticked by default and needs its description: refused next to the field.
    await page.getByRole('button', { name: '开具合格证' }).click();
    await page.waitForSelector('[id="err-evidence.qualityControl"]');
    await page.getByLabel('质量安全控制措施').fill('按《猕猴桃标准化生产技术规程》生产，落实安全间隔期');
    await page.getByLabel('数量').fill('300');
    await page.getByLabel('签名').fill('张三');
    await page.getByRole('button', { name: '开具合格证' }).click();
    await page.waitForSelector('text=合格证已开具');
    expect(await page.locator('main').innerText()).toContain('300 kg');
    await noSideScroll(page);
    await page.screenshot({ path: screenshotPath('console-certificate-360.png'), fullPage: true });
    const [pdf] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('certificate.pdf')),
      page.evaluate(() => fetch((document.querySelector('a[href*="certificate.pdf"]') as HTMLAnchorElement).href)),
    ]);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    await page.getByLabel('作废原因').fill('数量填写错误');
    // Voiding is destructive: the page asks to confirm first.
    let asked = '';
    page.once('dialog', (dialog) => { asked = dialog.message(); void dialog.accept(); });
    await page.getByRole('button', { name: '作废合格证' }).click();
    await page.waitForSelector('text=合格证已作废');
    expect(asked).not.toBe('');
    expect(await page.locator('main').innerText()).toContain('作废原因：数量填写错误');
    await page.screenshot({ path: screenshotPath('console-certificate-voided-360.png'), fullPage: true });
    await page.close();
  });

  it('creates one product when the submit button is double-clicked', async () => {
    const page = await phone();
    await logIn(page, '/app/products');
    const name = `双击的产品${Date.now()}`;
    await page.getByLabel('产品名称').fill(name);
    await page.getByLabel('食品类别').fill(KIWI);
    await page.getByRole('button', { name: '保存产品' }).dblclick();
    await page.waitForSelector('text=产品已保存');
    const items = (await t.http().get('/api/v1/products?limit=100').set(auth(org.token))).body.items as { name: string }[];
    expect(items.filter((p) => p.name === name)).toHaveLength(1);
    await page.close();
  });

  it('locks the account after repeated wrong passwords and says so', async () => {
    const name = `locked-${Date.now()}`;
    await consoleUser(t, org.id, name, PASSWORD, 'operator');
    const page = await phone();
    await page.goto(`${base}/app/login`);
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('登录名').fill(name);
      await page.getByLabel('密码').fill(`wrong-${i}-password`);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '登录' }).click()]);
      await page.waitForSelector('.err');
    }
    expect(await page.locator('.err.general').innerText()).toContain('账号已暂时锁定，请 30 秒后再试');
    // The right password does not open a locked account.
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForSelector('.err.general');
    expect(new URL(page.url()).pathname).toBe('/app/login');
    expect(await page.getByLabel('登录名').inputValue()).toBe(name);
    await page.screenshot({ path: screenshotPath('console-locked-360.png'), fullPage: true });
    await page.close();
  });
});
