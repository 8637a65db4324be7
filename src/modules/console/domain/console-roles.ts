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

/**
 * The console's workspaces. `batches` reads batches (list, one batch); `batch-writes` creates
 * them and prints their labels and certificates. `lab` is a lab's samples (receive, results);
 * `sampling` a regulator's plans, rounds and samples; `supervision` a regulator's hold, recall and
 * void of a batch of its region; `shipments` ships, receives, mixes and splits lots; `marks` a
 * regulator's quality-mark claims, refusals and expiring certificates of its region; `mark-records`
 * a producer's own quality-mark certificates and brand licences; `gi` a regulator's GI records of its
 * region (create, authorised users, revoke).
 */
export const CONSOLE_PAGES = [
  'home', 'products', 'sites', 'farm', 'batches', 'batch-writes', 'certificates', 'collect', 'shipments', 'listings', 'gate', 'sellers', 'dashboard', 'users',
  'lab', 'sampling', 'supervision', 'inspections', 'findings', 'reports', 'marks', 'mark-records', 'gi',
] as const;
export type ConsolePage = (typeof CONSOLE_PAGES)[number];

/** Workspace by first path segment after /app/; other paths (login, invite, logout, static files) belong to every session. */
const CONSOLE_PAGE_OF: Record<string, ConsolePage> = {
  '': 'home', products: 'products', sites: 'sites', farm: 'farm', batches: 'batches', 'print-runs': 'batch-writes',
  certificates: 'certificates', collect: 'collect', dashboard: 'dashboard', reports: 'reports', users: 'users', 'api-keys': 'users', webhooks: 'users',
  listings: 'listings', gate: 'gate', sellers: 'sellers', stalls: 'sellers',
  lab: 'lab', sampling: 'sampling', supervision: 'supervision', shipments: 'shipments',
  inspections: 'inspections', findings: 'findings', marks: 'marks', 'mark-records': 'mark-records', gi: 'gi',
};

export function consolePageOf(method: string, url: string): ConsolePage | null {
  const segments = url.split(/[?#]/, 1)[0].split('/').filter(Boolean);
  if (segments[0] !== 'app') return null;
  const first = segments[1] ?? '';
  if (!Object.prototype.hasOwnProperty.call(CONSOLE_PAGE_OF, first)) return null;
  const page = CONSOLE_PAGE_OF[first];
  // /app/batches and /app/batches/:id read; creating, /new and everything under one batch write.
  if (page === 'batches' && (method !== 'GET' || segments[2] === 'new' || segments.length > 3)) return 'batch-writes';
  return page;
}

const PRODUCER_PAGES: readonly ConsolePage[] = ['home', 'products', 'sites', 'farm', 'batches', 'batch-writes', 'certificates', 'mark-records', 'collect', 'shipments', 'listings', 'dashboard', 'findings', 'reports'];
/**
 * A market lands on its gate (入场查验) and keeps its seller files and stalls; it also receives
 * lots and keeps products like any trader, but has no separate home page (the gate is its home).
 */
const MARKET_PAGES: readonly ConsolePage[] = ['gate', 'sellers', ...PRODUCER_PAGES.filter((p) => p !== 'home')];

/**
 * The workspaces a person may open, the first one being where they land. Navigation and links
 * show only these and the gate refuses the others, so nobody is shown a form the services would
 * refuse them: a regulator reads the dashboard and the batches of its region (it writes nothing of
 * a producer's, but holds, recalls and voids in its region, runs sampling and inspections, and triages
 * consumer reports (问题反馈), which producers answer, and watches quality-mark use (质量标志); a lab has no producer records, only the samples
 * assigned to it; the gate and seller files are a market's (the services refuse them to anyone else);
 * accounts and keys are an org_admin's.
 */
export function consolePagesFor(orgKind: string, role: ConsoleRole): readonly ConsolePage[] {
  if (role === 'regulator') return ['dashboard', 'batches', 'sampling', 'supervision', 'inspections', 'reports', 'marks', 'gi'];
  const own: readonly ConsolePage[] = orgKind === 'lab' ? ['lab'] : orgKind === 'market' ? MARKET_PAGES : PRODUCER_PAGES;
  return role === 'org_admin' ? [...own, 'users'] : own;
}
