import { Client } from 'pg';

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
