import { AsyncLocalStorage } from 'node:async_hooks';
import { Actor, actorRef } from '../auth';

/** Who is acting, as recorded in the audit log. */
export interface AuditActor {
  kind: string;
  /** The API key's id, or `user:<id>` for a person signed in to the console. */
  id: string | null;
  organizationId: string | null;
}

/**
 * The actor of one request or job. Mutable because a console request learns who it is only inside
 * its handler (the session is resolved there), after the interceptor has opened the scope.
 */
interface AuditScope {
  actor: AuditActor | null;
}

const storage = new AsyncLocalStorage<AuditScope>();

/** The actor for code that runs outside any request or job (this process's default). */
let fallback: AuditActor = { kind: 'system', id: null, organizationId: null };

export function auditActorOf(actor: Actor): AuditActor {
  return { kind: actor.role, id: actorRef(actor), organizationId: actor.organizationId };
}

/** Runs `work` with `actor` as the audit actor of every change it makes (also across awaits). */
export function runAsAuditActor<T>(actor: AuditActor | null, work: () => T): T {
  return storage.run({ actor }, work);
}

/** Names the actor of the request or job in progress (a console session, once resolved); no-op outside one. */
export function bindAuditActor(actor: AuditActor): void {
  const scope = storage.getStore();
  if (scope) scope.actor = actor;
}

export function currentAuditActor(): AuditActor {
  return storage.getStore()?.actor ?? fallback;
}

/** Sets this process's default actor (the worker process says 'worker', the CLI 'cli'). */
export function setDefaultAuditActor(kind: string): void {
  fallback = { kind, id: null, organizationId: null };
}

/** Someone not signed in (a login attempt). */
export const ANONYMOUS_ACTOR: AuditActor = { kind: 'anonymous', id: null, organizationId: null };
