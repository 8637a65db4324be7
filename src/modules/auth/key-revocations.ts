import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/**
 * Tells every API process that an API key was revoked, so none keeps accepting it from its cache:
 * Redis pub/sub on `<QUEUE_PREFIX>:api-keys:revoked` when REDIS_URL is set; without Redis there is
 * one process and the revoking service forgets its own cache.
 *
 * A process caches keys only while it is subscribed (`live`): while Redis is unreachable it reads
 * every key from PostgreSQL, and it forgets its cache whenever it subscribes again (messages sent
 * meanwhile are lost). If publishing fails, other processes accept the key until their cache
 * entry expires (10 s), as before this channel existed.
 */
@Injectable()
export class KeyRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KeyRevocations');
  private readonly listeners: (() => void)[] = [];
  private publisher?: IORedis;
  private subscriber?: IORedis;
  private subscribing?: Promise<void>;
  private subscribed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Whether a revocation made by any process reaches this one (always, without Redis). */
  get live(): boolean {
    return !this.config.redisUrl || this.subscribed;
  }

  /** `listener` runs whenever a key may have been revoked elsewhere. */
  onRevoked(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Tells the other processes; resolves once Redis has taken the message (or refused it). */
  async announce(keyId: string): Promise<void> {
    if (!this.publisher) return;
    try {
      await this.publisher.publish(this.channel, keyId);
    } catch (error) {
      this.logger.warn({ msg: 'could not announce a key revocation; other API processes accept the key until their cache expires', keyId, error: String(error) });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.redisUrl;
    if (!url) return;
    // Fail fast when Redis is down at boot, as the job dispatcher does; the subscriber keeps reconnecting.
    this.publisher = new IORedis(url, { maxRetriesPerRequest: 1 });
    this.publisher.on('error', () => undefined);
    this.subscriber = new IORedis(url, { maxRetriesPerRequest: 1, autoResubscribe: false });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string) => {
      if (channel === this.channel) this.notify();
    });
    this.subscriber.on('close', () => { this.subscribed = false; });
    this.subscriber.on('ready', () => {
      if (!this.subscribed) void this.subscribe();
    });
    await this.subscribe();
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
    this.publisher?.disconnect();
  }

  private get channel(): string {
    return `${this.config.queuePrefix}:api-keys:revoked`;
  }

  private subscribe(): Promise<void> {
    this.subscribing ??= this.subscriber!.subscribe(this.channel)
      .then(() => {
        this.subscribed = true;
        this.notify(); // whatever was cached before may have been revoked while nobody listened
      }, (error: unknown) => this.logger.warn({ msg: 'not subscribed to key revocations (Redis down?); keys are not cached until it is', error: String(error) }))
      .finally(() => { this.subscribing = undefined; });
    return this.subscribing;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
