import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium, phoneLogin, screenshotPath } from '../support/browser';
import { consoleUser } from '../support/console';
import { auth, createOrg, createRegulator, OrgWithKey } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';

/**
 * An inspector's phone (360 px) with a poor connection: the 巡查 page lists who is due, the
 * inspection form (with a finding's photos, shrunk on the phone) survives a reload mid-form, is
 * recorded once even when the submit is sent again, and the inspected organisation then reads its
 * open finding in its console.
 */
describe('inspection form on a phone in a real browser (Chromium) at 360 px', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let coop: OrgWithKey;
  let bureau: OrgWithKey;
  const stamp = Date.now();

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    coop = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    bureau = await createRegulator(t, '510131');
    await consoleUser(t, bureau.id, `inspector-${stamp}`, PASSWORD, 'regulator');
    await consoleUser(t, coop.id, `coop-${stamp}`, PASSWORD, 'operator');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const logIn = (loginName: string): Promise<Page> => phoneLogin(browser, base, loginName, PASSWORD);

  const item = (page: Page, key: string) => page.locator(`[data-item="${key}"]`);

  it('keeps the form and its photos through a reload, submits it once, and the organisation sees its finding', async () => {
    const page = await logIn(`inspector-${stamp}`);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.getByRole('link', { name: '巡查', exact: true }).click();
    // Never inspected: due, whatever its grade (none published here).
    const due = page.locator('[data-inspections-due]');
    await expect(due.innerText()).resolves.toContain('蒲江县绿源猕猴桃专业合作社');
    await expect(due.innerText()).resolves.toContain('从未巡查');
    await page.getByRole('link', { name: '新建巡查记录' }).click();
    await page.waitForURL(`${base}/app/inspections/new`);
    const form = page.locator('form.inspection-form');
    const key = await form.getAttribute('data-key');
    expect(key).toMatch(/^[0-9a-f-]{32,36}$/);

    // Half the sheet filled in the field…
    await page.getByLabel('被检查主体').selectOption(coop.id);
    await page.getByLabel('检查人员 1').fill('张三');
    await page.getByLabel('检查人员 2').fill('李四');
    await item(page, 'production_records').getByLabel('符合', { exact: true }).check();
    await item(page, 'labelling').getByLabel('不符合', { exact: true }).check();
    await item(page, 'labelling').getByLabel('发现的问题（不符合时填写）').fill('部分包装未附承诺达标合格证');
    await item(page, 'labelling').getByLabel('严重程度').selectOption('serious');
    // Two photos of the finding straight from the camera (3000 × 2000 JPEG, ~1 MB each): shrunk on the phone.
    const camera = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 128, g: 128, b: 128 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 95 }).toBuffer();
    expect(camera.length).toBeGreaterThan(500_000);
    await item(page, 'labelling').locator('input[type=file]').setInputFiles([
      { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: camera }, { name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: camera },
    ]);
    await item(page, 'labelling').locator('.thumbs img').nth(1).waitFor();
    const kept = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement>('input[name=photo]'), (i) => i.value));
    expect(kept).toHaveLength(2);
    for (const v of kept) {
      const [itemKey, type, data] = v.split('|');
      expect([itemKey, type]).toEqual(['labelling', 'image/jpeg']);
      expect(Buffer.from(data, 'base64').length).toBeLessThanOrEqual(100 * 1024);
    }
    await page.screenshot({ path: screenshotPath('inspection-form-360-before-reload.png'), fullPage: true });

    // …then the page reloads (the phone killed the tab, the connection dropped): nothing is lost.
    await page.reload();
    expect(await form.getAttribute('data-key')).toBe(key);
    await expect(page.locator('[data-draft-status]').innerText()).resolves.toContain('已恢复');
    expect(await page.getByLabel('被检查主体').inputValue()).toBe(coop.id);
    expect(await page.getByLabel('检查人员 2').inputValue()).toBe('李四');
    expect(await item(page, 'production_records').getByLabel('符合', { exact: true }).isChecked()).toBe(true);
    expect(await item(page, 'labelling').getByLabel('不符合', { exact: true }).isChecked()).toBe(true);
    expect(await item(page, 'labelling').getByLabel('发现的问题（不符合时填写）').inputValue()).toBe('部分包装未附承诺达标合格证');
    expect(await item(page, 'labelling').getByLabel('严重程度').inputValue()).toBe('serious');
    expect(await item(page, 'labelling').locator('.thumbs img').count()).toBe(2);
    // One photo too many is removed again.
    await item(page, 'labelling').locator('input[type=file]').setInputFiles([{ name: 'IMG_0003.jpg', mimeType: 'image/jpeg', buffer: camera }]);
    await item(page, 'labelling').locator('.thumbs img').nth(2).waitFor();
    await item(page, 'labelling').getByRole('button', { name: '删除这张照片' }).nth(2).click();
    expect(await item(page, 'labelling').locator('.thumbs img').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('inspection-form-360-after-reload.png'), fullPage: true });

    // The rest of the sheet, and the submit.
    for (const key of ['banned_pesticides', 'pre_harvest_interval', 'input_use_records', 'packaging_waste', 'quality_marks', 'sampling']) {
      await item(page, key).getByLabel('符合', { exact: true }).check();
    }
    await item(page, 'gi_use').getByLabel('不适用', { exact: true }).check();
    const sent = await form.evaluate((f: HTMLFormElement) => new URLSearchParams(new FormData(f) as unknown as Record<string, string>).toString());
    await page.getByRole('button', { name: '提交巡查记录' }).click();
    await page.waitForURL(/\/app\/inspections\/[0-9a-f-]{36}\?draft=/);
    const inspectionUrl = new URL(page.url());
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('已提交');
    await page.screenshot({ path: screenshotPath('inspection-recorded-360.png'), fullPage: true });
    // The draft is gone from the phone once recorded.
    expect(await page.evaluate((k) => [localStorage.getItem(`tt-inspection:${k}`), localStorage.getItem('tt-inspection:current')], key)).toEqual([null, null]);

    // A retry of the same submit (the answer was lost on the way back) records nothing new.
    const retry = await page.evaluate(async (body) => {
      const res = await fetch('/app/inspections', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual', credentials: 'same-origin' });
      return res.type === 'opaqueredirect' ? 'redirected' : String(res.status);
    }, sent);
    expect(retry).toBe('redirected');
    const listed = await t.http().get(`/api/v1/inspections?organizationId=${coop.id}`).set(auth(bureau.token)).expect(200);
    expect(listed.body.items.map((i: { id: string }) => `/app/inspections/${i.id}`)).toEqual([inspectionUrl.pathname]);
    expect(listed.body.items[0]).toMatchObject({ inspectors: ['张三', '李四'], findings: [expect.objectContaining({ itemKey: 'labelling', severity: 'serious' })] });
    expect(listed.body.items[0].photos).toEqual([1, 2].map((n) => expect.objectContaining({ contentType: 'image/jpeg', itemKey: 'labelling', url: `/api/v1/inspections/${listed.body.items[0].id}/photos/${n}` })));
    const stored = await t.http().get(listed.body.items[0].photos[0].url).set(auth(bureau.token)).buffer(true).expect(200);
    expect((await sharp(stored.body as Buffer).metadata()).width).toBeLessThanOrEqual(1280);
    // The recorded inspection lists the finding's photos.
    expect(await page.locator('[data-photo]').count()).toBe(2);
    expect(problems).toEqual([]);

    // A new form starts a new draft with a new key.
    await page.goto(`${base}/app/inspections/new`);
    expect(await page.locator('form.inspection-form').getAttribute('data-key')).not.toBe(key);
    expect(await page.getByLabel('检查人员 1').inputValue()).toBe('');

    const producer = await logIn(`coop-${stamp}`);
    await producer.getByRole('link', { name: '整改', exact: true }).click();
    await producer.waitForURL(`${base}/app/findings`);
    const open = producer.locator('section').first();
    await expect(open.innerText()).resolves.toContain('部分包装未附承诺达标合格证');
    await expect(open.innerText()).resolves.toContain('严重');
    await producer.screenshot({ path: screenshotPath('inspection-findings-producer-360.png'), fullPage: true });
  });
});
