import type { Browser, BrowserContext } from 'playwright-core';
import { DataSource } from 'typeorm';
import { launchChromium } from './support/browser';
import { ConsoleClient, consoleUser } from './support/console';
import { auth, createBatch, createOrg, createProduct, createSite, OrgWithKey } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Hostile text through every page type: markup and attribute breakouts come out as text, and bidi
 * controls (refused on input, but possibly in rows stored before) do not come out at all. Each page
 * is parsed by Chromium (scripts off): the DOM, not a regex, says what is an element or attribute.
 */
const HOSTILE = '<script>a()</script>" onmouseover="a()\'<b onclick=a()>';
const BIDI = '\u202e反\u2066向\u2069';
const PASSWORD = '绿源猕猴桃2026春天';

describe('views escape hostile text on every page type', () => {
  let t: TestApp;
  let db: DataSource;
  let org: OrgWithKey;
  let client: ConsoleClient;
  let browser: Browser;
  let context: BrowserContext;
  let batch: Awaited<ReturnType<typeof createBatch>>;
  let productId: string;
  let cert: { id: string; verifyUrl: string };

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    org = await createOrg(t, { name: HOSTILE });
    const product = await createProduct(t, org.token, { name: HOSTILE, spec: HOSTILE });
    productId = product.id;
    const site = await createSite(t, org.token, { name: HOSTILE, address: HOSTILE });
    // The FSMA 204 key data elements are shown on the batch page (views/kde-facts.tsx).
    batch = await createBatch(t, org.token, { productId, siteId: site.id, variety: HOSTILE, growingArea: HOSTILE, harvesterName: HOSTILE, harvesterPhone: '028-88551234' });
    cert = (await t.http().post('/api/v1/certificates').set(auth(org.token)).send({
      batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: HOSTILE }, signedBy: HOSTILE.slice(0, 20),
    }).expect(201)).body as { id: string; verifyUrl: string };
    client = await consoleUser(t, org.id, `esc-${Date.now()}`, PASSWORD);
    // Rows stored before bidi controls were refused on input.
    await db.query('UPDATE products SET name = name || $2 WHERE id = $1', [productId, BIDI]);
    await db.query('UPDATE organizations SET name = name || $2 WHERE id = $1', [org.id, BIDI]);
    await db.query('UPDATE sites SET name = name || $2 WHERE id = $1', [site.id, BIDI]);
    await db.query('UPDATE console_users SET display_name = $2 WHERE organization_id = $1', [org.id, `${HOSTILE}${BIDI}`]);
    browser = await launchChromium();
    context = await browser.newContext({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** What Chromium makes of a page: scripts, event-handler attributes, and the text people read. */
  async function parsed(html: string): Promise<{ scripts: string[]; handlers: string[]; text: string }> {
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'domcontentloaded' });
    const result = await page.evaluate(() => ({
      scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src') ?? 'inline'),
      handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      text: document.documentElement.textContent ?? '',
    }));
    await page.close();
    return result;
  }

  async function expectInert(html: string, showsHostile = true): Promise<void> {
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    const dom = await parsed(html);
    expect(dom.handlers).toEqual([]);
    expect(dom.scripts.every((src) => src === '/app/static/console.js')).toBe(true);
    expect(dom.text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    // The text itself survives, as text.
    if (showsHostile) expect(dom.text).toContain(HOSTILE);
  }

  it('public pages: the scan page with its sections, the certificate page, the not-found page', async () => {
    const scan = await t.http().get(`/t/${batch.traceCode}`).expect(200);
    await expectInert(scan.text);
    expect(scan.text).toContain('反向');
    const certificate = await t.http().get(new URL(cert.verifyUrl).pathname).expect(200);
    await expectInert(certificate.text);
    await expectInert((await t.http().get('/t/NOTACODE2345').expect(404)).text, false);
  });

  it('console pages of the cooperative workspace', async () => {
    for (const path of ['/app', '/app/products', `/app/products/${productId}/edit`, '/app/sites', '/app/batches', `/app/batches/${batch.id}`,
      `/app/batches/${batch.id}/print`, `/app/batches/${batch.id}/certificate`, '/app/certificates', `/app/certificates/${cert.id}`, '/app/farm',
      `/app/farm/sites/${(batch as unknown as { siteId: string }).siteId}?q=${encodeURIComponent(HOSTILE)}&code=${encodeURIComponent(HOSTILE)}`]) {
      const res = await client.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      await expectInert(res.text, path !== '/app/batches/' + batch.id + '/print' && path !== '/app');
    }
  });

  it('purchaser, users and regulator workspaces, and the error page', async () => {
    for (const path of ['/app/collect', '/app/users', '/app/dashboard', `/app/dashboard/organizations/${org.id}`]) {
      const res = await client.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      await expectInert(res.text);
    }
    const missing = await client.get('/app/batches/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    await expectInert(missing.text, false);
  });

  it('receiving a logistic unit: the sender\'s hostile names and document on the scan page, and a hostile SSCC typed', async () => {
    const sender = await createOrg(t, { name: HOSTILE, gs1CompanyPrefix: '6901111' });
    const lot = await createBatch(t, sender.token, { productId: (await createProduct(t, sender.token, { name: HOSTILE })).id, quantity: { value: '50', unit: 'kg' } });
    const [sscc] = (await t.http().post('/api/v1/ssccs').set(auth(sender.token)).send({}).expect(201)).body.ssccs as string[];
    await t.http().post(`/api/v1/ssccs/${sscc}/contents`).set(auth(sender.token)).send({ lots: [{ batchId: lot.id, quantity: { value: '5', unit: 'kg' } }] }).expect(201);
    await t.http().post(`/api/v1/ssccs/${sscc}/shipment`).set(auth(sender.token)).send({ toOrganizationId: org.id, referenceDocument: HOSTILE }).expect(201);
    for (const path of ['/app/shipments/receive', `/app/shipments/receive?sscc=${sscc}`]) {
      const res = await client.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      await expectInert(res.text);
    }
    const typed = await client.get(`/app/shipments/receive?sscc=${encodeURIComponent(HOSTILE)}`);
    expect(typed.status).toBe(422);
    await expectInert(typed.text, false);
  });

  it('a refused form shows the hostile text it was sent back in its inputs, inert', async () => {
    const res = await client.submit('/app/products', '/app/products', { name: HOSTILE, category: `${HOSTILE}不存在`, spec: HOSTILE });
    expect(res.status).toBe(422);
    await expectInert(res.text, false);
    const page = await context.newPage();
    await page.setContent(res.text, { waitUntil: 'domcontentloaded' });
    expect(await page.inputValue('form[action="/app/products"] input[name="name"]')).toBe(HOSTILE);
    expect(await page.inputValue('form[action="/app/products"] input[name="spec"]')).toBe(HOSTILE);
    // The new-batch form's FSMA 204 fields, refused on the phone number.
    const batchForm = await client.submit('/app/batches/new', '/app/batches', {
      productId, siteId: (batch as unknown as { siteId: string }).siteId, 'quantity.value': '10', 'quantity.unit': 'kg', producedOn: '2026-10-08',
      variety: HOSTILE, growingArea: HOSTILE, harvesterName: HOSTILE, harvesterPhone: HOSTILE, cooledAt: HOSTILE,
    });
    expect(batchForm.status).toBe(422);
    await expectInert(batchForm.text, false);
    await page.setContent(batchForm.text, { waitUntil: 'domcontentloaded' });
    for (const name of ['variety', 'growingArea', 'harvesterName', 'harvesterPhone']) {
      expect(await page.inputValue(`form[action="/app/batches"] input[name="${name}"]`)).toBe(HOSTILE);
    }
    expect(await page.getAttribute('form[action="/app/batches"] input[name="harvesterPhone"]', 'aria-invalid')).toBe('true');
    await page.close();
  });
});
