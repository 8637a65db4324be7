import { auth, createOrg } from './support/factories';
import { ConsoleClient, consoleUser } from './support/console';
import { ADMIN_TOKEN, createTestApp, TestApp } from './support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const HOSTILE = { Host: 'attacker.example', 'X-Forwarded-Host': 'attacker.example', 'X-Forwarded-Proto': 'http' };

describe('invite links are built on PUBLIC_BASE_URL, never on the Host header', () => {
  let t: TestApp;
  let org: Awaited<ReturnType<typeof createOrg>>;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t, { name: '蒲江县邀请合作社' });
  });
  afterAll(() => t.close());

  it('answers the API invitation with a link on PUBLIC_BASE_URL', async () => {
    const res = await t.http().post(`/api/v1/organizations/${org.id}/console-invites`).set(auth(ADMIN_TOKEN)).set(HOSTILE)
      .send({ loginName: `api-inv-${Date.now()}`, displayName: '王丽', role: 'operator' }).expect(201);
    expect(res.body.inviteUrl).toMatch(/^https:\/\/trace\.example\.cn\/app\/invite\/[A-Za-z0-9_-]{43}$/);
  });

  it('shows the console invitation link on PUBLIC_BASE_URL', async () => {
    const admin = await consoleUser(t, org.id, `inv-admin-${Date.now()}`, PASSWORD);
    const page = await admin.get('/app/users');
    const res = admin.remember(await t.http().post('/app/users/invite').set('Cookie', admin.cookieHeader()).set(HOSTILE).type('form')
      .send(new URLSearchParams({ ...ConsoleClient.hidden(page.text, '/app/users/invite'), loginName: `con-inv-${Date.now()}`, displayName: '李强', role: 'operator' }).toString()));
    expect(res.status).toBe(200);
    const url = /data-invite-url>([^<]+)</.exec(res.text)![1];
    expect(url).toMatch(/^https:\/\/trace\.example\.cn\/app\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(res.text).not.toContain('attacker.example');
  });
});
