import { readdirSync, rmSync } from 'node:fs';
import IORedis from 'ioredis';
import { Client } from 'pg';

/**
 * Drops this run's template database and any per-file clone left behind (only ever databases whose
 * names contain "test"), its files folder and its queues' Redis keys (only under this run's prefix).
 */
export default async function globalTeardown(): Promise<void> {
  const name = process.env.TEST_DATABASE_NAME;
  if (!name || !/^tianfu_test_\d+_\d+$/.test(name)) return;
  if (process.env.KEEP_TEST_DB) return;
  // The template's files folder and every clone's (file-database.ts removes a worker's previous one).
  for (const entry of readdirSync('/tmp')) {
    if (entry.startsWith(name) && entry.endsWith('-files')) rmSync(`/tmp/${entry}`, { recursive: true, force: true });
  }
  const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  // Every test file's clone (see file-database.ts), dropped side by side: each DROP DATABASE waits for
  // a checkpoint, and drops that wait together share one.
  const clones = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${name}\\_f%`]);
  await admin.end();
  await inParallel(clones.rows.map((row) => row.datname), 8, (datname) => dropDatabase(datname));
  await dropDatabase(name);
  await removeQueueKeys(process.env.TEST_REDIS_URL, process.env.TEST_QUEUE_PREFIX);
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const lane = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
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
