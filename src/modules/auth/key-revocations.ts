import { Injectable } from '@nestjs/common';
import { ClusterBus } from '../../common/cluster-bus';

const TOPIC = 'api-key-revoked';

/**
 * Tells every API process that an API key was revoked, so none keeps accepting it from its cache
 * (the cluster channel, see ClusterBus; without Redis there is one process and the revoking service
 * forgets its own cache).
 *
 * A process caches keys only while it is subscribed (`live`): while Redis is unreachable it reads
 * every key from PostgreSQL, and it forgets its cache whenever it subscribes again (messages sent
 * meanwhile are lost). If publishing fails, other processes accept the key until their cache
 * entry expires (10 s).
 */
@Injectable()
export class KeyRevocations {
  constructor(private readonly bus: ClusterBus) {}

  /** Whether a revocation made by any process reaches this one (always, without Redis). */
  get live(): boolean {
    return this.bus.live;
  }

  /** `listener` runs whenever a key may have been revoked elsewhere. */
  onRevoked(listener: () => void): void {
    this.bus.on(TOPIC, listener);
    this.bus.onResync(listener);
  }

  /** Tells the other processes; resolves once Redis has taken the message (or refused it). */
  announce(keyId: string): Promise<void> {
    return this.bus.publish(TOPIC, keyId);
  }
}
