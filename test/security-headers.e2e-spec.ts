import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { auth, createBatch, createOrg, createProduct, OrgWithKey, uniqueGtin13 } from './support/factories';
import { ConsoleClient, consoleUser } from './support/console';
import { createTestApp, TestApp } from './support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';

function directives(csp: string | undefined): Record<string, string[]> {
  expect(csp).toEqual(expect.any(String));
  return Object.fromEntries(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

const hashOf = (css: string) => `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;

/**
 * The security headers of an HTML page, and that its CSP holds for the page as served: no inline
 * script, no style or event-handler attributes, and every inline <style> allowed by its hash.
 */
function expectProtectedPage(res: Response, framedBy = "'none'", inlineStyles = false) {
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  const csp = directives(res.headers['content-security-policy']);
  expect(csp['script-src']).toEqual(["'self'"]);
  expect(csp['object-src']).toEqual(["'none'"]);
  expect(csp['base-uri']).toEqual(["'none'"]);
  expect(csp['frame-ancestors']).toEqual([framedBy]);
  expect(res.headers['x-frame-options']).toBe(framedBy === "'self'" ? 'SAMEORIGIN' : 'DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  if (inlineStyles) return;
  expect(res.text).not.toMatch(/<[a-z][^>]*\s(style|on[a-z]+)=/i);
  for (const [, css] of res.text.matchAll(/<style>([\s\S]*?)<\/style>/g)) expect(csp['style-src']).toContain(hashOf(css));
}

describe('security headers on every HTML page (issue 13, item 17)', () => {
  let t: TestApp;
  let org: OrgWithKey;
  let batch: { id: string; lotCode: string; traceCode: string };
  let gtin: string;
  let console: ConsoleClient;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    gtin = uniqueGtin13();
    const product = await createProduct(t, org.token, { name: '蒲江猕猴桃（红阳）', gtin });
    batch = await createBatch(t, org.token, { productId: product.id });
    console = await consoleUser(t, org.id, `csp-${Date.now()}`, PASSWORD);
  });
  afterAll(() => t.close());

  it('consumer pages (/t/, /01/ resolver, /c/, home, not found) carry them, framed only by our own console', async () => {
    const pages = [
      `/t/${batch.traceCode}`,
      `/01/${gtin.padStart(14, '0')}/10/${batch.lotCode}`,
      '/t/NOSUCHCODE0',
      '/c/no-such-certificate',
      '/',
    ];
    const cert = await t.http().post('/api/v1/certificates').set(auth(org.token))
      .send({ batchId: batch.id, basis: ['quality_control'], evidence: { qualityControl: '按规程生产' }, quantity: { value: '300', unit: 'kg' }, signedBy: '张三' })
      .expect(201);
    pages.push(new URL(cert.body.verifyUrl as string).pathname);
    for (const path of pages) {
      const res = await t.http().get(path).set('Accept', 'text/html');
      expect([path, res.status < 500]).toEqual([path, true]);
      expectProtectedPage(res, "'self'");
    }
  });

  it('console pages (/app login, home, batch) and the dashboard carry them and load their sheets as files', async () => {
    expectProtectedPage(await t.http().get('/app/login'));
    for (const path of ['/app', `/app/batches/${batch.id}`, '/app/dashboard']) {
      const res = await console.get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expectProtectedPage(res);
      expect(res.text).toContain('<link rel="stylesheet" href="/app/static/console.css?v=');
      for (const [, href] of res.text.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)) {
        const sheet = await t.http().get(href.replace(/&amp;/g, '&')).expect(200);
        expect(sheet.headers['content-type']).toMatch(/^text\/css/);
      }
    }
  });

  it('the recall report and the API documentation carry them too', async () => {
    const recall = await t.http().post('/api/v1/recalls').set(auth(org.token)).send({ batchId: batch.id, reason: '模拟召回演练', mock: true }).expect(201);
    expectProtectedPage(await t.http().get(`/api/v1/recalls/${recall.body.id}/report.html`).set(auth(org.token)).expect(200));
    // Swagger UI keeps its inline styles; its scripts are files.
    const docs = await t.http().get('/docs').redirects(1).expect(200);
    expectProtectedPage(docs, "'none'", true);
  });

  it('JSON answers carry nosniff too', async () => {
    const res = await t.http().get('/api/v1/products').set(auth(org.token)).expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const scan = await t.http().get(`/api/v1/scan/${batch.traceCode}`).expect(200);
    expect(scan.headers['x-content-type-options']).toBe('nosniff');
  });
});
