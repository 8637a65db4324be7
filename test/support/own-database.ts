import { Client } from 'pg';
import { createDataSource } from '../../src/database/data-source';
import { migrateAndSeed } from '../../src/database/prepare';

export interface OwnDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A migrated database for one suite (`<run database>_<suffix>`, dropped by the run's teardown too),
 * for suites whose jobs must not be relayed or swept by the other suites' processes.
 */
export async function createOwnDatabase(suffix: string): Promise<OwnDatabase> {
  const run = process.env.TEST_DATABASE_NAME;
  if (!run || !/test/.test(run) || !/^[a-z0-9_]+$/.test(suffix)) throw new Error('createOwnDatabase needs the run database (global setup) and a plain suffix');
  const name = `${run}_${suffix}`;
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const dataSource = await (await createDataSource({ databaseUrl: url, dataDir: '/tmp' })).initialize();
  await migrateAndSeed(dataSource);
  await dataSource.destroy();
  return {
    url,
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * A row lock held by the test in an open transaction: a job that writes the row waits for it, so a
 * worker can be killed exactly while it is inside the job.
 */
export class RowLock {
  private constructor(private readonly holder: Client, private readonly observer: Client, readonly pid: number) {}

  static async take(url: string, table: string, id: string): Promise<RowLock> {
    const [holder, observer] = [new Client({ connectionString: url }), new Client({ connectionString: url })];
    for (const client of [holder, observer]) {
      // Ended by the server when the suite's database is dropped: nothing to report then.
      client.on('error', () => undefined);
      await client.connect();
    }
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
    const { rows: [{ pid }] } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return new RowLock(holder, observer, pid);
  }

  /** Sessions waiting for this lock now (asked outside the holder's transaction, which sees one snapshot of pg_stat_activity). */
  async waiters(): Promise<number[]> {
    const { rows } = await this.observer.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [this.pid]);
    return rows.map((r) => r.pid);
  }

  /** A query in the holder's transaction. */
  async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.holder.query<T>(sql, params)).rows;
  }

  async release(): Promise<void> {
    await this.holder.query('ROLLBACK');
    await Promise.all([this.holder.end(), this.observer.end()]);
  }
}
