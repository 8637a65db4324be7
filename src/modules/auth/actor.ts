import { DomainError } from '../../../libs/errors';
import { regionPrefix } from '../regions/domain';
import type { Role } from './roles';

/**
 * Who is calling. Every service method that reads or writes tenant data takes an Actor and
 * scopes by it; controllers never filter by hand.
 */
export interface Actor {
  role: Role;
  /** The caller's organisation; null for the platform admin. */
  organizationId: string | null;
  /** For regulators: the GB/T 2260 code of their jurisdiction. */
  regionCode: string | null;
  apiKeyId: string | null;
  /** The console user, when a person acts through a console session (apiKeyId is then null). */
  userId?: string | null;
}

export const ADMIN_ACTOR: Actor = { role: 'admin', organizationId: null, regionCode: null, apiKeyId: null };

/** Who exactly acted, for records: the API key's id, or `user:<id>` for a console user; null for the admin token. */
export function actorRef(actor: Actor): string | null {
  return actor.apiKeyId ?? (actor.userId ? userRef(actor.userId) : null);
}

export function userRef(userId: string): string {
  return `user:${userId}`;
}

export function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin';
}

/** The region prefix a regulator may read, or null when the actor is not a regulator. */
export function regulatorPrefix(actor: Actor): string | null {
  return actor.role === 'regulator' && actor.regionCode ? regionPrefix(actor.regionCode) : null;
}

/** Can this actor read a record owned by `ownerOrgId`, located in `regionCodes`? */
export function canRead(actor: Actor, ownerOrgId: string, regionCodes: (string | null | undefined)[]): boolean {
  if (isAdmin(actor)) return true;
  if (actor.organizationId === ownerOrgId) return true;
  const prefix = regulatorPrefix(actor);
  return prefix !== null && regionCodes.some((code) => !!code && code.startsWith(prefix));
}

/** Owner-side writes: the organisation's own admins and operators. */
export function canWriteAs(actor: Actor, ownerOrgId: string): boolean {
  return (actor.role === 'org_admin' || actor.role === 'operator') && actor.organizationId === ownerOrgId;
}

/** Producer writes happen inside the caller's own organisation; returns its id. */
export function requireOwnOrganization(actor: Actor): string {
  if ((actor.role === 'org_admin' || actor.role === 'operator') && actor.organizationId) return actor.organizationId;
  throw new DomainError('FORBIDDEN', "Only an organisation's org_admin or operator can do this");
}
