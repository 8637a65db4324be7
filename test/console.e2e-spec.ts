import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QUANTITY_UNITS } from '../libs/quantity';
import { auth, createBatch, createOrg, createProduct, createRegulator, createSite, uniqueGtin13 } from './support/factories';
import { ConsoleClient, consoleUser } from './support/console';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const adminName = `admin-${Date.now()}`;

describe('cooperative console /app (sessions, CSRF, lockout, forms)', () => {
  let t: TestApp;
  let db: DataSource;
  let org: Awaited<ReturnType<typeof createOrg>>;
  let admin: ConsoleClient;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    org = await createOrg(t, { name: '蒲江县绿源猕猴桃专业合作社' });
    admin = await consoleUser(t, org.id, adminName, PASSWORD);
  });
  afterAll(() => t.close());

  it('keeps the session in an httpOnly, SameSite=Lax, Secure cookie and stores only a hash of it', async () => {
    const client = new ConsoleClient(t);
    const page = await client.get('/app/login');
    const res = await client.post('/app/login', { ...ConsoleClient.hidden(page.text, '/app/login'), loginName: adminName, password: PASSWORD });
    expect(res.status).toBe(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('tf_sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    const raw = client.jar.get('tf_sid')!;
    const rows = await db.query('SELECT id_hash FROM console_sessions') as { id_hash: string }[];
    expect(rows.some((r) => r.id_hash === raw)).toBe(false);
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });

  it('sends people without a session to the login page, and back to where they were after it', async () => {
    const client = new ConsoleClient(t);
    const res = await client.get('/app/batches/new');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/app/login?next=%2Fapp%2Fbatches%2Fnew');
    const login = await client.login(adminName, PASSWORD, '/app/batches/new');
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/app/batches/new');
    expect((await client.get('/app/batches/new')).status).toBe(200);
  });

  it('returns an expired session to login, then to the page it was on', async () => {
    const client = new ConsoleClient(t);
    await client.login(adminName, PASSWORD);
    expect((await client.get('/app/products')).status).toBe(200);
    // Only this client's session (the file's other tests have sessions too).
    const idHash = createHash('sha256').update(client.jar.get('tf_sid')!).digest('hex');
    await db.query("UPDATE console_sessions SET expires_at = now() - interval '1 minute' WHERE id_hash = $1", [idHash]);
    const res = await client.get('/app/products');
    expect(res.headers.location).toBe('/app/login?next=%2Fapp%2Fproducts');
    // A form posted after expiry comes back to the page that held the form.
    const post = await client.post('/app/products', { name: 'x' }, 'https://trace.example.cn/app/products');
    expect(post.headers.location).toBe('/app/login?next=%2Fapp%2Fproducts');
    // Never to another site.
    expect((await client.get('/app/login?next=https://evil.example/')).text).toContain('value="/app"');
  });

  it('refuses a form without the session CSRF token and creates nothing', async () => {
    const before = (await t.http().get('/api/v1/products').set(auth(org.token))).body.items.length;
    const res = await admin.post('/app/products', { name: '无令牌', category: '水果>柑橘类水果>橙' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('页面已过期');
    const wrong = await admin.post('/app/products', { _csrf: 'not-the-token', name: '错令牌', category: '水果>柑橘类水果>橙' });
    expect(wrong.status).toBe(403);
    expect((await t.http().get('/api/v1/products').set(auth(org.token))).body.items.length).toBe(before);
  });

  it('shows what the API refuses next to the right field, in Chinese, keeping what was typed', async () => {
    const res = await admin.submit('/app/products', '/app/products', { name: '蒲江红心猕猴桃', category: '不存在的类别', gtin: '6901234567890' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="err-category"[^>]*>请从列表中选择一个食品类别/);
    expect(res.text).toContain('value="蒲江红心猕猴桃"');
    expect(res.text).toContain('value="6901234567890"');
    const gtin = await admin.submit('/app/products', '/app/products', {
      name: '蒲江红心猕猴桃', category: '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃', gtin: '6901234567890',
    });
    expect(gtin.status).toBe(422);
    expect(gtin.text).toMatch(/id="err-gtin"[^>]*>商品条码（GTIN）无效/);
    const empty = await admin.submit('/app/batches/new', '/app/batches', { productId: '', siteId: '', 'quantity.value': '-3', producedOn: '2026-13-40' });
    expect(empty.status).toBe(422);
    for (const f of ['productId', 'siteId', 'producedOn']) expect(empty.text).toContain(`id="err-${f}"`);
    expect(empty.text).toContain('value="-3"');
  });

  it('creates one product, one batch and one print run however often a form is submitted', async () => {
    const product = await admin.get('/app/products');
    const hidden = ConsoleClient.hidden(product.text, '/app/products');
    const fields = { ...hidden, name: `双击产品${Date.now()}`, category: '水果>柑橘类水果>橙', gtin: uniqueGtin13() };
    const answers = await Promise.all([admin.post('/app/products', fields), admin.post('/app/products', fields), admin.post('/app/products', fields)]);
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303]);
    expect(new Set(answers.map((a) => a.headers.location)).size).toBe(1);
    const items = (await t.http().get('/api/v1/products?limit=100').set(auth(org.token))).body.items as { name: string; id: string }[];
    expect(items.filter((p) => p.name === fields.name)).toHaveLength(1);

    const site = await createSite(t, org.token);
    const productId = items.find((p) => p.name === fields.name)!.id;
    const batchForm = ConsoleClient.hidden((await admin.get('/app/batches/new')).text, '/app/batches');
    const batchFields = { ...batchForm, productId, siteId: site.id, 'quantity.value': '500', 'quantity.unit': 'kg', producedOn: '2026-11-20' };
    const batches = await Promise.all([admin.post('/app/batches', batchFields), admin.post('/app/batches', batchFields)]);
    expect(batches[0].headers.location).toBe(batches[1].headers.location);
    const batchId = /\/app\/batches\/([0-9a-f-]{36})/.exec(batches[0].headers.location)![1];
    const listed = (await t.http().get('/api/v1/batches?limit=100').set(auth(org.token))).body.items as { product: { id: string } }[];
    expect(listed.filter((b) => b.product.id === productId)).toHaveLength(1);

    const printForm = ConsoleClient.hidden((await admin.get(`/app/batches/${batchId}/print`)).text, `/app/batches/${batchId}/print-runs`);
    const print = { ...printForm, count: '40', choice: 'pdf:a4-40' };
    const runs = await Promise.all([admin.post(`/app/batches/${batchId}/print-runs`, print), admin.post(`/app/batches/${batchId}/print-runs`, print)]);
    expect(runs[0].headers.location).toBe(runs[1].headers.location);
    expect((await t.http().get(`/api/v1/batches/${batchId}/print-runs`).set(auth(org.token))).body.items).toHaveLength(1);
    const runPage = await admin.get(runs[0].headers.location);
    expect(runPage.text).toContain('下载标签文件');
    const pdf = await admin.get(`${runs[0].headers.location.split('?')[0]}/labels.pdf?layout=a4-40`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('locks an account after repeated wrong passwords, with back-off, even against the right password', async () => {
    const name = `lock-${Date.now()}`;
    await consoleUser(t, org.id, name, PASSWORD, 'operator');
    const client = new ConsoleClient(t);
    for (let i = 0; i < 4; i++) {
      const res = await client.login(name, 'wrong-password-1');
      expect(res.status).toBe(401);
      expect(res.text).toContain('账号或密码不正确');
      expect(res.text).toContain(`value="${name}"`);
    }
    const fifth = await client.login(name, 'wrong-password-1');
    expect(fifth.status).toBe(429);
    expect(fifth.text).toContain('账号已暂时锁定，请 30 秒后再试');
    const right = await client.login(name, PASSWORD);
    expect(right.status).toBe(429);
    // Lift the lock (time passes): the next failure locks for twice as long.
    await db.query("UPDATE console_users SET locked_until = now() - interval '1 second' WHERE login_name = $1", [name]);
    const sixth = await client.login(name, 'wrong-password-1');
    expect(sixth.text).toContain('请 1 分钟后再试');
    await db.query("UPDATE console_users SET locked_until = NULL WHERE login_name = $1", [name]);
    const ok = await client.login(name, PASSWORD);
    expect(ok.status).toBe(303);
    const [row] = await db.query('SELECT failed_logins FROM console_users WHERE login_name = $1', [name]) as { failed_logins: number }[];
    expect(row.failed_logins).toBe(0);
  });

  it('logs out everywhere: every session of the person ends', async () => {
    const name = `multi-${Date.now()}`;
    const phone = await consoleUser(t, org.id, name, PASSWORD, 'operator');
    const desktop = new ConsoleClient(t);
    await desktop.login(name, PASSWORD);
    expect((await desktop.get('/app')).status).toBe(200);
    const res = await phone.submit('/app', '/app/logout-everywhere', {});
    expect(res.headers.location).toBe('/app/login?out=all');
    expect((await desktop.get('/app')).status).toBe(303);
    expect((await phone.get('/app')).status).toBe(303);
  });

  it('lets an org_admin invite an operator with a one-time link and manage API keys; operators cannot', async () => {
    const name = `op-${Date.now()}`;
    const invited = await admin.submit('/app/users', '/app/users/invite', { loginName: name, displayName: '李强', role: 'operator' });
    expect(invited.status).toBe(200);
    const url = /data-invite-url>([^<]+)</.exec(invited.text)![1];
    const path = new URL(url).pathname;
    const person = new ConsoleClient(t);
    const weak = await person.submit(path, path, { password: 'short', confirm: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('至少 10 个字符');
    // The rules are on the form before anything is typed; a weak password and a differing confirmation are named at once.
    expect((await person.get(path)).text).toMatch(/密码要求：至少 10 个字符.*不能包含登录名/);
    const both = await person.submit(path, path, { password: 'short', confirm: 'other' });
    expect(both.status).toBe(422);
    expect(both.text).toMatch(/id="err-password"[^>]*>至少 10 个字符/);
    expect(both.text).toMatch(/id="err-confirm"[^>]*>两次输入的密码不一致/);
    const ok = await person.submit(path, path, { password: PASSWORD, confirm: PASSWORD });
    expect(ok.status).toBe(303);
    // The link works once.
    expect((await new ConsoleClient(t).get(path)).status).toBe(410);
    // Accounts are not an operator's workspace: the page sends them home, a post is refused.
    const users = await person.get('/app/users');
    expect([users.status, users.headers.location]).toEqual([303, '/app']);

    // Webhooks (事件推送) from the accounts page: a bad URL is named, a good one shows its secret once, removal asks first.
    expect((await admin.get('/app/users')).text).toContain('href="/app/webhooks"');
    const badHook = await admin.submit('/app/webhooks', '/app/webhooks', { url: 'not a url' });
    expect(badHook.status).toBe(422);
    expect(badHook.text).toMatch(/id="err-url"/);
    const hook = await admin.submit('/app/webhooks', '/app/webhooks', { url: 'https://erp.example.cn/hooks/tianfu', kinds: ['batch.recalled', 'sample.failed'] });
    expect(hook.status).toBe(200);
    expect(hook.text).toMatch(/data-webhook-secret[^>]*>[^<]{20,}</);
    const hooks = (await t.http().get('/api/v1/webhooks').set(auth(org.token)).expect(200)).body.items as { id: string; url: string; kinds: string[] }[];
    expect(hooks).toEqual([expect.objectContaining({ url: 'https://erp.example.cn/hooks/tianfu', kinds: ['batch.recalled', 'sample.failed'] })]);
    const listed = await admin.get('/app/webhooks');
    expect(listed.text).toMatch(new RegExp(`action="/app/webhooks/${hooks[0].id}/delete"[^>]*data-confirm`));
    expect((await admin.post(`/app/webhooks/${hooks[0].id}/delete`, ConsoleClient.hidden(listed.text, `/app/webhooks/${hooks[0].id}/delete`))).status).toBe(303);
    expect((await t.http().get('/api/v1/webhooks').set(auth(org.token)).expect(200)).body.items).toEqual([]);
    expect([(await person.get('/app/webhooks')).status]).toEqual([303]);

    const key = await admin.submit('/app/users', '/app/api-keys', { role: 'operator', label: '包装车间打印机' });
    const token = /data-api-token>([^<]+)</.exec(key.text)![1];
    await t.http().get('/api/v1/products').set(auth(token)).expect(200);
  });

  it('lets regulators log in: role regulator scoped to their organisation\'s region, invited only into regulator organisations', async () => {
    const bureau = await createRegulator(t, '510100');
    const invite = (orgId: string, role: string) => t.http().post(`/api/v1/organizations/${orgId}/console-invites`).set(auth(ADMIN_TOKEN))
      .send({ loginName: `reg-${role}-${Date.now()}`, displayName: '监管员', role });
    expect((await invite(bureau.id, 'org_admin')).status).toBe(400);
    expect((await invite(org.id, 'regulator')).body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'role', rule: 'isIn' } });
    const person = await consoleUser(t, bureau.id, `regulator-${Date.now()}`, PASSWORD, 'regulator');
    const home = await person.get('/app');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/app/dashboard');
    // Reads inside 成都市 (蒲江县 510131), not outside it (汉源县 511823).
    const inside = await createBatch(t, org.token);
    const far = await createOrg(t, { regionCode: '511823' });
    const outside = await createBatch(t, far.token, { siteId: (await createSite(t, far.token, { regionCode: '511823' })).id });
    const list = await person.get('/app/batches');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`/app/batches/${inside.id}`);
    expect(list.text).not.toContain(`/app/batches/${outside.id}`);
    expect(list.text).toContain('href="/app/dashboard"');
    expect(list.text).not.toContain('href="/app/products"');
    // Read-only: producer pages are not shown (the gate sends them to their dashboard) and writes are refused.
    const productsPage = await person.get('/app/products');
    expect(productsPage.status).toBe(303);
    expect(productsPage.headers.location).toBe('/app/dashboard');
    expect(list.text).not.toContain('href="/app/batches/new"');
    const refused = await person.post('/app/products', { _csrf: ConsoleClient.hidden(list.text, '/app/logout')._csrf, name: '监管员的产品', category: KIWI });
    expect(refused.status).toBe(403);
    expect(await db.query('SELECT 1 FROM products WHERE name = $1', ['监管员的产品'])).toHaveLength(0);
  });

  it('offers every unit the API accepts, 斤 included, and creates a batch weighed in 斤', async () => {
    const product = await createProduct(t, org.token, { name: '按斤卖的猕猴桃' });
    const site = await createSite(t, org.token);
    const form = await admin.get('/app/batches/new');
    for (const unit of QUANTITY_UNITS) expect(form.text).toContain(`<option value="${unit}"`);
    const created = await admin.submit('/app/batches/new', '/app/batches', {
      productId: product.id, siteId: site.id, 'quantity.value': '300', 'quantity.unit': '斤', producedOn: '2026-10-08',
    });
    expect(created.status).toBe(303);
    const id = /batches\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1];
    expect((await t.http().get(`/api/v1/batches/${id}`).set(auth(org.token))).body.quantity).toEqual({ value: '300', unit: '斤' });
  });

  it('says why 自行检测合格 cannot be chosen for a batch with no passing test', async () => {
    const batch = await createBatch(t, org.token);
    const res = await admin.submit(`/app/batches/${batch.id}/certificate`, '/app/certificates', { basis: 'self_test', 'quantity.value': '10', 'quantity.unit': 'kg' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="err-evidence.testRecordIds"[^>]*>[^<]+</);
  });

  it('edits a product and a site; a site keeps its county', async () => {
    const product = await createProduct(t, org.token, { name: '待改名产品' });
    const edit = await admin.get(`/app/products/${product.id}/edit`);
    expect(edit.text).toContain('value="待改名产品"');
    const saved = await admin.submit(`/app/products/${product.id}/edit`, `/app/products/${product.id}`, { name: '已改名产品', category: KIWI });
    expect(saved.status).toBe(303);
    expect((await t.http().get(`/api/v1/products/${product.id}`).set(auth(org.token))).body.name).toBe('已改名产品');
    const bad = await admin.submit(`/app/products/${product.id}/edit`, `/app/products/${product.id}`, { name: '已改名产品', category: KIWI, gtin: '123' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="err-gtin"');

    const site = await createSite(t, org.token, { name: '旧基地名' });
    const moved = await admin.submit(`/app/sites/${site.id}/edit`, `/app/sites/${site.id}`, { name: '新基地名', regionCode: '510132' });
    expect(moved.status).toBe(422);
    expect(moved.text).toMatch(/id="err-regionCode"[^>]*>基地所在县不能修改/);
    expect(moved.text).toContain('value="新基地名"');
    const renamed = await admin.submit(`/app/sites/${site.id}/edit`, `/app/sites/${site.id}`, { name: '新基地名', regionCode: '510131' });
    expect(renamed.status).toBe(303);
    expect((await t.http().get(`/api/v1/sites/${site.id}`).set(auth(org.token))).body.name).toBe('新基地名');
    // Another organisation's product is not found.
    const other = await createOrg(t);
    const theirs = await createProduct(t, other.token);
    expect((await admin.get(`/app/products/${theirs.id}/edit`)).status).toBe(404);
  });

  it('answers another organisation\'s batch with the not-found page', async () => {
    const other = await createOrg(t);
    const batch = await createBatch(t, other.token);
    const res = await admin.get(`/app/batches/${batch.id}`);
    expect(res.status).toBe(404);
    expect(res.text).toContain('未找到，或不属于本单位');
  });

  it('issues a certificate from a batch and voids it with a reason; a void without reason stays on the form', async () => {
    const product = await createProduct(t, org.token);
    const batch = await createBatch(t, org.token, { productId: product.id });
    const missing = await admin.submit(`/app/batches/${batch.id}/certificate`, '/app/certificates', { basis: 'quality_control', 'evidence.qualityControl': '' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('id="err-evidence.qualityControl"');
    const issued = await admin.submit(`/app/batches/${batch.id}/certificate`, '/app/certificates', {
      basis: 'quality_control', 'evidence.qualityControl': '按规程生产，落实安全间隔期', 'quantity.value': '300', 'quantity.unit': 'kg', signedBy: '张三',
    });
    expect(issued.status).toBe(303);
    const certPath = issued.headers.location.split('?')[0];
    const page = await admin.get(certPath);
    expect(page.text).toContain('有效');
    const pdf = await admin.get(`${certPath}/certificate.pdf?layout=a4`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const noReason = await admin.submit(certPath, `${certPath}/void`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('id="err-reason"');
    const voided = await admin.submit(certPath, `${certPath}/void`, { reason: '数量填写错误' });
    expect(voided.status).toBe(303);
    const after = await admin.get(certPath);
    expect(after.text).toContain('已作废');
    expect(after.text).toContain('数量填写错误');
  });
});
