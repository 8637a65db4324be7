import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client } from 'pg';

/**
 * Gives each integration and e2e test file a database of its own, cloned from the run's migrated
 * template (`CREATE DATABASE … TEMPLATE`), and a queue prefix of its own, so no suite can see
 * another's rows or jobs. Runs in every test file (Jest `setupFilesAfterEnv`); pure unit specs
 * (`*.spec.ts`) need no database and get none.
 *
 * Commits in test databases do not wait for the WAL to reach the disk (`synchronous_commit = off`, a
 * setting of the database, so processes a test spawns get it too): a crash loses nothing a test needs,
 * while a flush per commit cost about 5 ms under load, and the suite commits tens of thousands of times.
 *
 * The per-file names replace the run's `TEST_DATABASE_URL`/`TEST_QUEUE_PREFIX` in this worker's
 * environment, which is where `test/support/test-app.ts` (and every process a test spawns) reads them.
 */
const testPath = expect.getState().testPath ?? '';
const needsDatabase = /\.(int|e2e)-spec\.ts$/.test(testPath);

const template = process.env.TEST_DATABASE_NAME ?? '';
const adminUrl = process.env.TEST_PG_ADMIN_URL ?? '';
const runPrefix = process.env.TEST_QUEUE_PREFIX ?? '';
let fileDatabase: string | null = null;

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

if (needsDatabase && /^tianfu_test_\d+_\d+$/.test(template)) {
  beforeAll(async () => {
    // Jest gives each file its own copy of process.env, so nothing here leaks into the next file.
    const suffix = `f${randomBytes(5).toString('hex')}`;
    fileDatabase = `${template}_${suffix}`;
    const name = fileDatabase;
    await withAdmin(async (admin) => {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    });
    process.env.TEST_DATABASE_URL = adminUrl.replace(/\/[^/]*$/, `/${name}`);
    process.env.TEST_DATABASE_NAME = name;
    // Keys stay under the run's prefix, so the global teardown's sweep removes them too.
    process.env.TEST_QUEUE_PREFIX = `${runPrefix}:${suffix}`;
  });

  // The clone is not dropped here: DROP DATABASE forces an immediate checkpoint, which then flushes
  // the other worker's dirty pages mid-test (about a second per file under load). The global teardown
  // drops every clone of the run at once, when the concurrent drops share their checkpoints.
  afterAll(() => {
    if (fileDatabase && !process.env.KEEP_TEST_DB) rmSync(`/tmp/${fileDatabase}-files`, { recursive: true, force: true });
  });
}
