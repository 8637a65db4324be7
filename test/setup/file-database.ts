import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { withPgClient } from '../support/pg-client';

/**
 * Gives each integration and e2e test file a database of its own, cloned from the run's migrated
 * template (`CREATE DATABASE … TEMPLATE`), and a queue prefix of its own, so no suite can see
 * another's rows or jobs. `createTestApp` (test/support/test-app.ts) calls it, so a file gets its
 * clone when it first starts an app; pure unit specs (`*.spec.ts`) need no database and get none.
 *
 * The runner keeps modules loaded from one test file to the next (jest-light-runner, see
 * jest.config.js), so "this file" is the file Jest says is running (`expect.getState().testPath`),
 * not this module's lifetime.
 *
 * Commits in test databases do not wait for the WAL to reach the disk (`synchronous_commit = off`, a
 * setting of the database, so processes a test spawns get it too): a crash loses nothing a test needs,
 * while a flush per commit cost about 5 ms under load, and the suite commits tens of thousands of times.
 *
 * The per-file names replace `TEST_DATABASE_URL`/`TEST_DATABASE_NAME`/`TEST_QUEUE_PREFIX` in this
 * worker's environment, which is where `testConfig` (and every process a test spawns) reads them.
 * Clones are not dropped here: DROP DATABASE forces an immediate checkpoint, which flushes the other
 * worker's dirty pages mid-test; the global teardown drops every clone of the run at once.
 */
const template = process.env.TEST_DATABASE_NAME ?? '';
const adminUrl = process.env.TEST_PG_ADMIN_URL ?? '';
const runPrefix = process.env.TEST_QUEUE_PREFIX ?? '';

let current: { testPath: string; name: string } | undefined;

export async function fileDatabase(): Promise<{ name: string; url: string }> {
  const testPath = expect.getState().testPath ?? '';
  if (!/^tianfu_test_\d+_\d+$/.test(template)) throw new Error('TEST_DATABASE_NAME does not name this run\'s template database (test/setup/global-setup.ts)');
  if (current?.testPath !== testPath) {
    if (current && !process.env.KEEP_TEST_DB) rmSync(`/tmp/${current.name}-files`, { recursive: true, force: true });
    const suffix = `f${randomBytes(5).toString('hex')}`;
    const name = `${template}_${suffix}`;
    await withAdmin(async (admin) => {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    });
    current = { testPath, name };
    process.env.TEST_DATABASE_URL = adminUrl.replace(/\/[^/]*$/, `/${name}`);
    process.env.TEST_DATABASE_NAME = name;
    // Keys stay under the run's prefix, so the global teardown's sweep removes them too.
    process.env.TEST_QUEUE_PREFIX = `${runPrefix}:${suffix}`;
  }
  return { name: current.name, url: process.env.TEST_DATABASE_URL! };
}

function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  return withPgClient(adminUrl, work);
}
