import { consolePageOf, consolePagesFor, consoleRolesFor, effectiveConsoleRole } from './console-roles';

describe('console roles by organisation kind', () => {
  it('invites regulators only into regulator organisations, producers roles everywhere else', () => {
    expect(consoleRolesFor('regulator')).toEqual(['regulator']);
    for (const kind of ['cooperative', 'enterprise', 'purchaser', 'market', 'lab', 'individual']) {
      expect(consoleRolesFor(kind)).toEqual(['org_admin', 'operator']);
    }
  });

  it('acts as a regulator in a regulator organisation, even for a stored org_admin', () => {
    expect(effectiveConsoleRole('regulator', 'regulator')).toBe('regulator');
    expect(effectiveConsoleRole('regulator', 'org_admin')).toBe('regulator');
  });

  it('keeps producer roles and refuses a regulator role outside a regulator organisation', () => {
    expect(effectiveConsoleRole('cooperative', 'org_admin')).toBe('org_admin');
    expect(effectiveConsoleRole('market', 'operator')).toBe('operator');
    expect(effectiveConsoleRole('cooperative', 'regulator')).toBeNull();
    expect(effectiveConsoleRole('cooperative', 'admin')).toBeNull();
  });
});

describe('console workspaces', () => {
  it('names the workspace of a path; creating a batch or anything under one batch writes', () => {
    expect(consolePageOf('GET', '/app')).toBe('home');
    expect(consolePageOf('GET', '/app?x=1')).toBe('home');
    expect(consolePageOf('GET', '/app/batches')).toBe('batches');
    expect(consolePageOf('GET', '/app/batches/0b5e0e3c-1a2b-4c3d-8e9f-001122334455')).toBe('batches');
    expect(consolePageOf('POST', '/app/batches')).toBe('batch-writes');
    expect(consolePageOf('GET', '/app/batches/new')).toBe('batch-writes');
    expect(consolePageOf('GET', '/app/batches/x/print')).toBe('batch-writes');
    expect(consolePageOf('GET', '/app/print-runs/x')).toBe('batch-writes');
    expect(consolePageOf('POST', '/app/api-keys/x/revoke')).toBe('users');
    expect(consolePageOf('GET', '/app/dashboard/export/regions.csv')).toBe('dashboard');
    expect(consolePageOf('GET', '/app/farm/sites/x?code=1')).toBe('farm');
    expect(consolePageOf('POST', '/app/farm/applications/x/void')).toBe('farm');
    for (const open of ['/app/login', '/app/logout', '/app/invite/abc', '/app/static/console.js', '/t/ABC', '/appx']) {
      expect(consolePageOf('GET', open)).toBeNull();
    }
  });

  it('gives regulators the dashboard and batches to read, labs their home, org_admins the accounts', () => {
    expect(consolePagesFor('regulator', 'regulator')).toEqual(['dashboard', 'batches']);
    expect(consolePagesFor('cooperative', 'operator')).toContain('batch-writes');
    expect(consolePagesFor('cooperative', 'operator')).not.toContain('users');
    expect(consolePagesFor('cooperative', 'operator')).toContain('farm');
    expect(consolePagesFor('regulator', 'regulator')).not.toContain('farm');
    expect(consolePagesFor('purchaser', 'org_admin')).toContain('users');
    expect(consolePagesFor('lab', 'operator')).toEqual(['home']);
  });
});
