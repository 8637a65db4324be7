import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../auth/actor';

/** Who is acting, as recorded in the audit log. */
export interface AuditActor {
  kind: string;
  id: string | null;
  organizationId: string | null;
}

const storage = new AsyncLocalStorage<AuditActor>();

/** The actor for code that runs outside any request or job (this process's default). */
let fallback: AuditActor = { kind: 'system', id: null, organizationId: null };

export function auditActorOf(actor: Actor): AuditActor {
  return { kind: actor.role, id: actor.apiKeyId, organizationId: actor.organizationId };
}

/** Runs `work` with `actor` as the audit actor of every change it makes (also across awaits). */
export function runAsAuditActor<T>(actor: AuditActor, work: () => T): T {
  return storage.run(actor, work);
}

export function currentAuditActor(): AuditActor {
  return storage.getStore() ?? fallback;
}

/** Sets this process's default actor (the worker process says 'worker', the CLI 'cli'). */
export function setDefaultAuditActor(kind: string): void {
  fallback = { kind, id: null, organizationId: null };
}

export const WORKER_ACTOR: AuditActor = { kind: 'worker', id: null, organizationId: null };
