import IORedis, { RedisOptions } from 'ioredis';

/**
 * A Redis connection for short requests (rate limits, pub/sub, health): a command fails after one
 * retry instead of waiting for Redis to come back, so a Redis outage degrades a feature rather
 * than stalling requests. BullMQ workers need other settings (maxRetriesPerRequest: null) and keep them.
 */
export function redisConnection(url: string, options: RedisOptions = {}): IORedis {
  const connection = new IORedis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, ...options });
  // Errors surface on the commands that fail; an unhandled 'error' event would end the process.
  connection.on('error', () => undefined);
  return connection;
}
