/** The roles a person can hold in the console (API keys have their own list in auth/roles.ts). */
export const CONSOLE_ROLES = ['org_admin', 'operator', 'regulator'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

const PRODUCER_ROLES: readonly ConsoleRole[] = ['org_admin', 'operator'];
const REGULATOR_ROLES: readonly ConsoleRole[] = ['regulator'];

/**
 * Roles a person may be invited with into an organisation of this kind. A regulator's people only
 * read (scoped to its region), so a regulator organisation has no org_admin or operator: those
 * roles write producer records in their own organisation.
 */
export function consoleRolesFor(orgKind: string): readonly ConsoleRole[] {
  return orgKind === 'regulator' ? REGULATOR_ROLES : PRODUCER_ROLES;
}

/**
 * The role a session acts with. In a regulator organisation it is always `regulator`, whatever was
 * stored (people invited there before regulators had a console role keep read-only access rather
 * than writing as an org_admin); a `regulator` user anywhere else has no valid role (null).
 */
export function effectiveConsoleRole(orgKind: string, storedRole: string): ConsoleRole | null {
  if (orgKind === 'regulator') return 'regulator';
  return PRODUCER_ROLES.find((r) => r === storedRole) ?? null;
}
