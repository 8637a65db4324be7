/**
 * Console login lockout under a burst: BENCH_BURST (default 40) wrong passwords for one account, all
 * in flight at once against the built API, each from its own "browser" (login form + CSRF cookie).
 * Prints how many guesses were evaluated before the lock held (the account's failure counter and
 * the audited attempts; the rule allows 5), the answers, and whether the right password is then refused.
 *   npm run build && npx tsx bench/login-lockout.ts        (needs PostgreSQL on 127.0.0.1:5432)
 * Settings: BENCH_BURST, BENCH_ROUNDS (default 3, one fresh account each).
 */
import { Client } from 'pg';
import { BENCH_ADMIN_TOKEN, call, ConsoleSession as Session, runBench, table, withApi } from './support';

const BURST = Number(process.env.BENCH_BURST ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PASSWORD = '绿源猕猴桃2026春天';

/** A browser that has loaded the login form: its CSRF cookie and hidden fields. */
async function loginForm(base: string): Promise<{ session: Session; hidden: Record<string, string> }> {
  const session = new Session(base);
  const page = await session.get('/app/login');
  return { session, hidden: Session.hidden(page.text, '/app/login') };
}

async function tryLogin(form: { session: Session; hidden: Record<string, string> }, loginName: string, password: string): Promise<number> {
  const res = await fetch(`${form.session.base}/app/login`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ ...form.hidden, loginName, password }).toString(),
    headers: { cookie: form.session.header(), 'content-type': 'application/x-www-form-urlencoded' },
  });
  await res.arrayBuffer();
  return res.status;
}

async function invitedPerson(base: string, orgId: string, loginName: string): Promise<void> {
  const invite = (await call(base, `/api/v1/organizations/${orgId}/console-invites`, BENCH_ADMIN_TOKEN, { loginName, displayName: '王丽', role: 'operator' })).json;
  const session = new Session(base);
  const path = new URL(invite.inviteUrl as string).pathname;
  const page = await session.get(path);
  await session.post(path, { ...Session.hidden(page.text, path), password: PASSWORD, confirm: PASSWORD });
}

runBench(async () => {
  await withApi({ PUBLIC_RATE_LIMIT_MAX: '10000000', PUBLIC_BASE_URL: 'http://127.0.0.1' }, async (api) => {
    const org = (await call(api.url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '蒲江县绿源猕猴桃专业合作社', kind: 'cooperative', uscc: '91510114730209375B', regionCode: '510131' })).json;
    const pg = new Client({ connectionString: api.databaseUrl });
    await pg.connect();
    const rows: Record<string, string | number>[] = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const loginName = `burst-${round}`;
        await invitedPerson(api.url, org.id as string, loginName);
        const forms = await Promise.all(Array.from({ length: BURST }, () => loginForm(api.url)));
        const started = performance.now();
        const statuses = await Promise.all(forms.map((f, i) => tryLogin(f, loginName, `wrong-password-${i}`)));
        const ms = performance.now() - started;
        const [user] = (await pg.query('SELECT id, failed_logins FROM console_users WHERE login_name = $1', [loginName])).rows as { id: string; failed_logins: number }[];
        const [audited] = (await pg.query("SELECT count(*)::int AS n FROM audit_log WHERE subject_type = 'console_users' AND subject_id = $1 AND action = 'console_user.login_attempt'", [user.id])).rows as { n: number }[];
        const right = await tryLogin(await loginForm(api.url), loginName, PASSWORD);
        rows.push({
          round, burst: BURST, 'guesses evaluated (failed_logins)': user.failed_logins, 'audited attempts': audited.n,
          '401 (wrong, not locked)': statuses.filter((s) => s === 401).length, '429 (locked)': statuses.filter((s) => s === 429).length,
          other: statuses.filter((s) => s !== 401 && s !== 429).length, 'burst ms': ms.toFixed(0), 'right password then': right === 429 ? '429 refused' : String(right),
        });
      }
    } finally {
      await pg.end();
    }
    console.log(`\nConsole login: ${BURST} wrong passwords in flight at once for one account (lockout allows 5 guesses)\n`);
    console.log(table(rows));
  });
});
