import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisClient, redisConnection } from './redis';

type Listener = (data: string) => void;

interface Envelope {
  from: string;
  topic: string;
  data: string;
}

/**
 * Messages between the processes of one deployment (API replicas and workers): Redis pub/sub on
 * one channel, `<QUEUE_PREFIX>:cluster`, when REDIS_URL is set. Without Redis there is one process
 * and nothing to tell. A process never receives its own messages: it acts on them itself.
 *
 * Pub/sub delivers to whoever is subscribed at that moment and keeps nothing, so a process is
 * `live` only while subscribed; caches that rely on these messages keep nothing while it is not,
 * and `onResync` listeners run whenever it subscribes again (messages may have been missed).
 */
@Injectable()
export class ClusterBus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClusterBus');
  private readonly id = randomUUID();
  private readonly listeners = new Map<string, Listener[]>();
  private readonly resyncListeners: (() => void)[] = [];
  private publisher?: RedisClient;
  private subscriber?: RedisClient;
  private subscribing?: Promise<void>;
  private subscribed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Whether a message published by any process reaches this one now (always, without Redis). */
  get live(): boolean {
    return !this.config.redisUrl || this.subscribed;
  }

  /** `listener` gets every message on `topic` from the other processes. */
  on(topic: string, listener: Listener): void {
    this.listeners.set(topic, [...(this.listeners.get(topic) ?? []), listener]);
  }

  /** `listener` runs whenever messages may have been missed (this process was not subscribed). */
  onResync(listener: () => void): void {
    this.resyncListeners.push(listener);
  }

  /** Tells the other processes; resolves once Redis has taken the message, or after logging why not. */
  async publish(topic: string, data: string): Promise<void> {
    if (!this.publisher) return;
    try {
      await this.publisher.publish(this.channel, JSON.stringify({ from: this.id, topic, data } satisfies Envelope));
    } catch (error) {
      this.logger.warn({ msg: 'could not tell the other processes; their caches catch up when their entries expire', topic, error: String(error) });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.redisUrl) return;
    this.publisher = redisConnection(this.config);
    this.subscriber = redisConnection(this.config, { autoResubscribe: false });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.deliver(message);
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
    return `${this.config.queuePrefix}:cluster`;
  }

  private deliver(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.from === this.id) return;
    for (const listener of this.listeners.get(envelope.topic) ?? []) listener(envelope.data);
  }

  private subscribe(): Promise<void> {
    this.subscribing ??= this.subscriber!.subscribe(this.channel)
      .then(() => {
        this.subscribed = true;
        for (const listener of this.resyncListeners) listener();
      }, (error: unknown) => this.logger.warn({ msg: 'not subscribed to the cluster channel (Redis down?); caches that need it keep nothing until it is', error: String(error) }))
      .finally(() => { this.subscribing = undefined; });
    return this.subscribing;
  }
}
