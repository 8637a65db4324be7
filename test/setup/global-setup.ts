import { Client } from 'pg';
import IORedis from 'ioredis';
import { createDataSource } from '../../src/database/data-source';
import { migrateAndSeed } from '../../src/database/prepare';

/**
 * Creates a fresh PostgreSQL database for this run (unique name, always containing "test"),
 * migrates and seeds it, and checks that Redis answers. That database is the template each test
 * file clones for itself (test/setup/file-database.ts); nothing connects to it after this.
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const name = `tianfu_test_${Date.now()}_${process.pid}`;

  const admin = new Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl} (${String(error)}). Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, { cause: error });
  }
  await admin.query(`CREATE DATABASE ${name}`);
  // As in every clone (file-database.ts): no WAL flush per commit while migrating and seeding.
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  await admin.end();

  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${redisUrl} (${String(error)}). Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`, { cause: error });
  } finally {
    redis.disconnect();
  }

  const databaseUrl = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const dataSource = await (await createDataSource({ databaseUrl, dataDir: '/tmp' })).initialize();
  await migrateAndSeed(dataSource);
  await dataSource.destroy();

  process.env.TEST_DATABASE_URL = databaseUrl;
  process.env.TEST_DATABASE_NAME = name;
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_REDIS_URL = redisUrl;
  process.env.TEST_QUEUE_PREFIX = `tianfu-test-${process.pid}-${Date.now()}`;
}
