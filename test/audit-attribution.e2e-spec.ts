import { DataSource } from 'typeorm';
import { auth, createOrg, createProduct, createSite } from './support/factories';
import { consoleUser } from './support/console';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';

interface Entry {
  action: string;
  actor: { kind: string; id: string | null; organizationId: string | null };
  subject: { type: string; id: string };
}

describe('audit attribution: every change names the person or key and the subject', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  /** The org_admin key reads its organisation's audit log: what the owner sees is attributed. */
  async function entries(token: string, subject: string): Promise<Entry[]> {
    const res = await t.http().get('/api/v1/audit').query({ subject, limit: 100 }).set(auth(token)).expect(200);
    return res.body.items as Entry[];
  }

  async function keyId(token: string): Promise<string> {
    const [row] = await db.query('SELECT id FROM api_keys WHERE token_prefix = $1', [token.slice(0, 10)]) as { id: string }[];
    return row.id;
  }

  it('records console actions as the console user, with the subject ids of products, sites and keys', async () => {
    const org = await createOrg(t, { name: '蒲江县审计合作社' });
    const name = `audit-${Date.now()}`;
    const admin = await consoleUser(t, org.id, name, PASSWORD);
    const [{ id: userId }] = await db.query('SELECT id FROM console_users WHERE login_name = $1', [name]) as { id: string }[];
    const person = { kind: 'org_admin', id: `user:${userId}`, organizationId: org.id };

    const created = await admin.submit('/app/products', '/app/products', { name: '审计猕猴桃', category: KIWI });
    expect(created.status).toBe(303);
    const productId = new URL(created.headers.location as string, 'http://x').searchParams.get('created')!;
    const edited = await admin.submit(`/app/products/${productId}/edit`, `/app/products/${productId}`, { name: '审计猕猴桃（改）', category: KIWI });
    expect(edited.status).toBe(303);
    const productLog = await entries(org.token, `products:${productId}`);
    expect(productLog.map((e) => e.action).sort()).toEqual(['products.insert', 'products.update']);
    for (const e of productLog) expect(e.actor).toEqual(person);

    const site = await createSite(t, org.token, { name: '审计基地' });
    const renamed = await admin.submit(`/app/sites/${site.id}/edit`, `/app/sites/${site.id}`, { name: '审计基地（改）', regionCode: '510131' });
    expect(renamed.status).toBe(303);
    const siteLog = await entries(org.token, `sites:${site.id}`);
    expect(siteLog.find((e) => e.action === 'sites.update')?.actor).toEqual(person);
    expect(siteLog.find((e) => e.action === 'sites.insert')?.actor).toEqual({ kind: 'org_admin', id: await keyId(org.token), organizationId: org.id });

    const key = await t.http().post(`/api/v1/organizations/${org.id}/api-keys`).set(auth(ADMIN_TOKEN)).send({ role: 'operator' }).expect(201);
    const page = await admin.get('/app/users');
    expect(page.status).toBe(200);
    const revoked = await admin.submit('/app/users', `/app/api-keys/${key.body.id}/revoke`, {});
    expect(revoked.status).toBe(200);
    const keyLog = await entries(org.token, `api_keys:${key.body.id}`);
    expect(keyLog.find((e) => e.action === 'api_keys.update')?.actor).toEqual(person);

    // Nothing this person did is filed under "*" or as 'system'.
    const [{ count }] = await db.query(
      "SELECT count(*)::int AS count FROM audit_log WHERE organization_id = $1 AND (subject_id = '*' OR actor_kind = 'system')", [org.id],
    ) as { count: number }[];
    expect(count).toBe(0);
  });

  it('records API writes as the key, with the subject id', async () => {
    const org = await createOrg(t, { name: '蒲江县审计合作社二' });
    const product = await createProduct(t, org.token, { name: '接口猕猴桃' });
    const [insert] = await entries(org.token, `products:${product.id}`);
    expect(insert).toMatchObject({ action: 'products.insert', subject: { type: 'products', id: product.id } });
    expect(insert.actor).toEqual({ kind: 'org_admin', id: await keyId(org.token), organizationId: org.id });
  });
});
