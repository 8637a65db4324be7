import { rmSync } from 'node:fs';
import { Client } from 'pg';

/** Drops this run's database (only ever a database whose name contains "test") and its files folder. */
export default async function globalTeardown(): Promise<void> {
  const name = process.env.TEST_DATABASE_NAME;
  if (!name || !/^tianfu_test_\d+_\d+$/.test(name)) return;
  if (process.env.KEEP_TEST_DB) return;
  rmSync(`/tmp/${name}-files`, { recursive: true, force: true });
  const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
