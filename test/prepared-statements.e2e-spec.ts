import { Client } from 'pg';
import { createDataSource } from '../src/database/data-source';
import { preparedSql, PreparingClient } from '../src/common/prepared-statements';
import { withPgClient } from './support/pg-client';

/**
 * Hot statements run as named (prepared) statements on every pooled connection; everything else as
 * before. pg_prepared_statements lists what the session it is read in has prepared, so these tests
 * see only their own connection's statements.
 */
describe('prepared statements (PreparingClient)', () => {
  const adminUrl = process.env.TEST_PG_ADMIN_URL!;
  const MARKED = preparedSql('SELECT $1::int * 2 AS doubled /* prepared-statements spec */');
  const PREPARED_OF_SESSION = "SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%prepared-statements spec%'";

  const withClient = <T>(use: (client: Client) => Promise<T>, ClientClass: typeof Client = PreparingClient) => withPgClient(adminUrl, use, ClientClass);

  it('prepares a marked text once per connection and binds new values to it', async () => {
    await withClient(async (client) => {
      expect((await client.query(MARKED, [21])).rows).toEqual([{ doubled: 42 }]);
      expect((await client.query(MARKED, [5])).rows).toEqual([{ doubled: 10 }]);
      expect((await client.query(PREPARED_OF_SESSION)).rows).toEqual([{ statement: MARKED }]);
    });
  });

  it('leaves other texts unnamed, and a marked text sent without values as a simple query', async () => {
    await withClient(async (client) => {
      expect((await client.query('SELECT $1::int + 1 AS n /* prepared-statements spec, unmarked */', [1])).rows).toEqual([{ n: 2 }]);
      expect((await client.query(preparedSql("SELECT 'no values' AS v /* prepared-statements spec, no values */"))).rows).toEqual([{ v: 'no values' }]);
      expect((await client.query(PREPARED_OF_SESSION)).rows).toEqual([]);
    });
  });

  it('keeps the callback form and reports a failing marked statement as an error', async () => {
    await withClient(async (client) => {
      const rows = await new Promise((resolve, reject) => {
        client.query(MARKED, [4], (error: Error | null, result: { rows: unknown[] }) => (error ? reject(error) : resolve(result.rows)));
      });
      expect(rows).toEqual([{ doubled: 8 }]);
      await expect(client.query(MARKED, ['not a number'])).rejects.toThrow(/invalid input syntax for type integer/);
      // The connection stays usable, with the statement still prepared.
      expect((await client.query(MARKED, [1])).rows).toEqual([{ doubled: 2 }]);
    });
  });

  it('runs a text unnamed on that connection once a migration changed what its prepared plan returns', async () => {
    await withClient(async (client) => {
      await client.query('CREATE TEMP TABLE stale_plan (a int)');
      await client.query('INSERT INTO stale_plan VALUES (1)');
      const select = preparedSql('SELECT * FROM stale_plan WHERE a = $1 /* prepared-statements spec, stale */');
      expect((await client.query(select, [1])).rows).toEqual([{ a: 1 }]);
      await client.query('ALTER TABLE stale_plan ADD COLUMN b text');
      // The execution that finds the cached plan stale fails (PostgreSQL's rule); later ones do not.
      await expect(client.query(select, [1])).rejects.toThrow(/cached plan must not change result type/);
      expect((await client.query(select, [1])).rows).toEqual([{ a: 1, b: null }]);
      expect((await client.query(select, [1])).rows).toEqual([{ a: 1, b: null }]);
    });
  });

  it("is the pool's client of the server data source, so TypeORM's queries use it", async () => {
    const dataSource = await createDataSource({ databaseUrl: adminUrl, dataDir: '/nonexistent' });
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.query(MARKED, [3])).toEqual([{ doubled: 6 }]);
      expect(await runner.query(PREPARED_OF_SESSION)).toEqual([{ statement: MARKED }]);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
  });

  it('a plain node-postgres client (the control) prepares nothing', async () => {
    await withClient(async (client) => {
      await client.query(MARKED, [1]);
      expect((await client.query(PREPARED_OF_SESSION)).rows).toEqual([]);
    }, Client);
  });
});
