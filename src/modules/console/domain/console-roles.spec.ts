import { consoleRolesFor, effectiveConsoleRole } from './console-roles';

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
