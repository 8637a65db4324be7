import { EventEmitter } from 'node:events';

/**
 * A batch's public facts changed (status, certificates, GI claims, lots): caches of public pages drop
 * it at once in this process. Features that change a batch emit after committing; the scan and
 * certificate pages listen. Shared here so that no feature has to import another to announce it.
 */
export const batchEvents = new EventEmitter();
export const BATCH_CHANGED = 'batch-changed';
