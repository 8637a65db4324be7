import { Client } from 'pg';
import { auth, createBatch, createOrg } from './support/factories';
import { eventually } from './support/processes';
import { fileDatabase } from './setup/file-database';
import { createTestApp, TestApp } from './support/test-app';

const indicators = (t: TestApp, token: string) => t.http().get('/api/v1/indicators')
  .query({ indicator: 'trace_code_coverage', from: '2026-01', to: '2026-12' }).set(auth(token)).expect(200);

/**
 * DATABASE_REPLICA_URL: reporting reads go to the replica, everything else to the primary, and a
 * replica that is down costs nothing but capacity. The "replica" here is a copy of this file's
 * database taken before the test writes anything: a replica that never catches up, so which
 * database answered is visible in the answer.
 */
describe('a read replica', () => {
  let copyName: string;
  const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  let withCopy: TestApp;
  let withDeadReplica: TestApp;

  beforeAll(async () => {
    const primary = await fileDatabase();
    copyName = `${primary.name}_replica`;
    await admin.connect();
    await admin.query(`CREATE DATABASE ${copyName} TEMPLATE ${primary.name}`);
    withCopy = await createTestApp({ DATABASE_REPLICA_URL: primary.url.replace(/\/[^/]*$/, `/${copyName}`) });
    withDeadReplica = await createTestApp({ DATABASE_REPLICA_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
  });
  afterAll(async () => {
    await withCopy.close();
    await withDeadReplica.close();
    await admin.query(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`);
    await admin.end();
  });

  it('answers indicators from the replica and writes (and their own reads) from the primary', async () => {
    await eventually(async () => ((await withCopy.http().get('/health')).body.replica === 'up' ? true : undefined));
    const org = await createOrg(withCopy);
    const batch = await createBatch(withCopy, org.token);
    // The writer's own read goes to the primary: it sees its batch at once.
    await withCopy.http().get(`/api/v1/batches/${batch.id}`).set(auth(org.token)).expect(200);
    // The indicator is read from the copy, which has none of this organisation's batches.
    expect((await indicators(withCopy, org.token)).body.rows[0]).toMatchObject({ numerator: '0', denominator: '0' });
    expect((await withCopy.http().get('/health').expect(200)).body).toMatchObject({ status: 'ok', replica: 'up', degraded: [] });
  });

  it('reads from the primary while the replica is down, and says so in /health', async () => {
    const org = await createOrg(withDeadReplica);
    await createBatch(withDeadReplica, org.token);
    expect((await indicators(withDeadReplica, org.token)).body.rows[0]).toMatchObject({ numerator: '1', denominator: '1' });
    const health = await withDeadReplica.http().get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'degraded', database: 'up', replica: 'down', degraded: ['replica'] });
  });

  it('falls back to the primary when the replica goes away between checks', async () => {
    const org = await createOrg(withCopy);
    await createBatch(withCopy, org.token);
    expect((await indicators(withCopy, org.token)).body.rows[0]).toMatchObject({ denominator: '0' });
    // The copy disappears (its sessions are cut): the next read finds out and asks the primary.
    await admin.query(`DROP DATABASE ${copyName} WITH (FORCE)`);
    expect((await indicators(withCopy, org.token)).body.rows[0]).toMatchObject({ numerator: '1', denominator: '1' });
    expect((await withCopy.http().get('/health').expect(200)).body).toMatchObject({ replica: 'down', degraded: ['replica'] });
  });
});
