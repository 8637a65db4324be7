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
    expect(consolePageOf('POST', '/app/lab/samples/x/results')).toBe('lab');
    expect(consolePageOf('POST', '/app/sampling/plans')).toBe('sampling');
    expect(consolePageOf('POST', '/app/supervision/batches/x/recall')).toBe('supervision');
    expect(consolePageOf('POST', '/app/shipments/x/receipt')).toBe('shipments');
    expect(consolePageOf('GET', '/app/farm/sites/x?code=1')).toBe('farm');
    expect(consolePageOf('POST', '/app/farm/applications/x/void')).toBe('farm');
    expect(consolePageOf('GET', '/app/marks?scheme=organic&days=30')).toBe('marks');
    for (const open of ['/app/login', '/app/logout', '/app/invite/abc', '/app/static/console.js', '/t/ABC', '/appx']) {
      expect(consolePageOf('GET', open)).toBeNull();
    }
  });

  it('gives regulators the dashboard, batches, sampling, supervision, inspections, consumer reports and quality marks, labs their samples, org_admins the accounts', () => {
    expect(consolePagesFor('regulator', 'regulator')).toEqual(['dashboard', 'batches', 'sampling', 'supervision', 'inspections', 'reports', 'marks', 'gi']);
    expect(consolePagesFor('cooperative', 'org_admin')).not.toContain('marks');
    expect(consolePagesFor('cooperative', 'operator')).toEqual(expect.arrayContaining(['findings', 'reports']));
    expect(consolePagesFor('cooperative', 'operator')).toContain('batch-writes');
    expect(consolePagesFor('cooperative', 'operator')).not.toContain('users');
    expect(consolePagesFor('cooperative', 'operator')).toContain('farm');
    expect(consolePagesFor('regulator', 'regulator')).not.toContain('farm');
    expect(consolePagesFor('purchaser', 'org_admin')).toContain('users');
    expect(consolePagesFor('lab', 'operator')).toEqual(['lab']);
    expect(consolePagesFor('lab', 'org_admin')).toEqual(['lab', 'users']);
  });

  it('lands a market on its gate, with its seller files; the gate and sellers are nobody else\'s; listings are producers\'', () => {
    expect(consolePagesFor('market', 'operator')[0]).toBe('gate');
    expect(consolePagesFor('market', 'operator')).toEqual(expect.arrayContaining(['gate', 'sellers', 'batches', 'listings']));
    expect(consolePagesFor('market', 'operator')).not.toContain('users');
    for (const kind of ['cooperative', 'purchaser', 'lab']) {
      expect(consolePagesFor(kind, 'org_admin')).not.toContain('gate');
      expect(consolePagesFor(kind, 'org_admin')).not.toContain('sellers');
    }
    expect(consolePagesFor('cooperative', 'operator')).toContain('listings');
    expect(consolePagesFor('regulator', 'regulator')).not.toContain('listings');
    expect(consolePageOf('POST', '/app/stalls')).toBe('sellers');
    expect(consolePageOf('GET', '/app/gate?seller=x')).toBe('gate');
    expect(consolePageOf('POST', '/app/listings/x/sessions')).toBe('listings');
  });
});
