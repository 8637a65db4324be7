import IORedis, { Cluster, RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';

/** A connection to one Redis server (possibly found through Sentinel) or to a Redis Cluster. */
export type RedisClient = IORedis | Cluster;

export type RedisSettings = Pick<AppConfig, 'redisUrl' | 'redisTopology'>;

/**
 * Every Redis connection of the platform (queues, workers, schedulers, pub/sub, rate limits, metrics)
 * is made here, so Sentinel and Cluster work everywhere or nowhere. The defaults suit short requests:
 * a command fails after one retry instead of waiting for Redis to come back, so an outage degrades a
 * feature rather than stalling requests. BullMQ workers pass `maxRetriesPerRequest: null`.
 */
export function redisConnection(settings: RedisSettings, options: RedisOptions = {}): RedisClient {
  const url = settings.redisUrl;
  if (!url) throw new Error('redisConnection needs REDIS_URL');
  const merged: RedisOptions = { maxRetriesPerRequest: 1, connectTimeout: 2000, ...options };
  const topology = settings.redisTopology;
  let connection: RedisClient;
  if (topology.kind === 'cluster') {
    connection = new Cluster(topology.nodes, {
      redisOptions: { ...credentials(url), ...merged },
      enableOfflineQueue: merged.enableOfflineQueue ?? true,
    });
  } else if (topology.kind === 'sentinel') {
    // The URL's host is the group's name, not a server: ioredis asks the Sentinels for the current
    // master on every (re)connect, so a failover is followed without a restart.
    connection = new IORedis(url, { ...merged, sentinels: topology.sentinels, name: topology.masterName });
  } else {
    connection = new IORedis(url, merged);
  }
  // Errors surface on the commands that fail; an unhandled 'error' event would end the process.
  connection.on('error', () => undefined);
  return connection;
}

/** What a Cluster's node connections take from REDIS_URL (a cluster has no database other than 0). */
function credentials(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
