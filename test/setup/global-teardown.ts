import { rmSync } from 'node:fs';
import IORedis from 'ioredis';
import { Client } from 'pg';

/**
 * Drops this run's database (only ever a database whose name contains "test"), its files folder
 * and its queues' Redis keys (only under this run's prefix).
 */
export default async function globalTeardown(): Promise<void> {
  const name = process.env.TEST_DATABASE_NAME;
  if (!name || !/^tianfu_test_\d+_\d+$/.test(name)) return;
  if (process.env.KEEP_TEST_DB) return;
  rmSync(`/tmp/${name}-files`, { recursive: true, force: true });
  const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  // Suites' own databases (test/support/own-database.ts), left behind when a suite failed early.
  const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${name}_`]);
  for (const { datname } of rows) if (/^tianfu_test_\d+_\d+_[a-z0-9_]+$/.test(datname)) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  await admin.end();
  await removeQueueKeys(process.env.TEST_REDIS_URL, process.env.TEST_QUEUE_PREFIX);
}

async function removeQueueKeys(url: string | undefined, prefix: string | undefined): Promise<void> {
  if (!url || !prefix || !/^tianfu-test-\d+-\d+$/.test(prefix)) return;
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
