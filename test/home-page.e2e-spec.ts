import { createTestApp, TestApp } from './support/test-app';

describe('home page: the way in for consumers and for the console', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('links to the console login and names the site icon, which is served', async () => {
    const home = await t.http().get('/').expect(200);
    expect(home.text).toContain('href="/app/login"');
    expect(home.text).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
    const login = await t.http().get('/app/login').expect(200);
    expect(login.text).toContain('href="/favicon.svg"');
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await t.http().get(path).buffer(true).parse((res, cb) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString('utf8')));
        res.on('end', () => cb(null, data));
      }).expect(200);
      expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(String(icon.body)).toMatch(/^<svg /);
    }
  });

  it('finds a code typed as printed on a label: groups, lower case, hyphens', async () => {
    for (const typed of ['742b 4xnb n9zd3', '742B-4XNB-N9ZD3', ' 742B4XNBN9ZD3 ']) {
      const res = await t.http().get(`/t?code=${encodeURIComponent(typed)}`).redirects(0).expect(303);
      expect(res.headers.location).toBe('/t/742B4XNBN9ZD3');
    }
  });
});
