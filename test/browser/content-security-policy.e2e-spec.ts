import type { Browser, Page } from 'playwright-core';
import { auth, createBatch, createOrg, createProduct, OrgWithKey, uniqueGtin13 } from '../support/factories';
import { launchChromium } from '../support/browser';
import { consoleUser } from '../support/console';
import { createTestApp, TestApp } from '../support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const GREEN = 'rgb(29, 107, 67)';

declare global {
  interface Window {
    cspViolations: string[];
  }
}

/**
 * The pages under their Content-Security-Policy in Chromium: no violation is reported (neither as a
 * securitypolicyviolation event nor on the console) and the styles and scripts still apply.
 */
describe('pages keep working under their CSP (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let org: OrgWithKey;
  let batch: { id: string; lotCode: string; traceCode: string };
  let gtin: string;
  let certificatePath: string;
  const loginName = `csp-${Date.now()}`;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    gtin = uniqueGtin13();
    const product = await createProduct(t, org.token, { name: '蒲江猕猴桃（红阳）', gtin });
    batch = await createBatch(t, org.token, { productId: product.id });
    const cert = await t.http().post('/api/v1/certificates').set(auth(org.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '300', unit: 'kg' }, signedBy: '张三' })
      .expect(201);
    certificatePath = new URL(cert.body.verifyUrl as string).pathname;
    await consoleUser(t, org.id, loginName, PASSWORD);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** A phone-sized page that records every CSP violation, in its frames too. */
  async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
    const page = await browser.newPage({ viewport: { width: 360, height: 760 }, locale: 'zh-CN' });
    const violations: string[] = [];
    await page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    return { page, violations };
  }

  async function expectNoViolation(page: Page, violations: string[]) {
    for (const frame of page.frames()) violations.push(...await frame.evaluate(() => window.cspViolations ?? []));
    expect(violations).toEqual([]);
  }

  it('consumer pages: trace, resolver, certificate and home render their inline sheet with no violation', async () => {
    const { page, violations } = await watchedPage();
    for (const path of [`/t/${batch.traceCode}`, `/01/${gtin.padStart(14, '0')}/10/${batch.lotCode}`, certificatePath, '/t/NOSUCHCODE0']) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect([path, await page.locator('header.top').evaluate((el) => getComputedStyle(el).backgroundColor)]).toEqual([path, GREEN]);
      await expectNoViolation(page, violations);
    }
    await page.goto(`${base}/`);
    expect(await page.locator('form.lookup button').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(GREEN);
    await page.locator('form.lookup input').fill(batch.traceCode);
    await page.locator('form.lookup button').click();
    await page.waitForURL(`${base}/t/${batch.traceCode}`);
    expect(await page.locator('main').innerText()).toContain('蒲江猕猴桃（红阳）');
    await expectNoViolation(page, violations);
    // The watch is not blind: an injected inline script is blocked and reported.
    await page.evaluate(() => { const s = document.createElement('script'); s.textContent = 'document.title = "injected"'; document.body.appendChild(s); });
    expect(await page.evaluate(() => window.cspViolations)).toEqual([expect.stringMatching(/^script-src/)]);
    expect(await page.title()).not.toBe('injected');
    await page.close();
  });

  it('console and dashboard: served sheet and script apply, the consumer preview frame loads, no violation', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${base}/app`);
    expect(await page.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(243, 246, 244)');
    await page.getByLabel('登录名').fill(loginName);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/app`);
    await expectNoViolation(page, violations);

    await page.goto(`${base}/app/batches/${batch.id}`);
    expect(await page.frameLocator('iframe').locator('body').innerText()).toContain('蒲江猕猴桃（红阳）');
    await expectNoViolation(page, violations);

    // console.js (a served file) runs: a submitted form is marked so a double click does not post it twice.
    const products = await page.goto(`${base}/app/products`);
    expect(products?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    const marked = await page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('form[action="/app/products"]')!;
      form.addEventListener('submit', (e) => e.preventDefault());
      form.requestSubmit();
      return form.dataset.sent;
    });
    expect(marked).toBe('1');
    await expectNoViolation(page, violations);

    await page.goto(`${base}/app/dashboard`);
    expect(await page.locator('main').evaluate((el) => getComputedStyle(el).maxWidth)).toBe('1200px');
    await expectNoViolation(page, violations);
    await page.close();
  });
});
