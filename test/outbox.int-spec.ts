import { DataSource } from 'typeorm';
import type { QueueName } from '../libs/queues';
import { InProcessDispatcher, JobDispatcher } from '../src/modules/jobs/job-dispatcher';
import { JobRegistry } from '../src/modules/jobs/job-registry';
import { OutboxService } from '../src/modules/jobs/outbox.service';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

/** The outbox: a job exists exactly when the transaction that recorded it committed. */
describe('job outbox (real PostgreSQL, in-process dispatcher)', () => {
  let t: TestApp;
  const queue = `outbox-test-${process.pid}` as QueueName;
  const ran: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    t.app.get(JobRegistry).register({
      queue,
      process: async (payload: unknown) => {
        ran.push((payload as { id: string }).id);
      },
    } as never);
  });
  afterAll(() => t.close());

  it('dispatches committed jobs once and never those of a rolled-back transaction', async () => {
    const db = t.app.get(DataSource);
    const outbox = t.app.get(OutboxService);
    await expect(db.transaction(async (m) => {
      await outbox.add(m, queue, `rolled-back-${process.pid}`, { id: 'rolled-back' } as never);
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    await db.transaction((m) => outbox.add(m, queue, `committed-${process.pid}`, { id: 'committed' } as never));
    await outbox.poke();
    await (t.app.get(JobDispatcher) as InProcessDispatcher).drain();
    await eventually(async () => (ran.includes('committed') ? true : undefined));
    expect(ran).toEqual(['committed']);
    const rows = await db.query('SELECT job_id, dispatched_at FROM outbox WHERE queue = $1', [queue]);
    expect(rows).toHaveLength(1);
    expect(rows[0].dispatched_at).not.toBeNull();
    await outbox.poke(); // relaying again does not run it twice
    expect(ran).toEqual(['committed']);
  });

  it('refuses a job id BullMQ would refuse (with ":") where it is recorded, not in the relay', async () => {
    const db = t.app.get(DataSource);
    const outbox = t.app.get(OutboxService);
    await expect(db.transaction((m) => outbox.add(m, queue, `bad:${process.pid}`, { id: 'bad' } as never))).rejects.toThrow(/without ':'/);
    await expect(db.transaction((m) => outbox.addFlow(m, `flow-${process.pid}`, [{ queue, jobId: 'a:b', payload: {} } as never]))).rejects.toThrow(/without ':'/);
    expect(await db.query('SELECT job_id FROM outbox WHERE queue = $1 AND job_id LIKE $2', [queue, 'bad%'])).toEqual([]);
  });

  it('sets aside a job the queue keeps refusing, without holding up the jobs recorded after it', async () => {
    const db = t.app.get(DataSource);
    const outbox = t.app.get(OutboxService);
    // The in-process queue refuses a flow whose step has no processor; a real queue refuses, e.g., a bad payload.
    await db.transaction((m) => outbox.addFlow(m, `refused-${process.pid}`, [{ queue: 'no-such-queue', jobId: `refused-step-${process.pid}`, payload: {} } as never]));
    await db.transaction((m) => outbox.add(m, queue, `behind-${process.pid}`, { id: 'behind' } as never));
    await outbox.poke();
    await (t.app.get(JobDispatcher) as InProcessDispatcher).drain();
    expect(ran).toContain('behind');
    const refusedRow = async () => (await db.query('SELECT relay_attempts, relay_error, failed_at, dispatched_at FROM outbox WHERE job_id = $1', [`refused-${process.pid}`]))[0];
    expect(await refusedRow()).toMatchObject({ relay_attempts: 1, failed_at: null, dispatched_at: null, relay_error: expect.stringContaining('No processor for queue no-such-queue') });
    for (let i = 0; i < 6; i++) await outbox.poke();
    expect(await refusedRow()).toMatchObject({ relay_attempts: 5, failed_at: expect.any(Date), dispatched_at: null });
    expect(await outbox.backlog()).toMatchObject({ pending: 0, failed: 1 });
  });
});
