import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BATCH_CHANGED, BATCHES_RESYNC, BatchChangeOrigin, batchEvents, REMOTE } from './batch-events';
import { ClusterBus } from './cluster-bus';

const TOPIC = 'batch-changed';

/**
 * Every process's batch announcements reach every other process (API replicas and workers: a
 * worker that holds batches after a failed sample tells the scan pages at once). Announcements of
 * one tick go out as one message.
 */
@Injectable()
export class BatchChangeRelay implements OnModuleInit, OnModuleDestroy {
  private pending = new Set<string>();
  private readonly onLocal = (batchId: string, origin?: BatchChangeOrigin) => {
    if (origin === REMOTE) return;
    if (this.pending.size === 0) setImmediate(() => void this.send());
    this.pending.add(batchId);
  };

  constructor(private readonly bus: ClusterBus) {}

  onModuleInit(): void {
    batchEvents.on(BATCH_CHANGED, this.onLocal);
    this.bus.on(TOPIC, (data) => {
      for (const id of data.split(',')) if (id) batchEvents.emit(BATCH_CHANGED, id, REMOTE);
    });
    this.bus.onResync(() => batchEvents.emit(BATCHES_RESYNC));
  }

  onModuleDestroy(): void {
    batchEvents.off(BATCH_CHANGED, this.onLocal);
  }

  private async send(): Promise<void> {
    const ids = [...this.pending];
    this.pending = new Set();
    await this.bus.publish(TOPIC, ids.join(','));
  }
}
