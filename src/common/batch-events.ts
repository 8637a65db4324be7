import { EventEmitter } from 'node:events';
import type { EntityManager } from 'typeorm';
import { afterCommit } from './after-commit';

/**
 * A batch's public facts changed (status, certificates, GI claims, lots): caches of public pages drop
 * it at once in this process. Features announce with announceBatchChanged; the scan and certificate
 * pages listen. Shared here so that no feature has to import another to announce it.
 * BatchChangeRelay carries announcements to the other processes and emits theirs here, with
 * `origin` REMOTE (listeners: `(batchId, origin) => …`).
 */
export const batchEvents = new EventEmitter();
export const BATCH_CHANGED = 'batch-changed';
/** Announcements from other processes may have been missed: drop every cached batch. */
export const BATCHES_RESYNC = 'batches-resync';
export const LOCAL = 'local';
export const REMOTE = 'remote';
export type BatchChangeOrigin = typeof LOCAL | typeof REMOTE;

/**
 * Announces that these batches changed, once the transaction `manager` runs in commits (never for
 * one that rolls back: a cache reloading on the event must read the new state). Without a
 * transaction (the change is committed already) it announces at once.
 */
export function announceBatchChanged(manager: EntityManager | null, batchIds: Iterable<string>): void {
  const ids = [...new Set(batchIds)];
  if (ids.length === 0) return;
  afterCommit(manager, () => {
    for (const id of ids) batchEvents.emit(BATCH_CHANGED, id, LOCAL);
  });
}
