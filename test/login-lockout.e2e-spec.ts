import { DataSource } from 'typeorm';
import { createOrg } from './support/factories';
import { ConsoleClient, consoleUser } from './support/console';
import { createTestApp, TestApp } from './support/test-app';

const PASSWORD = '绿源猕猴桃2026春天';
const BURST = 40;

describe('console login lockout under parallel attempts', () => {
  let t: TestApp;
  let db: DataSource;
  let orgId: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    orgId = (await createOrg(t, { name: '蒲江县锁定测试合作社' })).id;
  });
  afterAll(() => t.close());

  /** Login pages carry the form's CSRF token: one client per attempt, as separate browsers would. */
  async function loginForms(count: number): Promise<{ client: ConsoleClient; hidden: Record<string, string> }[]> {
    return Promise.all(Array.from({ length: count }, async () => {
      const client = new ConsoleClient(t);
      const page = await client.get('/app/login');
      return { client, hidden: ConsoleClient.hidden(page.text, '/app/login') };
    }));
  }

  it(`evaluates at most 5 wrong passwords of a ${BURST}-request burst, then refuses the right one while locked`, async () => {
    const name = `burst-${Date.now()}`;
    await consoleUser(t, orgId, name, PASSWORD, 'operator');
    const forms = await loginForms(BURST);
    const answers = await Promise.all(forms.map(({ client, hidden }, i) =>
      client.post('/app/login', { ...hidden, loginName: name, password: `wrong-password-${i}` })));

    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // A 401 is a guess that was evaluated and did not lock; the guess that locks answers 429.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
    const [row] = await db.query('SELECT failed_logins, locked_until FROM console_users WHERE login_name = $1', [name]) as
      { failed_logins: number; locked_until: Date | null }[];
    expect(row.failed_logins).toBeLessThanOrEqual(5);
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now());

    const [right] = await loginForms(1);
    const res = await right.client.post('/app/login', { ...right.hidden, loginName: name, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('tf_sid=');
  });

  it('records each counted attempt in the audit log under the account, not under "*"', async () => {
    const name = `audited-${Date.now()}`;
    await consoleUser(t, orgId, name, PASSWORD, 'operator');
    const [{ id }] = await db.query('SELECT id FROM console_users WHERE login_name = $1', [name]) as { id: string }[];
    const forms = await loginForms(8);
    await Promise.all(forms.map(({ client, hidden }) => client.post('/app/login', { ...hidden, loginName: name, password: 'wrong-password-x' })));
    const entries = await db.query(
      "SELECT action, details FROM audit_log WHERE subject_type = 'console_users' AND subject_id = $1 AND action = 'console_user.login_attempt' ORDER BY seq",
      [id],
    ) as { action: string; details: { failedLogins: number } }[];
    expect(entries.map((e) => e.details.failedLogins)).toEqual([1, 2, 3, 4, 5]);
  });

  it('still lets the right password in after a few wrong ones, and forgets them', async () => {
    const name = `recover-${Date.now()}`;
    await consoleUser(t, orgId, name, PASSWORD, 'operator');
    const forms = await loginForms(4);
    const wrong = await Promise.all(forms.slice(0, 3).map(({ client, hidden }) => client.post('/app/login', { ...hidden, loginName: name, password: 'wrong-password-y' })));
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401]);
    const ok = await forms[3].client.post('/app/login', { ...forms[3].hidden, loginName: name, password: PASSWORD });
    expect(ok.status).toBe(303);
    const [row] = await db.query('SELECT failed_logins, locked_until FROM console_users WHERE login_name = $1', [name]) as
      { failed_logins: number; locked_until: Date | null }[];
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });
});
