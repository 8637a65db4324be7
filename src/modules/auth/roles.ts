export const ROLES = ['admin', 'org_admin', 'operator', 'lab', 'regulator'] as const;
export type Role = (typeof ROLES)[number];

/** Roles an API key can carry (the platform admin is a setting, not a key). */
export const KEY_ROLES = ['org_admin', 'operator', 'lab', 'regulator'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** Roles that write an organisation's own records (products, sites, batches, labels). */
export const PRODUCER_WRITERS: Role[] = ['org_admin', 'operator'];
