import { DataSource } from 'typeorm';
import type { QueueName } from '../libs/queues';
import { AuditActor, currentAuditActor, runAsAuditActor } from '../src/modules/audit/audit-context';
import { JobRegistry } from '../src/modules/jobs/job-registry';
import { OutboxService } from '../src/modules/jobs/outbox.service';
import { eventually } from './support/processes';
import { createTestApp, TestApp } from './support/test-app';

/** In-process jobs start inside the enqueuing request's async context; they must still act as themselves. */
describe('jobs act as themselves, not as the request that enqueued them (in-process dispatcher)', () => {
  let t: TestApp;
  const queue = `actor-test-${process.pid}` as QueueName;
  const seen = new Map<string, AuditActor>();
  const requestA: AuditActor = { kind: 'lab', id: 'key-of-request-a', organizationId: null };

  beforeAll(async () => {
    t = await createTestApp();
    t.app.get(JobRegistry).register({
      queue,
      process: async (payload: unknown) => {
        seen.set((payload as { id: string }).id, currentAuditActor());
      },
    } as never);
  });
  afterAll(() => t.close());

  /** As a request handler does: record the job in a transaction, then relay it, all inside request A. */
  async function actorOfJob(id: string, payload: Record<string, unknown>): Promise<AuditActor> {
    await enqueueInRequestA(id, payload);
    return eventually(async () => seen.get(id));
  }

  function enqueueInRequestA(id: string, payload: Record<string, unknown>): Promise<void> {
    const db = t.app.get(DataSource);
    const outbox = t.app.get(OutboxService);
    return runAsAuditActor(requestA, async () => {
      await db.transaction((m) => outbox.add(m, queue, `${id}-${process.pid}`, { id, ...payload } as never));
      await outbox.poke();
    });
  }

  it('a job without a recorded actor audits as worker job:<queue>', async () => {
    expect(await actorOfJob('plain', {})).toEqual({ kind: 'worker', id: `job:${queue}`, organizationId: null });
  });

  it('a job whose data records an actor audits as that actor', async () => {
    const recorded: AuditActor = { kind: 'regulator', id: 'key-recorded', organizationId: null };
    expect(await actorOfJob('recorded', { actor: recorded })).toEqual(recorded);
  });

  it('a malformed recorded actor is ignored (the job acts as itself)', async () => {
    expect(await actorOfJob('malformed', { actor: { kind: 7 } })).toEqual({ kind: 'worker', id: `job:${queue}`, organizationId: null });
  });
});
